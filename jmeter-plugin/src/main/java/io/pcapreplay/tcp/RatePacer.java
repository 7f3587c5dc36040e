package io.pcapreplay.tcp;

/**
 * A {@link RequestPacer} for a fixed number of requests per second: slots {@code 1/rate} apart, handed out in
 * request order (no burst). Thread-safe; times are {@link System#nanoTime()} values, as the engine's clock.
 */
public final class RatePacer implements RequestPacer {

    private final long intervalNanos;
    private long nextSlot = Long.MIN_VALUE;

    /**
     * @param requestsPerSecond the rate, greater than 0
     */
    public RatePacer(double requestsPerSecond) {
        if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("requests per second: " + requestsPerSecond + " (expected: > 0)");
        }
        this.intervalNanos = Math.max(1, Math.round(1e9 / requestsPerSecond));
    }

    @Override
    public synchronized long reserve(long earliestNanos) {
        long slot = nextSlot == Long.MIN_VALUE || earliestNanos - nextSlot > 0 ? earliestNanos : nextSlot;
        nextSlot = slot + intervalNanos;
        return slot;
    }

    /**
     * Returns how far ahead the slots are handed out: the longest a request asking now would wait.
     *
     * @param nowNanos the current time
     * @return ns, 0 when a request could go now
     */
    public synchronized long backlogNanos(long nowNanos) {
        return nextSlot == Long.MIN_VALUE ? 0 : Math.max(0, nextSlot - nowNanos);
    }

    /** Returns the time between two slots: ns. */
    public long intervalNanos() {
        return intervalNanos;
    }
}
