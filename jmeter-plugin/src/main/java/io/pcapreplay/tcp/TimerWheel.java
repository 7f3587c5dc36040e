package io.pcapreplay.tcp;

import java.util.Arrays;

/**
  * A hashed timer wheel for the engine's event loop: one pending deadline per {@link Node}, no allocation per timer.
  *
  * <p>Nodes are linked intrusively (the links live in the node), so scheduling, rescheduling and cancelling are
  * O(1) and a million armed timers cost no extra objects. Deadlines are in nanoseconds of the engine's clock; a
  * node sits in the bucket of its deadline's tick (rounded up), and {@link #advance} fires every node due at its
  * {@code now}, also those due within the current tick: a timer never fires early, and fires at the first advance
  * at or after its deadline, so its precision is that of the caller's wake-ups, not the tick
  * ({@link #nextDeadline(long)} tells the caller when to wake). The tick only sets how many buckets an advance
  * walks. Not thread-safe: only the event loop touches it.
  */
public final class TimerWheel {

    /** A schedulable element: extend it to give an object one timer slot. */
    public abstract static class Node {
        private Node timerNext;
        private Node timerPrev;
        private long timerDeadline = NOT_SCHEDULED;
        private int timerBucket;

        /** The pending deadline in nanoseconds, or {@link #NOT_SCHEDULED}. */
        public final long timerDeadline() {
            return timerScheduled() ? timerDeadline : NOT_SCHEDULED;
        }

        /** Whether a deadline is pending. */
        public final boolean timerScheduled() {
            return timerDeadline != NOT_SCHEDULED && timerDeadline != FIRING;
        }
    }

    /** Receives expired nodes. */
    @FunctionalInterface
    public interface Expiry {
        /** Called once per expired node, after it was unscheduled (it may schedule itself again). */
        void expired(Node node, long now);
    }

    /** Deadline value of a node that is not scheduled. */
    public static final long NOT_SCHEDULED = Long.MIN_VALUE;

    /** Most nodes {@link #nextDeadline(long)} examines. */
    private static final int MAX_EXAMINED = 4_096;

    /** Deadline value of a node taken out of its bucket and about to fire. */
    private static final long FIRING = Long.MIN_VALUE + 1;

    private final long tickNanos;
    private final Node[] buckets;
    private final int mask;
    private long currentTick;
    private int size;
    private Node[] firing = new Node[64];
    private Node earliest;

    /**
      * Creates a wheel.
      *
      * @param tickNanos resolution in nanoseconds (e.g. 1 ms)
      * @param bucketCount number of buckets, rounded up to a power of two
      * @param startNanos the clock's current time
      */
    public TimerWheel(long tickNanos, int bucketCount, long startNanos) {
        if (tickNanos <= 0) {
            throw new IllegalArgumentException("timer tick: " + tickNanos + " ns (expected: > 0)");
        }
        if (bucketCount <= 0 || bucketCount > (1 << 24)) {
            throw new IllegalArgumentException("timer buckets: " + bucketCount + " (expected: 1 to 16777216)");
        }
        int buckets = Integer.highestOneBit(bucketCount);
        if (buckets < bucketCount) {
            buckets <<= 1;
        }
        this.tickNanos = tickNanos;
        this.buckets = new Node[buckets];
        this.mask = buckets - 1;
        this.currentTick = Math.floorDiv(startNanos, tickNanos);
    }

    /** Number of scheduled nodes. */
    public int size() {
        return size;
    }

    /** Schedules (or reschedules) a node at an absolute deadline in nanoseconds. */
    public void schedule(Node node, long deadlineNanos) {
        if (deadlineNanos == NOT_SCHEDULED || deadlineNanos == FIRING) {
            throw new IllegalArgumentException("timer deadline: " + deadlineNanos + " (expected: a clock value)");
        }
        if (node.timerDeadline != NOT_SCHEDULED && node.timerDeadline != FIRING) {
            unlink(node);
        }
        node.timerDeadline = deadlineNanos;
        long tick = Math.max(ceilDiv(deadlineNanos, tickNanos), currentTick);
        int index = (int) (tick & mask);
        Node head = buckets[index];
        node.timerBucket = index;
        node.timerPrev = null;
        node.timerNext = head;
        if (head != null) {
            head.timerPrev = node;
        }
        buckets[index] = node;
        size++;
    }

