package io.pcapreplay.tcp;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One replayed session as seen by its user. With a listener, results go to the listener on the event loop; without
 * one, they queue here and a user thread takes them with {@link #awaitNext(Duration)} ("thread per user") and may
 * wait for the end with {@link #awaitEnd(Duration)}. Those waits use a {@link ReentrantLock} and its
 * {@link Condition}, not a monitor: a virtual thread waiting in {@code Object.wait} pins its carrier thread on Java
 * 21-23, so tens of thousands of held users would need as many carriers. A handle with a listener has no lock (the
 * engine-driven users hold millions of sessions: every byte counts).
 */
public final class SessionHandle {

    private final long id;
    private final ExchangeListener listener;
    /** Guards {@link #results} and signals {@link #changed}; null with a listener (nobody waits). */
    private final ReentrantLock lock;
    private final Condition changed;
    private ArrayDeque<ExchangeResult> results;
    private volatile boolean done;
    private volatile boolean waitEnded;
    private volatile String endReason = "";
    private volatile RequestPacer pacer;
    private volatile ExchangeGate gate;

    SessionHandle(long id, ExchangeListener listener) {
        this.id = id;
        this.listener = listener;
        this.lock = listener == null ? new ReentrantLock() : null;
        this.changed = lock == null ? null : lock.newCondition();
    }

    /** Returns the engine-assigned session id: the id found in every {@link ExchangeResult}. */
    public long id() {
        return id;
    }

    /** Returns the pacer of this session's requests after the first, or null. */
    RequestPacer pacer() {
        return pacer;
    }

    void pacer(RequestPacer value) {
        pacer = value;
    }

    /** Returns the gate of this session's exchanges, or null. */
    ExchangeGate gate() {
        return gate;
    }

    void gate(ExchangeGate value) {
        gate = value;
    }

    /** Tells whether an exchange may begin now: its gate is open, or it has none. */
    boolean mayBegin(int exchangeIndex) {
        ExchangeGate current = gate;
        if (current == null) {
            return true;
        }
        try {
            return current.mayBegin(exchangeIndex);
        } catch (RuntimeException e) {
            return true; // a failing gate must not hold the session
        }
    }

    /** Tells whether the session is over (results may still be queued): whether it is. */
    public boolean isDone() {
        return done;
    }

    /** Returns why the session ended: the reason, "" while it runs. */
    public String endReason() {
        return endReason;
    }

    /**
     * Waits for the next result of a handle created without a listener.
     *
     * @param timeout the longest wait
     * @return the next result; null when the timeout passed, or the session is over and every result was taken
     * @throws InterruptedException when the waiting thread is interrupted
     * @throws IllegalStateException when the handle has a listener (its results are not queued)
     */
    public ExchangeResult awaitNext(Duration timeout) throws InterruptedException {
        requireQueued("awaitNext");
        long left = timeout.toNanos();
        lock.lockInterruptibly();
        try {
            while (results == null || results.isEmpty()) {
                if (done || left <= 0) {
                    return null;
                }
                left = changed.awaitNanos(left);
            }
            return results.poll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the session is over (its connection closed, reset or the engine stopped), the timeout passed, or
     * {@link #endWait()} was called (then it returns at once, now and from then on).
     *
     * @param timeout the longest wait
     * @return whether the session is over
     * @throws InterruptedException when the waiting thread is interrupted
     * @throws IllegalStateException when the handle has a listener (the end goes to the listener)
     */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        requireQueued("awaitEnd");
        long left = timeout.toNanos();
        lock.lockInterruptibly();
        try {
            while (!done && !waitEnded && left > 0) {
                left = changed.awaitNanos(left);
            }
            return done;
        } finally {
            lock.unlock();
        }
    }

    /** Ends every wait in {@link #awaitEnd(Duration)}, now and later (the session itself goes on). */
    public void endWait() {
        waitEnded = true;
        signalAll();
    }

    private void requireQueued(String wait) {
        if (listener != null) {
            throw new IllegalStateException(wait + " on session " + id + ": results go to its listener (expected: "
                + "a session started without a listener)");
        }
    }

    /** Wakes every waiting thread (after a change it must see); nothing to do with a listener. */
    private void signalAll() {
        if (lock != null) {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Hands a result to the listener or the queue; on the event loop. Returns false when the listener threw. */
    boolean publish(ExchangeResult result) {
        ExchangeGate current = gate;
        if (current != null) {
            try {
                current.finished(result.exchangeIndex());
            } catch (RuntimeException e) {
                // a failing gate must not stop the loop
            }
        }
        if (listener != null) {
            try {
                listener.onResult(result);
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }
        lock.lock();
        try {
            if (results == null) {
                results = new ArrayDeque<>(4);
            }
            results.add(result);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return true;
    }

    /** Marks the session over; on the event loop. */
    void finish(String reason) {
        synchronized (this) { // once; nobody waits on this monitor (a waiting virtual thread would pin its carrier)
            if (done) {
                return;
            }
            endReason = reason;
            done = true;
        }
        signalAll();
        ExchangeGate current = gate;
        if (current != null) {
            try {
                current.sessionEnded();
            } catch (RuntimeException e) {
                // a failing gate must not stop the loop
            }
        }
        if (listener != null) {
            try {
                listener.onSessionEnd(id, reason);
            } catch (RuntimeException e) {
                // a listener's failure must not stop the loop
            }
        }
    }

    @Override
    public String toString() {
        return "session " + id;
    }
}
