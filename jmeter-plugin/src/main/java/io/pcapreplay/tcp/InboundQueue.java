package io.pcapreplay.tcp;

/**
 * The bounded hand-off of the target's packets from the agent client's thread(s) to the event loop: two fixed
 * batches of reusable byte slots, each packet with the time it was on the wire. Producers copy into the filling
 * batch under a lock; the loop swaps batches under the same lock and reads the full one without it. A full batch
 * drops the packet (counted). No allocation once a slot has grown to the packet size.
 */
final class InboundQueue {

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
    private long drops;
    private volatile boolean queued;

    InboundQueue(int capacity) {
        filling = new Batch(capacity);
        draining = new Batch(capacity);
    }

    /**
     * Copies a packet in, or drops it.
     *
     * @param wireNanos when it was on the wire (the engine's wire clock), or -1 when unknown
     * @return whether it was queued
     */
    synchronized boolean offer(byte[] packet, int offset, int length, long wireNanos) {
        Batch batch = filling;
        if (batch.size == batch.packets.length) {
            drops++;
            return false;
        }
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
        return full;
    }

    /** Empties a batch taken with {@link #take()}. */
    void release(Batch batch) {
        batch.size = 0;
    }

    /** Returns packets dropped because the loop fell behind. */
    synchronized long drops() {
        return drops;
    }
}
