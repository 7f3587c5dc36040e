package io.pcapreplay.jmeter;

import io.pcapreplay.net.ReplayRuntime;
import io.pcapreplay.net.ReplayRuntimeException;
import io.pcapreplay.net.ReplaySettings;
import java.time.Duration;
import java.util.List;
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
 * {@link SessionLoader}; the saved settings are this class's properties.
 */
public class PcapReplayThreadGroup extends VirtualUserThreadGroup {

    /** Capture files, separated by commas or semicolons. */
    public static final String CAPTURE_FILES = "PcapReplayThreadGroup.captureFiles";
    /** Recorded server ports, separated by commas; empty for any. */
    public static final String SERVER_PORTS = "PcapReplayThreadGroup.serverPorts";
    /** Optional BPF filter. */
    public static final String FILTER = "PcapReplayThreadGroup.filter";
    /** Live interface to copy sessions from (instead of the capture files); empty for files. */
    public static final String LIVE_INTERFACE = "PcapReplayThreadGroup.liveInterface";
    /** Live: percentage of the sessions copied (stable hash of the 4-tuple). */
    public static final String LIVE_PERCENT = "PcapReplayThreadGroup.livePercent";
    /** Live: replays of each copied session. */
    public static final String LIVE_AMPLIFICATION = "PcapReplayThreadGroup.liveAmplification";
    /** Live: prefix of the pcapng files recorded, empty for none. */
    public static final String LIVE_RECORD = "PcapReplayThreadGroup.liveRecord";
    /** Live: size, time and file-count limits of the recording (see {@code LiveRecording.parse}). */
    public static final String LIVE_RECORD_LIMITS = "PcapReplayThreadGroup.liveRecordLimits";
    /** {@link HandOut} name. */
    public static final String HAND_OUT = "PcapReplayThreadGroup.handOut";
    /** Session starts per second, 0 = unlimited (in addition to the ramp-up). */
    public static final String START_RATE = "PcapReplayThreadGroup.startRate";
    /** {@link UserMode} name. */
    public static final String MODE = "PcapReplayThreadGroup.mode";
    /** Thread per user: virtual threads when the JVM has them (Java 21+), default true. */
    public static final String VIRTUAL_THREADS = "PcapReplayThreadGroup.virtualThreads";
    /** Publishing JMeter threads in engine-driven mode. */
    public static final String PUBLISHERS = "PcapReplayThreadGroup.publishers";
    /** Every session once: users and loops follow from the capture (boolean, default false). */
    public static final String EACH_SESSION_ONCE = "PcapReplayThreadGroup.eachSessionOnce";
    /** A user's copy also reads "every session once" ({@link #next()}); the other replay settings stay here. */
    private static final Set<String> USER_COPY = Stream.concat(USER_COPY_PROPERTIES.stream(),
        Stream.of(EACH_SESSION_ONCE)).collect(Collectors.toUnmodifiableSet());

    /** Default {@link #LIVE_PERCENT}: every session. */
    public static final String DEFAULT_LIVE_PERCENT = "100";
    /** Default {@link #LIVE_AMPLIFICATION}: one replay per session. */
    public static final String DEFAULT_LIVE_AMPLIFICATION = "1";
    /** Default {@link #HAND_OUT}. */
    public static final String DEFAULT_HAND_OUT = "round-robin";
    /** Default {@link #START_RATE}: no limit. */
    public static final String DEFAULT_START_RATE = "0";
    /** Default {@link #MODE}. */
    public static final String DEFAULT_MODE = "thread-per-user";
    /** Default {@link #PUBLISHERS}. */
    public static final String DEFAULT_PUBLISHERS = "2";
    /** The replay settings this group adds to JMeter's thread group, in form order. */
    public static final List<String> REPLAY_PROPERTIES = List.of(CAPTURE_FILES, SERVER_PORTS, FILTER, LIVE_INTERFACE,
        LIVE_PERCENT, LIVE_AMPLIFICATION, LIVE_RECORD, LIVE_RECORD_LIMITS, HAND_OUT, START_RATE, MODE, PUBLISHERS,
        VIRTUAL_THREADS, EACH_SESSION_ONCE);

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
                .http(http, rules, requestsPerSecond).start(Duration.ofSeconds(Math.max(0, getRampUp())));
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

