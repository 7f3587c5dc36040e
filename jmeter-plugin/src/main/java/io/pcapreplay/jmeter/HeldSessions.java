package io.pcapreplay.jmeter;

import io.pcapreplay.tcp.SessionHandle;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.jmeter.threads.JMeterContext;
import org.apache.jmeter.threads.JMeterThread;

/**
 * Comet mode, thread per user: after its last exchange a user holds its session (no timer element needed) until the
 * server closes it or the engine stops, the thread's scheduled end time passes, or the test is stopped
 * ({@link #releaseAll()}: JMeter's Shutdown, whose threads end after their current sample, would otherwise wait for
 * every hold). One per thread group and run.
 */
final class HeldSessions {

    /** Longest single wait: a hold without an end time looks at the clock again after it. */
    private static final long SLICE_MILLIS = 3_600_000;

    private final Set<SessionHandle> held = ConcurrentHashMap.newKeySet();
    private final LongSupplier clockMillis;
    private volatile boolean released;

    HeldSessions() {
        this(System::currentTimeMillis);
    }

    HeldSessions(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    /**
     * Holds the user's session after its last exchange until the server closes it or the engine stops, the thread's
     * scheduled end time passes (the group's duration), or the test stops; then this loop iteration ends (the next
     * one starts another session, as an engine-driven user's does).
     *
     * @param context the user's JMeter context
     * @param user the user, holding
     * @return whether the session is over (false: the end time passed or the test stops; the user should end)
     */
    static boolean holdUntilOver(JMeterContext context, UserSession user) {
        SessionHandle handle = user.handle();
        // a held user keeps nothing of its last sample (listeners and assertions had it): `prev` in the next
        // iteration's first pre-processor is null, as at a thread's first sample
        context.setPreviousResult(null);
        context.getVariables().remove(ReplayedExchange.VARIABLE);
        JMeterThread thread = context.getThread();
        long endMillis = thread == null ? 0 : thread.getEndTime();
        try {
            return context.getThreadGroup() instanceof PcapReplayThreadGroup group
                && group.heldSessions().hold(handle, endMillis);
        } catch (InterruptedException e) {
            return false; // Stop now: the hold ends without a sample
        } finally {
            user.end();
        }
    }

    /**
     * Holds a session until it is over, the end time passed, or {@link #releaseAll()}.
     *
     * @param handle the session, its last exchange sampled
     * @param endMillis the user's end time (epoch ms, as JMeter's scheduler counts it); 0 for none
     * @return whether the session is over (false: the user stopped holding it, the connection stays open)
     * @throws InterruptedException when the user is interrupted (Stop now)
     */
    boolean hold(SessionHandle handle, long endMillis) throws InterruptedException {
        held.add(handle);
        try {
            if (released) {
                handle.endWait(); // released after this user looked: it must not wait
            }
            while (!handle.isDone() && !released) {
                // JMeter stops a scheduled thread once the clock is past the end time: wait until it is
                long left = endMillis > 0 ? endMillis - clockMillis.getAsLong() + 1 : SLICE_MILLIS;
                if (left <= 0) {
                    break;
                }
                handle.awaitEnd(Duration.ofMillis(Math.min(left, SLICE_MILLIS)));
            }
            return handle.isDone();
        } finally {
            held.remove(handle);
        }
    }

    /** Ends every hold, now and from now on (the test is stopping). */
    void releaseAll() {
        released = true;
        held.forEach(SessionHandle::endWait);
    }

    /** Returns the users holding a session now: the count. */
    int count() {
        return held.size();
    }
}
