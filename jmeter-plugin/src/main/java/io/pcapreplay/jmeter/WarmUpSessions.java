package io.pcapreplay.jmeter;

import io.pcapreplay.net.ReplayRuntime;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.ExchangeListener;
import io.pcapreplay.tcp.ExchangeResult;
import io.pcapreplay.tcp.Outcome;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.jmeter.util.JMeterUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warm-up sessions ({@code -Jpcapreplay.warmUpSessions=N}, 0 by default): before engine-driven users start, N of the
 * group's sessions are replayed against the target, started at once (the engine paces them as it paces the users)
 * and not sampled, so that the test does not begin on code that JMeter and the agent have yet to compile (a short
 * run's first second ran at a tenth of its later rate: docs/benchmarks.md). Their OK exchanges go through the
 * publishers as ignored samples ({@code SampleResult.setIgnore()}: JMeter's sample path runs, no listener sees them,
 * no JTL row). They are real sessions to the server under test, hence opt-in. The wait is bounded
 * ({@code pcapreplay.warmUpSeconds}, 60 by default) and counts within the group's duration; sessions still under way
 * then go on unsampled. Not for a live source (its sessions come over time) nor for "each session once" (the warm-up
 * would use them up).
 */
final class WarmUpSessions {

    static final String SESSIONS_PROPERTY = "pcapreplay.warmUpSessions";
    static final String SECONDS_PROPERTY = "pcapreplay.warmUpSeconds";
    /** The most warm-up sessions. */
    static final int MAX_SESSIONS = 10_000_000;
    private static final Logger LOG = LoggerFactory.getLogger(WarmUpSessions.class);

    /**
     * What a warm-up did.
     *
     * @param started sessions started
     * @param ended sessions ended within the wait
     * @param ok exchanges that ended OK
     * @param failed exchanges that did not
     * @param unpublished OK exchanges the publishers' full queue did not take
     * @param elapsed how long it ran
     */
    record Result(long started, long ended, long ok, long failed, long unpublished, Duration elapsed) {
    }

    private final long count;
    private final Duration limit;
    private final AtomicLong ended = new AtomicLong();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong unpublished = new AtomicLong();
    private final AtomicBoolean over = new AtomicBoolean();
    private volatile long started;
    private volatile boolean allStarted;
    private volatile long startNanos;
    private volatile Result result;

    /**
     * @param count the sessions to replay
     * @param limit the longest wait for them
     */
    WarmUpSessions(long count, Duration limit) {
        this.count = count;
        this.limit = limit;
    }

    /**
     * The warm-up the JMeter properties ask for.
     *
     * @param source the group's sessions
     * @param eachSessionOnce whether the group replays each session once
     * @return the warm-up, or null when none is asked or it cannot run (logged)
     */
    static WarmUpSessions requested(SessionSource source, boolean eachSessionOnce) {
        long count = requestedCount();
        if (count == 0) {
            return null;
        }
        if (source.isLive() || eachSessionOnce) {
            LOG.warn("warm-up: {}={} ignored (expected: a capture file replayed pass after pass, not {})",
                SESSIONS_PROPERTY, count, source.isLive() ? "a live source" : "each session once");
            return null;
        }
        try {
            return new WarmUpSessions(count,
                Duration.ofSeconds(CaptureLimits.number(JMeterUtils::getProperty, SECONDS_PROPERTY, 60, 1, 3_600)));
        } catch (IllegalArgumentException e) {
            LOG.error("warm-up: none, {}", e.getMessage());
            return null;
        }
    }

    /** Thread-per-user groups take no warm-up: says so when one is asked. */
    static void warnIgnored(String group) {
        long count = requestedCount();
        if (count > 0) {
            LOG.warn("warm-up: {}={} ignored by thread group '{}' (expected: userMode engine-driven)",
                SESSIONS_PROPERTY, count, group);
        }
    }

    /** The warm-up sessions asked for: 0 when none, or when the property is not a number (logged as an error). */
    private static long requestedCount() {
        try {
            return CaptureLimits.number(JMeterUtils::getProperty, SESSIONS_PROPERTY, 0, 0, MAX_SESSIONS);
        } catch (IllegalArgumentException e) {
            LOG.error("warm-up: none, {}", e.getMessage());
            return 0;
        }
    }

    /**
     * Starts the sessions at once, on the calling thread, and runs {@code then} once on {@code scheduler} when every
     * one ended or the limit is up, whichever comes first (never if the scheduler was shut down meanwhile).
     *
     * @param runtime the acquired runtime
     * @param source the group's sessions
     * @param http the group's HTTP rewriting
     * @param rules the evaluated HTTP rules
     * @param publish takes an OK exchange for the publishers; false when their queue is full
     * @param scheduler runs {@code then} and the limit
     * @param then what follows the warm-up (the users' start)
     */
    void start(ReplayRuntime runtime, SessionSource source, HttpReplay http, String rules,
            Predicate<EngineUsers.Finished> publish, ScheduledExecutorService scheduler, Runnable then) {
        startNanos = System.nanoTime();
        Runnable end = () -> end(then);
        try {
            scheduler.schedule(end, limit.toNanos(), TimeUnit.NANOSECONDS);
            for (long i = 0; i < count && !runtime.isStopped(); i++) {
                HttpReplay.Start next = http.next(source, runtime.settings().speedFactor(), rules, 0);
                if (next == null) {
                    break;
                }
                next.abandon(); // no place in the causal order: the test's sessions keep theirs
                if (next.session().exchangeCount() == 0) {
                    break;
                }
                runtime.startSession(next.session(), listener(next.session(), publish, scheduler, end), null, null);
                started = i + 1;
            }
        } catch (RuntimeException e) { // a runtime stopped, a session it refuses: the users start all the same
            LOG.warn("warm-up: stopped after {} sessions: {}", started, e.toString());
        }
        allStarted = true;
        if (ended.get() >= started) {
            execute(scheduler, end);
        }
    }

    private ExchangeListener listener(RecordedSession session, Predicate<EngineUsers.Finished> publish,
            ScheduledExecutorService scheduler, Runnable end) {
        return new ExchangeListener() {
            @Override
            public void onResult(ExchangeResult exchange) {
                if (exchange.outcome() != Outcome.OK) {
                    failed.incrementAndGet(); // not published: an ignored sample still meets the on-error action
                } else {
                    ok.incrementAndGet();
                    if (!publish.test(new EngineUsers.Finished(exchange, session, true))) {
                        unpublished.incrementAndGet();
                    }
                }
            }

            @Override
            public void onSessionEnd(long sessionId, String reason) {
                if (ended.incrementAndGet() >= started && allStarted) {
                    execute(scheduler, end);
                }
            }
        };
    }

    private static void execute(ScheduledExecutorService scheduler, Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException e) {
            // the users were stopped meanwhile: nothing follows
        }
    }

    private void end(Runnable then) {
        if (!over.compareAndSet(false, true)) {
            return;
        }
        Result done = new Result(started, Math.min(ended.get(), started), ok.get(), failed.get(), unpublished.get(),
            Duration.ofNanos(System.nanoTime() - startNanos));
        result = done;
        LOG.info("warm-up: {} sessions replayed before the users started, not sampled: {} exchanges OK, {} failed, "
            + "in {} ms{}{} ({})", done.started(), done.ok(), done.failed(), done.elapsed().toMillis(),
            done.ended() < done.started() ? "; " + (done.started() - done.ended()) + " still under way after "
                + limit.toSeconds() + " s go on unsampled" : "",
            done.unpublished() > 0 ? "; " + done.unpublished() + " not handed to the publishers (queue full)" : "",
            SESSIONS_PROPERTY);
        then.run();
    }

    /** Returns what the warm-up did, or null before it ended. */
    Result result() {
        return result;
    }
}
