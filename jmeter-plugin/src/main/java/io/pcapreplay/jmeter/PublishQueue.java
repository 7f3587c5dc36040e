package io.pcapreplay.jmeter;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The finished exchanges waiting for the publishing threads: bounded (an offer beyond the capacity is refused, the
 * caller counts it) and sparing with wake-ups. The engine's loop offers; waking a waiting publisher for every
 * exchange cost that loop a futex call per sample (6 % of its time in a 200,000-session run). So while exchanges
 * keep coming (one was taken within the last {@value #BUSY_MILLIS} ms) a publisher waits at most
 * {@value #GATHER_MICROS} µs and is woken early only once {@value #BATCH} exchanges wait; a publisher idle for longer
 * (a quiet test, comet sessions held) sleeps until the next offer wakes it. Samples are published at most that
 * gathering time later; their times are their own.
 *
 * @param <T> the exchange
 */
final class PublishQueue<T> {

    /** Exchanges that wake a publisher waiting in the busy state. */
    static final int BATCH = 32;
    /** The longest wait of a publisher in the busy state, by default. */
    static final long GATHER_MICROS = 1000;
    /** A take within this long makes the queue busy. */
    static final long BUSY_MILLIS = 50;
    private static final long BUSY_NANOS = TimeUnit.MILLISECONDS.toNanos(BUSY_MILLIS);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition batchReady = lock.newCondition();
    private final Condition offered = lock.newCondition();
    private final Object[] items;
    private final LongSupplier nanoClock;
    private final long gatherNanos;
    private int head;
    private int size;
    private int busyWaiters;
    private int idleWaiters;
    private long lastTakeNanos;
    private long wakeUps;

    /**
     * @param capacity the most exchanges waiting
     */
    PublishQueue(int capacity) {
        this(capacity, System::nanoTime, TimeUnit.MICROSECONDS.toNanos(GATHER_MICROS));
    }

    /**
     * @param capacity the most exchanges waiting
     * @param nanoClock {@code System::nanoTime}, or a test's clock (tells busy from idle; waits use real time)
     * @param gatherNanos the longest wait in the busy state
     */
    PublishQueue(int capacity, LongSupplier nanoClock, long gatherNanos) {
        if (capacity < 1) {
            throw new IllegalArgumentException("publish queue capacity: " + capacity + " (expected: 1 or more)");
        }
        this.items = new Object[capacity];
        this.nanoClock = nanoClock;
        this.gatherNanos = gatherNanos;
        this.lastTakeNanos = nanoClock.getAsLong() - BUSY_NANOS;
    }

    /**
     * Adds an exchange (any thread; never blocks).
     *
     * @param item the exchange
     * @return false when the queue is full (the exchange is not added)
     */
    boolean offer(T item) {
        lock.lock();
        try {
            if (size == items.length) {
                return false;
            }
            items[(head + size) % items.length] = item;
            size++;
            if (idleWaiters > 0) {
                wakeUps++;
                offered.signal();
            } else if (busyWaiters > 0 && size >= BATCH) {
                wakeUps++;
                batchReady.signal();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the oldest exchange, waiting for one up to the timeout.
     *
     * @param timeoutNanos the longest wait
     * @return the exchange, or null when none came
     * @throws InterruptedException when the calling thread is interrupted
     */
    T poll(long timeoutNanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long now = nanoClock.getAsLong();
            long deadline = now + timeoutNanos;
            while (size == 0) {
                long left = deadline - now;
                if (left <= 0) {
                    return null;
                }
                if (now - lastTakeNanos < BUSY_NANOS) {
                    busyWaiters++;
                    try {
                        batchReady.awaitNanos(Math.min(left, gatherNanos));
                    } finally {
                        busyWaiters--;
                    }
                } else {
                    idleWaiters++;
                    try {
                        offered.awaitNanos(left);
                    } finally {
                        idleWaiters--;
                    }
                }
                now = nanoClock.getAsLong();
            }
            @SuppressWarnings("unchecked")
            T item = (T) items[head];
            items[head] = null;
            head = (head + 1) % items.length;
            size--;
            lastTakeNanos = now;
            return item;
        } finally {
            lock.unlock();
        }
    }

    /** @return true when no exchange waits */
    boolean isEmpty() {
        lock.lock();
        try {
            return size == 0;
        } finally {
            lock.unlock();
        }
    }

    /** @return the publishers waiting now */
    int waiting() {
        lock.lock();
        try {
            return busyWaiters + idleWaiters;
        } finally {
            lock.unlock();
        }
    }

    /** @return the wake-ups offers have sent to waiting publishers so far */
    long wakeUps() {
        lock.lock();
        try {
            return wakeUps;
        } finally {
            lock.unlock();
        }
    }
}
