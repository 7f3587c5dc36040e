package io.pcapreplay.tcp;

/**
 * The bounded hand-off of the target's packets from the agent client's thread(s) to the event loop: two fixed
 * batches of reusable byte slots, each packet with the time it was on the wire. Producers copy into the filling
 * batch under a lock; the loop swaps batches under the same lock and reads the full one without it. When the filling
 * batch is full the producer waits for the loop's next swap, at most a bounded time, and only then drops the packet
 * (counted): a loop that falls behind for a moment slows the agent client's reading (TCP pushes back to the agent,
 * whose queue absorbs it) instead of losing packets the server would retransmit a second later. No allocation once a
 * slot has grown to the packet size.
 */
final class InboundQueue {

    /** How long a producer waits for room before it drops the packet. */
    static final long DEFAULT_WAIT_NANOS = 500_000_000L;
    private static final int INITIAL_SLOT_BYTES = 2_048;

    /** One batch of packets. */
    static final class Batch {
        final byte[][] packets;
        final int[] lengths;
        final long[] wireNanos;
        int size;

        Batch(int capacity) {
            packets = new byte[capacity][];
            lengths = new int[capacity];
            wireNanos = new long[capacity];
        }
    }

    private Batch filling;
    private Batch draining;
    private final long waitNanos;
    private long drops;
    private long waits;
    private int waiting;
    private volatile boolean queued;

    InboundQueue(int capacity) {
        this(capacity, DEFAULT_WAIT_NANOS);
    }

    InboundQueue(int capacity, long waitNanos) {
        filling = new Batch(capacity);
        draining = new Batch(capacity);
        this.waitNanos = waitNanos;
    }

    /**
     * Copies a packet in; when the queue is full, waits for the loop to take a batch, at most the queue's wait, then
     * drops the packet (counted).
     *
     * @param wireNanos when it was on the wire (the engine's wire clock), or -1 when unknown
     * @return whether it was queued
     */
    synchronized boolean offer(byte[] packet, int offset, int length, long wireNanos) {
        if (filling.size == filling.packets.length && !awaitRoom()) {
            drops++;
            return false;
        }
        Batch batch = filling;
        byte[] slot = batch.packets[batch.size];
        if (slot == null || slot.length < length) {
            slot = new byte[Math.max(INITIAL_SLOT_BYTES, length)];
            batch.packets[batch.size] = slot;
        }
        System.arraycopy(packet, offset, slot, 0, length);
        batch.lengths[batch.size] = length;
        batch.wireNanos[batch.size] = wireNanos;
        batch.size++;
        queued = true;
        return true;
    }

    /** Tells whether packets wait for the loop (any thread, no lock: the idle loop polls it). */
    boolean hasPackets() {
        return queued;
    }

    /** Swaps batches and returns the full one; the loop reads it and then calls {@link #release(Batch)}. */
    synchronized Batch take() {
        queued = false;
        Batch full = filling;
        filling = draining;
        draining = full;
        if (waiting > 0) {
            notifyAll();
        }
        return full;
    }

    /** Waits (holding the lock's monitor) until the filling batch has room or the wait ends: whether it has room. */
    private boolean awaitRoom() {
        waits++;
        long deadline = System.nanoTime() + waitNanos;
        waiting++;
        try {
            while (filling.size == filling.packets.length) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000L));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            waiting--;
        }
    }

    /** Empties a batch taken with {@link #take()}. */
    void release(Batch batch) {
        batch.size = 0;
    }

    /** Returns packets dropped because the loop fell behind longer than the wait. */
    synchronized long drops() {
        return drops;
    }

    /** Returns how often a producer found the queue full and waited for the loop. */
    synchronized long waits() {
        return waits;
    }
}