    /** Writes every replay setting with its default: what a group added from the menu starts with. */
    void assignReplayDefaults() {
        setProperty(CAPTURE_FILES, "");
        setProperty(SERVER_PORTS, "");
        setProperty(FILTER, "");
        setProperty(LIVE_INTERFACE, "");
        setProperty(LIVE_PERCENT, DEFAULT_LIVE_PERCENT);
        setProperty(LIVE_AMPLIFICATION, DEFAULT_LIVE_AMPLIFICATION);
        setProperty(LIVE_RECORD, "");
        setProperty(LIVE_RECORD_LIMITS, "");
        setProperty(HAND_OUT, DEFAULT_HAND_OUT);
        setProperty(START_RATE, DEFAULT_START_RATE);
        setProperty(MODE, DEFAULT_MODE);
        setProperty(PUBLISHERS, DEFAULT_PUBLISHERS);
        setProperty(VIRTUAL_THREADS, "true");
        setProperty(EACH_SESSION_ONCE, false);
    }

    public String getCaptureFiles() {
        return getPropertyAsString(CAPTURE_FILES);
    }

    public void setCaptureFiles(String value) {
        setProperty(CAPTURE_FILES, value);
    }

    public String getServerPorts() {
        return getPropertyAsString(SERVER_PORTS);
    }

    public void setServerPorts(String value) {
        setProperty(SERVER_PORTS, value);
    }

    public String getFilter() {
        return getPropertyAsString(FILTER);
    }

    public void setFilter(String value) {
        setProperty(FILTER, value);
    }

    public String getLiveInterface() {
        return getPropertyAsString(LIVE_INTERFACE).trim();
    }

    public void setLiveInterface(String value) {
        setProperty(LIVE_INTERFACE, value);
    }

    public String getLivePercent() {
        return getPropertyAsString(LIVE_PERCENT, DEFAULT_LIVE_PERCENT);
    }

    public void setLivePercent(String value) {
        setProperty(LIVE_PERCENT, value);
    }

    public String getLiveAmplification() {
        return getPropertyAsString(LIVE_AMPLIFICATION, DEFAULT_LIVE_AMPLIFICATION);
    }

    public void setLiveAmplification(String value) {
        setProperty(LIVE_AMPLIFICATION, value);
    }

    public String getLiveRecord() {
        return getPropertyAsString(LIVE_RECORD);
    }

    public void setLiveRecord(String value) {
        setProperty(LIVE_RECORD, value);
    }

    public String getLiveRecordLimits() {
        return getPropertyAsString(LIVE_RECORD_LIMITS);
    }

    public void setLiveRecordLimits(String value) {
        setProperty(LIVE_RECORD_LIMITS, value);
    }

    public String getHandOut() {
        return getPropertyAsString(HAND_OUT, DEFAULT_HAND_OUT);
    }

    public void setHandOut(String value) {
        setProperty(HAND_OUT, value);
    }

    public String getMode() {
        return getPropertyAsString(MODE, DEFAULT_MODE);
    }

    public void setMode(String value) {
        setProperty(MODE, value);
    }

    public String getPublishers() {
        return getPropertyAsString(PUBLISHERS, DEFAULT_PUBLISHERS);
    }

    public void setPublishers(String value) {
        setProperty(PUBLISHERS, value);
    }

    public boolean getVirtualThreads() {
        return getPropertyAsBoolean(VIRTUAL_THREADS, true);
    }

    public void setVirtualThreads(boolean value) {
        setProperty(VIRTUAL_THREADS, value);
    }

    public boolean getEachSessionOnce() {
        return getPropertyAsBoolean(EACH_SESSION_ONCE, false);
    }

    public void setEachSessionOnce(boolean value) {
        setProperty(EACH_SESSION_ONCE, value);
    }

    public String getStartRate() {
        return getPropertyAsString(START_RATE, DEFAULT_START_RATE);
    }

    public void setStartRate(String value) {
        setProperty(START_RATE, value);
    }
}
