package io.pcapreplay.jmeter;

import io.pcapreplay.net.ReplayRuntime;
import io.pcapreplay.net.ReplaySettings;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.ExchangeListener;
import io.pcapreplay.tcp.ExchangeResult;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Engine-driven users: each user is a chain of sessions inside the replay engine (no thread per user). Users start
 * spread over the ramp-up; when a user's session ends its next one starts, until its loops are done or the end time
 * passed. Every finished exchange goes from the engine's loop into a bounded {@link PublishQueue} (never blocking
 * the loop; drops counted) that the publishing JMeter threads drain with {@link #poll(Duration)}.
 */
final class EngineUsers {

    /**
     * One finished exchange and the session it belongs to.
     *
     * @param result the engine's result
     * @param session the recorded session
     * @param warmUp whether a warm-up session's (published as an ignored sample: {@link WarmUpSessions})
     */
    record Finished(ExchangeResult result, RecordedSession session, boolean warmUp) {

        /** A user's exchange. */
        Finished(ExchangeResult result, RecordedSession session) {
            this(result, session, false);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(EngineUsers.class);
    private static final Set<EngineUsers> RUNNING = ConcurrentHashMap.newKeySet();
    /** How often a session start held by the causal order is looked at again. */
    private static final long GATE_POLL_NANOS = 250_000;

    private final ReplayRuntime runtime;
    private final SessionSource source;
    private final int users;
    private final long loopsPerUser;
    private final long endNanos;
    private final PublishQueue<Finished> queue;
    private final ScheduledThreadPoolExecutor scheduler;
    private final long[] sessionsStarted;
    private final AtomicInteger activeSessions = new AtomicInteger();
    /** Sessions with an exchange still to come: started, neither ended nor past their last exchange (comet holds). */
    private final AtomicInteger exchangesPending = new AtomicInteger();
    private final AtomicInteger finishedUsers = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean stopped;
    /** JMeter's graceful shutdown: ends like the duration (see {@link #isDone()}). */
    private volatile boolean shuttingDown;
    private HttpReplay http = new HttpReplay();
    private String rules = "";
    private double requestsPerSecond;
    private WarmUpSessions warmUp;

    /**
     * @param runtime the acquired runtime (released by {@link #stop()})
     * @param source the sessions
     * @param users concurrent users
     * @param loopsPerUser sessions per user, negative for no limit
     * @param endNanos System.nanoTime() after which no session starts, Long.MAX_VALUE for none
     * @param queueCapacity finished exchanges buffered for the publishers
     */
    EngineUsers(ReplayRuntime runtime, SessionSource source, int users, long loopsPerUser, long endNanos,
            int queueCapacity) {
        this.runtime = runtime;
        this.source = source;
        this.users = users;
        this.loopsPerUser = loopsPerUser;
        this.endNanos = endNanos;
        this.queue = new PublishQueue<>(queueCapacity);
        this.sessionsStarted = new long[users];
        this.scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "pcap-replay-engine-users");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Sets how each session is rewritten before it starts (the group's HTTP rules) and the requests-per-second limit.
     *
     * @param replay the group's HTTP rewriting and pacing
     * @param rulesText the evaluated HTTP rules
     * @param rate the limit, 0 for none
     * @return this
     */
    EngineUsers http(HttpReplay replay, String rulesText, double rate) {
        this.http = replay;
        this.rules = rulesText;
        this.requestsPerSecond = rate;
        return this;
    }

    /**
     * Sets the sessions replayed before the users start.
     *
     * @param sessions the warm-up, null for none
     * @return this
     */
    EngineUsers warmUp(WarmUpSessions sessions) {
        this.warmUp = sessions;
        return this;
    }

    /**
     * Starts the users, spread evenly over the ramp-up, after the warm-up if there is one (its sessions are started
     * from the users' thread, as theirs are, and its OK exchanges published, so both run warm paths).
     *
     * @param rampUp the ramp-up
     * @return this
     */
    EngineUsers start(Duration rampUp) {
        RUNNING.add(this);
        if (warmUp != null && users > 0) {
            scheduler.execute(() -> warmUp.start(runtime, source, http, rules, queue::offer, scheduler,
                () -> startUsers(rampUp)));
        } else {
            startUsers(rampUp);
        }
        return this;
    }

    private void startUsers(Duration rampUp) {
        for (int user = 0; user < users; user++) {
            int index = user;
            long delay = users == 0 ? 0 : rampUp.toNanos() * user / users;
            scheduler.schedule(() -> startNext(index), delay, TimeUnit.NANOSECONDS);
        }
        if (users == 0) {
            stopped = true;
        }
    }

    private void startNext(int user) {
        if (stopped) {
            return;
        }
        boolean loopsDone = loopsPerUser >= 0 && sessionsStarted[user] >= loopsPerUser;
        if (loopsDone || pastEnd() || runtime.isStopped()) {
            finishedUsers.incrementAndGet();
            return;
        }
        HttpReplay.Start start = http.next(source, runtime.settings().speedFactor(), rules, requestsPerSecond);
        if (start == null && source.isLive() && source.failure() == null && !stopped) {
            scheduler.execute(() -> startNext(user)); // no live session yet: ask again, after the other users
            return;
        }
        sessionsStarted[user]++;
        if (start == null) {
            finishedUsers.incrementAndGet();
            return;
        }
        if (start.session().exchangeCount() == 0) {
            LOG.error("engine-driven user {}: every request of every session is excluded by the HTTP rules", user);
            finishedUsers.incrementAndGet();
            return;
        }
        long delay = start.startAtNanos() - System.nanoTime();
        if (delay > 0) {
            scheduler.schedule(() -> replay(user, start), delay, TimeUnit.NANOSECONDS);
        } else {
            replay(user, start);
        }
    }

    private void replay(int user, HttpReplay.Start start) {
        RecordedSession session = start.session();
        if (stopped) {
            start.abandon();
            return;
        }
        if (start.ticket() != null && !start.ticket().mayStart()) {
            try {
                scheduler.schedule(() -> replay(user, start), GATE_POLL_NANOS, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                start.abandon(); // stopped meanwhile
            }
            return;
        }
        activeSessions.incrementAndGet();
        exchangesPending.incrementAndGet();
        try {
            runtime.startSession(session, new ExchangeListener() {
                private boolean lastDelivered;

                @Override
                public void onResult(ExchangeResult result) {
                    if (!queue.offer(new Finished(result, session))) {
                        dropped.incrementAndGet();
                    }
                    if (!session.isGrowing() && result.exchangeIndex() == session.exchangeCount() - 1) {
                        lastDelivered = true; // what follows is the close, or comet's hold: no more samples
                        exchangesPending.decrementAndGet();
                    }
                }

                @Override
                public void onSessionEnd(long sessionId, String reason) {
                    if (!lastDelivered) {
                        exchangesPending.decrementAndGet();
                    }
                    activeSessions.decrementAndGet();
                    if (stopped) {
                        return;
                    }
                    if (loopsPerUser >= 0 && sessionsStarted[user] >= loopsPerUser) {
                        finishedUsers.incrementAndGet(); // its last session: no hand-off to the users' thread
                    } else {
                        scheduler.execute(() -> startNext(user));
                    }
                }
            }, start.pacer(), start.ticket());
        } catch (IllegalArgumentException e) {
            start.abandon();
            activeSessions.decrementAndGet();
            exchangesPending.decrementAndGet();
            SetupFailures.report("engine-driven users", e.getMessage()); // once per reason, not per user
            finishedUsers.incrementAndGet();
        }
    }

    /**
     * Takes the next finished exchange.
     *
     * @param timeout the longest wait
     * @return the exchange, or null when none came within the timeout
     * @throws InterruptedException when the publishing thread is interrupted
     */
    Finished poll(Duration timeout) throws InterruptedException {
        return queue.poll(timeout.toNanos());
    }

    /**
     * Tells whether the publishers are done: every finished exchange was taken and every user is done, or the duration
     * is over and no exchange is under way (comet sessions held after their last exchange do not count).
     */
    boolean isDone() {
        if (!queue.isEmpty()) {
            return false;
        }
        if ((stopped || finishedUsers.get() >= users) && activeSessions.get() == 0) {
            return true;
        }
        // the duration is over: no session starts any more; exchanges under way finish (each bounded by its
        // timeouts), sessions held after their last exchange (comet) do not keep the test running
        return pastEnd() && exchangesPending.get() == 0;
    }

    private boolean pastEnd() {
        return shuttingDown || endNanos != Long.MAX_VALUE && System.nanoTime() - endNanos >= 0;
    }

    /** JMeter's Shutdown (graceful): no session starts any more; the publishers end as at the end of the duration. */
    void shutDown() {
        shuttingDown = true;
    }

    /** Returns the settings of the runtime the users replay through. */
    ReplaySettings settings() {
        return runtime.settings();
    }

    /** Returns the users replaying a session now: the count. */
    int activeUsers() {
        return activeSessions.get();
    }

    /** Returns the exchanges dropped because the publishers fell behind: the count. */
    long dropped() {
        return dropped.get();
    }

    /** Stops starting sessions and releases the runtime (the last release resets the open sessions). */
    void stop() {
        if (stopped && !RUNNING.contains(this)) {
            return;
        }
        stopped = true;
        RUNNING.remove(this);
        scheduler.shutdownNow();
        if (dropped.get() > 0) {
            LOG.warn("engine-driven users: {} finished exchange(s) dropped: the publishing threads fell behind "
                + "(raise the publishers of the thread group)", dropped.get());
        }
        runtime.release();
    }

    /** Stops every instance (end of the test). */
    static void stopAll() {
        for (EngineUsers users : Set.copyOf(RUNNING)) {
            users.stop();
        }
    }
}
