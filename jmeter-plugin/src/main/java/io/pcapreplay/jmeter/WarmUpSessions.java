package io.pcapreplay.jmeter;

import io.pcapreplay.net.ReplayRuntime;
import io.pcapreplay.tcp.ExchangeListener;
import io.pcapreplay.tcp.ExchangeResult;
import io.pcapreplay.tcp.Outcome;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.jmeter.util.JMeterUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warm-up sessions ({@code -Jpcapreplay.warmUpSessions=N}, 0 by default): before engine-driven users start, N of the
 * group's sessions are replayed against the target, started at once (the engine paces them as it paces the users)
 * and not sampled, so that the test does not begin on code that JMeter and the agent have yet to compile (a short
 * run's first second ran at a tenth of its later rate: docs/benchmarks.md). They are real sessions to the server
 * under test, hence opt-in. The wait is bounded ({@code pcapreplay.warmUpSeconds}, 60 by default) and counts within
 * the group's duration; sessions still under way then go on unsampled. Not for a live source (its sessions come over
 * time) nor for "each session once" (the warm-up would use them up).
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
     * @param elapsed how long it ran
     */
    record Result(long started, long ended, long ok, long failed, Duration elapsed) {
    }

    private WarmUpSessions() {
    }

    /**
     * Replays the warm-up sessions the JMeter properties ask for, if any, and logs what they did.
     *
     * @param runtime the acquired runtime
     * @param source the group's sessions
     * @param http the group's HTTP rewriting
     * @param rules the evaluated HTTP rules
     * @param eachSessionOnce whether the group replays each session once
     */
    static void runRequested(ReplayRuntime runtime, SessionSource source, HttpReplay http, String rules,
            boolean eachSessionOnce) {
        long count = requested();
        if (count == 0) {
            return;
        }
        if (source.isLive() || eachSessionOnce) {
            LOG.warn("warm-up: {}={} ignored (expected: a capture file replayed pass after pass, not {})",
                SESSIONS_PROPERTY, count, source.isLive() ? "a live source" : "each session once");
            return;
        }
        Duration limit;
        try {
            limit = Duration.ofSeconds(CaptureLimits.number(JMeterUtils::getProperty, SECONDS_PROPERTY, 60, 1, 3_600));
        } catch (IllegalArgumentException e) {
            LOG.error("warm-up: none, {}", e.getMessage());
            return;
        }
        Result result = run(runtime, source, http, rules, count, limit);
        LOG.info("warm-up: {} sessions replayed before the users started, not sampled: {} exchanges OK, {} failed, "
            + "in {} ms{} ({})", result.started(), result.ok(), result.failed(), result.elapsed().toMillis(),
            result.ended() < result.started() ? "; " + (result.started() - result.ended())
                + " still under way after " + limit.toSeconds() + " s go on unsampled" : "", SESSIONS_PROPERTY);
    }

    /** Thread-per-user groups take no warm-up: says so when one is asked. */
    static void warnIgnored(String group) {
        long count = requested();
        if (count > 0) {
            LOG.warn("warm-up: {}={} ignored by thread group '{}' (expected: userMode engine-driven)",
                SESSIONS_PROPERTY, count, group);
        }
    }

    /** The warm-up sessions asked for: 0 when none, or when the property is not a number (logged as an error). */
    private static long requested() {
        try {
            return CaptureLimits.number(JMeterUtils::getProperty, SESSIONS_PROPERTY, 0, 0, MAX_SESSIONS);
        } catch (IllegalArgumentException e) {
            LOG.error("warm-up: none, {}", e.getMessage());
            return 0;
        }
    }

    /**
     * Starts {@code count} sessions at once and waits, at most {@code limit}, for them to end.
     *
     * @return what they did
     */
    static Result run(ReplayRuntime runtime, SessionSource source, HttpReplay http, String rules, long count,
            Duration limit) {
        long start = System.nanoTime();
        Semaphore ends = new Semaphore(0);
        AtomicLong ended = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ExchangeListener listener = new ExchangeListener() {
            @Override
            public void onResult(ExchangeResult result) {
                (result.outcome() == Outcome.OK ? ok : failed).incrementAndGet();
            }

            @Override
            public void onSessionEnd(long sessionId, String reason) {
                ended.incrementAndGet();
                ends.release();
            }
        };
        int started = 0;
        try {
            for (; started < count && !runtime.isStopped(); started++) {
                HttpReplay.Start next = http.next(source, runtime.settings().speedFactor(), rules, 0);
                if (next == null) {
                    break;
                }
                next.abandon(); // no place in the causal order: the test's sessions keep theirs
                if (next.session().exchangeCount() == 0) {
                    break;
                }
                runtime.startSession(next.session(), listener, null, null);
            }
            if (!ends.tryAcquire(started, limit.toNanos(), TimeUnit.NANOSECONDS)) {
                LOG.debug("warm-up: not every session ended within {}", limit);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("warm-up: stopped after {} sessions: {}", started, e.toString());
        }
        return new Result(started, ended.get(), ok.get(), failed.get(), Duration.ofNanos(System.nanoTime() - start));
    }
}