    /** Cancels a node's pending deadline; does nothing when none is pending. */
    public void cancel(Node node) {
        if (node.timerDeadline != NOT_SCHEDULED && node.timerDeadline != FIRING) {
            unlink(node);
        }
        node.timerDeadline = NOT_SCHEDULED;
    }

    /**
      * Fires every node whose deadline is at or before {@code now}, in tick order. Callbacks may schedule or cancel
      * any node, including ones due in the same call (a cancelled one is then not fired).
      *
      * @return the number of nodes fired
      */
    public int advance(long now, Expiry expiry) {
        long lastTick = ceilDiv(now, tickNanos); // the current tick's bucket holds deadlines up to its end
        int fired = 0;
        // past one full turn every bucket is visited once
        long last = lastTick - currentTick > mask ? currentTick + mask : lastTick;
        for (long tick = currentTick; tick <= last; tick++) {
            fired += fireBucket((int) (tick & mask), now, expiry);
        }
        currentTick = Math.max(currentTick, Math.floorDiv(now, tickNanos));
        return fired;
    }

    /**
     * Returns when the loop should wake next: the earliest pending deadline when it is before {@code horizonNanos},
     * else {@code horizonNanos}. Walks the buckets from the current tick up to the horizon (at most one turn: past
     * it, the end of that turn is answered) and
     * examines at most {@value #MAX_EXAMINED} nodes; past that it answers the start of the bucket it stopped in,
     * earlier than any deadline not yet seen (waking early is harmless). {@link #earliestNode()} tells which node
     * the answer belongs to.
     *
     * @param horizonNanos the latest answer wanted
     * @return a time at or before the earliest pending deadline, or {@code horizonNanos}
     */
    public long nextDeadline(long horizonNanos) {
        earliest = null;
        if (size == 0) {
            return horizonNanos;
        }
        long lastTick = Math.min(ceilDiv(horizonNanos, tickNanos), currentTick + mask);
        int examined = 0;
        for (long tick = currentTick; tick <= lastTick; tick++) {
            long bucketEnd = tick * tickNanos;
            long best = Long.MAX_VALUE;
            for (Node node = buckets[(int) (tick & mask)]; node != null; node = node.timerNext) {
                if (++examined > MAX_EXAMINED) {
                    earliest = null;
                    return Math.min(best, Math.min(horizonNanos, bucketEnd - tickNanos));
                }
                long deadline = node.timerDeadline;
                if (deadline <= bucketEnd && deadline < best) { // this turn's node (later turns share the bucket)
                    best = deadline;
                    earliest = node;
                }
            }
            if (best != Long.MAX_VALUE) {
                return Math.min(best, horizonNanos);
            }
        }
        return Math.min(horizonNanos, lastTick * tickNanos); // nothing due up to there (one turn at most)
    }

    /** Returns the node whose deadline the last {@link #nextDeadline(long)} answered, or null (horizon, bound). */
    public Node earliestNode() {
        return earliest;
    }

    private int fireBucket(int index, long now, Expiry expiry) {
        int due = 0;
        for (Node node = buckets[index]; node != null; ) {
            Node next = node.timerNext;
            if (node.timerDeadline <= now) {
                unlink(node);
                node.timerDeadline = FIRING;
                if (due == firing.length) {
                    firing = Arrays.copyOf(firing, due * 2);
                }
                firing[due++] = node;
            }
            node = next;
        }
        int fired = 0;
        for (int i = 0; i < due; i++) {
            Node node = firing[i];
            firing[i] = null;
            if (node.timerDeadline == FIRING) {
                node.timerDeadline = NOT_SCHEDULED;
                fired++;
                expiry.expired(node, now);
            }
        }
        return fired;
    }

    private void unlink(Node node) {
        Node prev = node.timerPrev;
        Node next = node.timerNext;
        if (prev != null) {
            prev.timerNext = next;
        } else {
            buckets[node.timerBucket] = next;
        }
        if (next != null) {
            next.timerPrev = prev;
        }
        node.timerNext = null;
        node.timerPrev = null;
        size--;
    }

    private static long ceilDiv(long value, long divisor) {
        return -Math.floorDiv(-value, divisor);
    }
}
