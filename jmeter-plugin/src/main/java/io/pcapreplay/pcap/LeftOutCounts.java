package io.pcapreplay.pcap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** How many connections were left out, by {@link LeftOutReason}: an immutable snapshot. */
public final class LeftOutCounts {

    /** Nothing left out. */
    public static final LeftOutCounts NONE = new LeftOutCounts(new long[LeftOutReason.values().length]);

    private final long[] counts;

    private LeftOutCounts(long[] counts) {
        this.counts = counts;
    }

    /**
     * Makes a snapshot of counters indexed by {@link LeftOutReason#ordinal()}.
     *
     * @param counts the counters (copied)
     * @return the snapshot
     */
    static LeftOutCounts of(long[] counts) {
        return new LeftOutCounts(Arrays.copyOf(counts, LeftOutReason.values().length));
    }

    /**
     * Returns one count.
     *
     * @param reason the reason
     * @return the connections left out for it
     */
    public long count(LeftOutReason reason) {
        return counts[reason.ordinal()];
    }

    /** Returns every count summed: the total. */
    public long total() {
        return Arrays.stream(counts).sum();
    }

    /** Returns the sessions of the capture that will not be replayed (the reported reasons): the count. */
    public long reported() {
        long sum = 0;
        for (LeftOutReason reason : LeftOutReason.values()) {
            if (reason.isReported()) {
                sum += counts[reason.ordinal()];
            }
        }
        return sum;
    }

    /**
     * Adds two snapshots.
     *
     * @param other the other counts
     * @return the sums
     */
    public LeftOutCounts plus(LeftOutCounts other) {
        long[] sums = new long[counts.length];
        for (int index = 0; index < sums.length; index++) {
            sums[index] = counts[index] + other.counts[index];
        }
        return new LeftOutCounts(sums);
    }

    /** Returns e.g. "2 whose client payload was cut ..., 14 without payload", or "none". */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (LeftOutReason reason : LeftOutReason.values()) {
            if (reason.isReported() && counts[reason.ordinal()] > 0) {
                parts.add(counts[reason.ordinal()] + " " + reason.description());
            }
        }
        for (LeftOutReason reason : LeftOutReason.values()) {
            if (!reason.isReported() && counts[reason.ordinal()] > 0) {
                parts.add(counts[reason.ordinal()] + " connection(s) " + reason.description());
            }
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LeftOutCounts counted && Arrays.equals(counts, counted.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }
}
