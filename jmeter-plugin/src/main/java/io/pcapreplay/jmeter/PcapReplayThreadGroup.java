package io.pcapreplay.jmeter;

import io.pcapreplay.net.ReplayRuntime;
import io.pcapreplay.net.ReplayRuntimeException;
import io.pcapreplay.net.ReplaySettings;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.jmeter.control.LoopController;
import org.apache.jmeter.engine.StandardJMeterEngine;
import org.apache.jmeter.samplers.Sampler;
import org.apache.jmeter.threads.JMeterContext;
import org.apache.jmeter.threads.JMeterContextService;
import org.apache.jmeter.threads.JMeterThread;
import org.apache.jmeter.threads.ListenerNotifier;
import org.apache.jmeter.threads.ThreadGroup;
import org.apache.jorphan.collections.ListedHashTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Pcap Replay Thread Group": a {@link ThreadGroup} (users, ramp-up, loops, duration) that reads capture files at
 * the start of the test and hands their sessions to its users. Thread per user: each user is a JMeter thread; one
 * loop iteration replays one whole session, the {@link PcapSessionSampler} being called once per exchange (this
 * group's {@link #next()} hands it back until the session is over); on Java 21+ the users run on virtual threads
 * ({@link VirtualUserThreadGroup}). Engine-driven: the users are chains of sessions inside the engine
 * ({@link EngineUsers}), and the group's JMeter threads only publish finished exchanges. The sessions are opened by
 * {@link SessionLoader}; the saved settings are {@link ReplayThreadGroupProperties}.
 */
public class PcapReplayThreadGroup extends ReplayThreadGroupProperties {

    /** A user's copy also reads "every session once" ({@link #next()}); the other replay settings stay here. */
    private static final Set<String> USER_COPY = Stream.concat(USER_COPY_PROPERTIES.stream(),
        Stream.of(EACH_SESSION_ONCE)).collect(Collectors.toUnmodifiableSet());

    /** JMeter property: the longest wait of one exchange or session start for the causal order, seconds. */
    public static final String CAUSAL_MAX_WAIT_PROPERTY = "pcapreplay.causalMaxWaitSeconds";

    /** Finished exchanges buffered for the publishers (engine-driven). */
    static final int PUBLISH_QUEUE_CAPACITY = 65_536;

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PcapReplayThreadGroup.class);

    private transient volatile SessionSource sessionSource;
    private transient volatile String loadError;
    private transient EngineUsers engineUsers;
    private transient HttpReplay httpReplay;
    private transient volatile int onceUsers;
    private transient volatile boolean emptySelection;
    private transient ReplayRuntime earlyRuntime;

    /** Loads the sessions, then starts the users. */
    @Override
    public void start(int groupNumber, ListenerNotifier notifier, ListedHashTree threadGroupTree,
            StandardJMeterEngine engine) {
        if (getUsers() <= 0) {
            LOG.warn("{}: {} users (Number of Threads): this group replays nothing (expected: 1 or more)", getName(),
                getUsers());
        }
        loadSessions();
        synchronized (this) {
            engineUsers = null;
        }
        newHeldSessions();
        if (!emptySelection) {
            openRuntimeEarly(threadGroupTree);
        }
        if (userMode() == UserMode.ENGINE_DRIVEN) {
            threadGroupTree.add(this, new EngineUserCounts());
        } else {
            WarmUpSessions.warnIgnored(getName());
        }
        startUsers(userMode() == UserMode.THREAD_PER_USER && getVirtualThreads(), groupNumber, notifier,
            threadGroupTree, engine);
    }

    /**
     * Hand-outs at recorded offsets: releases the runtime opened for the previous run, opens the sampler's runtime
     * before any user starts ({@link EarlyRuntime}) and starts the offsets' clock then, so that the first session
     * starts at once and the others at their offsets from it.
     */
    private void openRuntimeEarly(ListedHashTree threadGroupTree) {
        SessionSource source = sessionSource;
        synchronized (this) {
            if (earlyRuntime != null) {
                earlyRuntime.release();
                earlyRuntime = null;
            }
        }
        if (source == null || !HandOut.parse(getHandOut()).recordedOffsets()) {
            return;
        }
        EarlyRuntime.open(getName(), getStartRate(), threadGroupTree, runtime -> {
            synchronized (this) {
                earlyRuntime = runtime;
            }
        });
        source.startClock(System.nanoTime());
    }

    /** The JMeter threads to start: the users, or in engine-driven mode the publishing threads. */
    @Override
    public int getNumThreads() {
        if (emptySelection) {
            return 0; // warned at start: nothing selected, nothing to replay
        }
        return userMode() == UserMode.ENGINE_DRIVEN ? publishers() : getUsers();
    }

    /**
     * Returns the users: the "Number of Threads (users)" field, in both modes; with every session once, the users
     * the capture needs ({@link CaptureCensus#users()}) once it was read.
     */
    public int getUsers() {
        int once = onceUsers;
        return getEachSessionOnce() && once > 0 ? once : super.getNumThreads();
    }

    /** Tells whether users keep taking sessions until every one was replayed once (loops do not count). */
    boolean eachSessionOnceRunning() {
        return getEachSessionOnce() && onceUsers > 0;
    }

    /** Returns the mode, THREAD_PER_USER when the field holds something else: the mode. */
    UserMode userMode() {
        try {
            return UserMode.parse(getMode());
        } catch (IllegalArgumentException e) {
            return UserMode.THREAD_PER_USER;
        }
    }

    private int publishers() {
        try {
            return Math.max(1, Integer.parseInt(getPublishers().trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /**
     * Returns the engine-driven users of this run, starting them with the first call.
     *
     * @param settings the sampler's settings
     * @param http the group's HTTP rewriting and pacing
     * @param rules the evaluated HTTP rules
     * @param requestsPerSecond the requests-per-second limit, 0 for none
     * @return the running users
     * @throws ReplayRuntimeException when the runtime cannot start
     */
    synchronized EngineUsers engineUsers(ReplaySettings settings, HttpReplay http, String rules,
            double requestsPerSecond) throws ReplayRuntimeException {
        if (engineUsers == null) {
            long loops = eachSessionOnceRunning() ? -1
                : getSamplerController() instanceof LoopController loop ? loop.getLoops() : 1;
            long end = getScheduler() && getDuration() > 0
                ? System.nanoTime() + Duration.ofSeconds(getDuration()).toNanos() : Long.MAX_VALUE;
            ReplayRuntime runtime = ReplayRuntime.acquire(settings);
            ClockProperties.publish(runtime);
            runtime.expectUsers(this, getUsers());
            engineUsers = new EngineUsers(runtime, sessionSource, getUsers(), loops, end, PUBLISH_QUEUE_CAPACITY)
                .http(http, rules, requestsPerSecond)
                .warmUp(WarmUpSessions.requested(sessionSource, eachSessionOnceRunning()))
                .start(Duration.ofSeconds(Math.max(0, getRampUp())));
        }
        return engineUsers;
    }

    @Override
    Set<String> userCopyProperties() {
        return USER_COPY;
    }

    /** Returns this run's HTTP rewriting and pacing state: shared by the group's users. */
    synchronized HttpReplay httpReplay() {
        if (httpReplay == null) {
            httpReplay = new HttpReplay();
        }
        return httpReplay;
    }

    /** Returns the engine-driven users of this run, or null. */
    synchronized EngineUsers runningEngineUsers() {
        return engineUsers;
    }

    /** JMeter's Shutdown: engine-driven users start no session any more and their publishers end (held ones too). */
    @Override
    public void stop() {
        EngineUsers users = runningEngineUsers();
        if (users != null) {
            users.shutDown();
        }
        super.stop();
    }

    /**
     * While the user's session has exchanges left, the same sampler again; else the next element. A comet user whose
     * last exchange was sampled holds its session here first ({@link HeldSessions}): called from the JMeter thread's
     * loop itself, so a parked virtual thread keeps only a few frames, and no timer or pre-processor runs for it.
     * When the hold ends with the user's end time (the group's duration) or the test's stop, the thread ends, as
     * JMeter's scheduler ends it after a sample.
     */
    @Override
    public Sampler next() {
        JMeterContext context = JMeterContextService.getContext();
        UserSession user = UserSession.find(context.getVariables());
        if (user != null && user.isHolding() && !HeldSessions.holdUntilOver(context, user)) {
            JMeterThread thread = context.getThread();
            if (thread != null) {
                thread.stop();
            }
            return null;
        }
        if (user != null && user.isActive() && user.sampler() != null) {
            return user.sampler();
        }
        if (user != null && user.owner() != null && getEachSessionOnce()) {
            // every session once: the next session, whatever the loop count (this may be the thread's clone of the
            // group, without the run's state: the sampler stops the thread when the source is exhausted)
            return user.owner();
        }
        return super.next();
    }

    /**
     * Opens the capture files as a stream of sessions (read as users need them, see {@link SessionSource}) and
     * reads up to the first session ({@link SessionLoader}); on failure keeps the message for the samplers
     * ({@link #loadError()}).
     */
    void loadSessions() {
        SessionSource previous = sessionSource;
        if (previous != null) {
            previous.close();
        }
        synchronized (this) {
            httpReplay = new HttpReplay();
        }
        sessionSource = null;
        loadError = null;
        onceUsers = 0;
        emptySelection = false;
        SessionLoader.Loaded loaded = SessionLoader.load(this);
        sessionSource = loaded.source();
        loadError = loaded.loadError();
        onceUsers = loaded.onceUsers();
        emptySelection = loaded.emptySelection();
    }

    /** Returns the sessions of this test run, or null when loading failed (see {@link #loadError()}). */
    public SessionSource sessionSource() {
        return sessionSource;
    }

    /** Returns why the captures could not be loaded, or null. */
    public String loadError() {
        return loadError;
    }
}
