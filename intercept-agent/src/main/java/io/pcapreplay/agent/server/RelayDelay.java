package io.pcapreplay.agent.server;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Histogram of the relay delay: from a packet's capture timestamp (the kernel's, CLOCK_REALTIME) to the moment the
 * event loop handed the CAPTURED frame holding it to the replayer's socket. Log-linear buckets in microseconds
 * (exact below 4 µs, then 4 buckets per power of two: at most 25 % wide), up to about 1,000 s. Thread-safe.
 */
public final class RelayDelay {

    private static final int SUB_BUCKETS = 4;
    private static final int BUCKETS = SUB_BUCKETS + 30 * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    /** @param micros one packet's delay in microseconds (negative: clock stepped, counted as 0) */
    public void record(long micros) {
        counts.incrementAndGet(bucket(Math.max(0, micros)));
    }

    /** @return the counts so far */
    public Snapshot snapshot() {
        long[] copy = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            copy[i] = counts.get(i);
        }
        return new Snapshot(copy);
    }

    static int bucket(long micros) {
        if (micros < SUB_BUCKETS) {
            return (int) micros;
        }
        int magnitude = 63 - Long.numberOfLeadingZeros(micros);
        int shift = magnitude - 2;
        int index = SUB_BUCKETS + shift * SUB_BUCKETS + (int) ((micros >>> shift) & (SUB_BUCKETS - 1));
        return Math.min(index, BUCKETS - 1);
    }

    /** @return the largest delay in a bucket, µs */
    static long upperBound(int bucket) {
        if (bucket < SUB_BUCKETS) {
            return bucket;
        }
        int shift = (bucket - SUB_BUCKETS) / SUB_BUCKETS;
        int sub = (bucket - SUB_BUCKETS) % SUB_BUCKETS;
        return ((long) (SUB_BUCKETS + sub + 1) << shift) - 1;
    }

    /** Counts at one moment; subtract an earlier one for an interval. */
    public static final class Snapshot {
        private final long[] counts;

        Snapshot(long[] counts) {
            this.counts = counts;
        }

        /** @return an empty snapshot */
        public static Snapshot empty() {
            return new Snapshot(new long[BUCKETS]);
        }

        /**
         * @param earlier a snapshot taken before this one (or null)
         * @return the packets recorded between the two
         */
        public Snapshot since(Snapshot earlier) {
            if (earlier == null) {
                return this;
            }
            long[] difference = new long[BUCKETS];
            for (int i = 0; i < BUCKETS; i++) {
                difference[i] = counts[i] - earlier.counts[i];
            }
            return new Snapshot(difference);
        }

        /** @return packets counted */
        public long count() {
            long total = 0;
            for (long count : counts) {
                total += count;
            }
            return total;
        }

        /**
         * @param quantile 0..1
         * @return the delay (µs, upper bound of its bucket) below which that share of packets lies; -1 when empty
         */
        public long quantile(double quantile) {
            long total = count();
            if (total == 0) {
                return -1;
            }
            long rank = Math.max(1, (long) Math.ceil(quantile * total));
            long seen = 0;
            for (int i = 0; i < BUCKETS; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return upperBound(i);
                }
            }
            return upperBound(BUCKETS - 1);
        }

        /** @return "p50 12 p90 20 p99 40 max 812 us (1234 pkts)", or "no packets" */
        public String format() {
            if (count() == 0) {
                return "no packets";
            }
            return String.format(Locale.ROOT, "p50 %d p90 %d p99 %d max %d us (%d pkts)", quantile(0.5),
                    quantile(0.9), quantile(0.99), quantile(1.0), count());
        }
    }
}
