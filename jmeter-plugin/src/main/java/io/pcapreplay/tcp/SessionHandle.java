package io.pcapreplay.tcp;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * One replayed session as seen by its user. With a listener, results go to the listener on the event loop; without
 * one, they queue here and a user thread takes them with {@link #awaitNext(Duration)} ("thread per user").
 */
public final class SessionHandle {

    private final long id;
    private final ExchangeListener listener;
    private ArrayDeque<ExchangeResult> results;
    private boolean done;
    private boolean waitEnded;
    private String endReason = "";
    private volatile RequestPacer pacer;
    private volatile ExchangeGate gate;

    SessionHandle(long id, ExchangeListener listener) {
        this.id = id;
        this.listener = listener;
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
    public synchronized boolean isDone() {
        return done;
    }

    /** Returns why the session ended: the reason, "" while it runs. */
    public synchronized String endReason() {
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
        if (listener != null) {
            throw new IllegalStateException("awaitNext on session " + id + ": results go to its listener (expected: "
                + "a session started without a listener)");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (results == null || results.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (done || left <= 0) {
                    return null;
                }
                wait(left / 1_000_000, (int) (left % 1_000_000));
            }
            return results.poll();
        }
    }

    /**
     * Waits until the session is over (its connection closed, reset or the engine stopped), the timeout passed, or
     * {@link #endWait()} was called (then it returns at once, now and from then on).
     *
     * @param timeout the longest wait
     * @return whether the session is over
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!done && !waitEnded) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                wait(left / 1_000_000, (int) (left % 1_000_000));
            }
            return done;
        }
    }

    /** Ends every wait in {@link #awaitEnd(Duration)}, now and later (the session itself goes on). */
    public synchronized void endWait() {
        waitEnded = true;
        notifyAll();
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
        synchronized (this) {
            if (results == null) {
                results = new ArrayDeque<>(4);
            }
            results.add(result);
            notifyAll();
        }
        return true;
    }

    /** Marks the session over; on the event loop. */
    void finish(String reason) {
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            endReason = reason;
            notifyAll();
        }
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
