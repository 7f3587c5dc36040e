package io.pcapreplay.agent.router;

import io.pcapreplay.protocol.AddressRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * An immutable lookup table from client address to owner, built from non-overlapping (between owners) ranges:
 * sorted, merged intervals searched by binary search. IPv4 addresses are unsigned 32-bit values; IPv6 addresses are
 * pairs of unsigned 64-bit values.
 *
 * @param <T> the owner type
 */
final class RangeTable<T> {

    private final long[] v4Starts;
    private final long[] v4Ends;
    private final Object[] v4Owners;
    private final long[][] v6Starts;
    private final long[][] v6Ends;
    private final Object[] v6Owners;

    private RangeTable(List<Interval> v4, List<Interval> v6) {
        v4Starts = new long[v4.size()];
        v4Ends = new long[v4.size()];
        v4Owners = new Object[v4.size()];
        for (int i = 0; i < v4.size(); i++) {
            v4Starts[i] = v4.get(i).start[1];
            v4Ends[i] = v4.get(i).end[1];
            v4Owners[i] = v4.get(i).owner;
        }
        v6Starts = new long[v6.size()][];
        v6Ends = new long[v6.size()][];
        v6Owners = new Object[v6.size()];
        for (int i = 0; i < v6.size(); i++) {
            v6Starts[i] = v6.get(i).start;
            v6Ends[i] = v6.get(i).end;
            v6Owners[i] = v6.get(i).owner;
        }
    }

    /**
     * @param ranges every owner's ranges; ranges of different owners must not overlap
     * @param <T> the owner type
     * @return the table
     */
    static <T> RangeTable<T> build(Map<T, ? extends Iterable<AddressRange>> ranges) {
        List<Interval> v4 = new ArrayList<>();
        List<Interval> v6 = new ArrayList<>();
        for (Map.Entry<T, ? extends Iterable<AddressRange>> entry : ranges.entrySet()) {
            for (AddressRange range : entry.getValue()) {
                (range.isIpv4() ? v4 : v6).add(Interval.of(range, entry.getKey()));
            }
        }
        return new RangeTable<>(merge(v4), merge(v6));
    }

    /** @return an empty table */
    static <T> RangeTable<T> empty() {
        return new RangeTable<>(List.of(), List.of());
    }

    /**
     * @param address an IPv4 address as an unsigned value
     * @return its owner, or null
     */
    @SuppressWarnings("unchecked")
    T lookupIpv4(long address) {
        int low = 0;
        int high = v4Starts.length - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (v4Starts[middle] > address) {
                high = middle - 1;
            } else if (v4Ends[middle] < address) {
                low = middle + 1;
            } else {
                return (T) v4Owners[middle];
            }
        }
        return null;
    }

    /**
     * @param high the first 64 bits of an IPv6 address
     * @param low the last 64 bits
     * @return its owner, or null
     */
    @SuppressWarnings("unchecked")
    T lookupIpv6(long high, long low) {
        long[] address = {high, low};
        int first = 0;
        int last = v6Starts.length - 1;
        while (first <= last) {
            int middle = (first + last) >>> 1;
            if (compare(v6Starts[middle], address) > 0) {
                last = middle - 1;
            } else if (compare(v6Ends[middle], address) < 0) {
                first = middle + 1;
            } else {
                return (T) v6Owners[middle];
            }
        }
        return null;
    }

    /** @return the number of merged intervals, both families */
    int size() {
        return v4Owners.length + v6Owners.length;
    }

    private static List<Interval> merge(List<Interval> intervals) {
        intervals.sort(Comparator.comparing((Interval interval) -> interval.start, RangeTable::compare));
        List<Interval> merged = new ArrayList<>();
        for (Interval interval : intervals) {
            Interval last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && compare(interval.start, last.end) <= 0) {
                if (last.owner != interval.owner) {
                    throw new IllegalStateException("ranges of two owners overlap at " + interval);
                }
                if (compare(interval.end, last.end) > 0) {
                    merged.set(merged.size() - 1, new Interval(last.start, interval.end, last.owner));
                }
            } else {
                merged.add(interval);
            }
        }
        return merged;
    }

    private static int compare(long[] left, long[] right) {
        int high = Long.compareUnsigned(left[0], right[0]);
        return high != 0 ? high : Long.compareUnsigned(left[1], right[1]);
    }

    /** An inclusive interval of addresses as {high, low} unsigned 64-bit halves (IPv4: {0, address}). */
    private record Interval(long[] start, long[] end, Object owner) {

        static Interval of(AddressRange range, Object owner) {
            byte[] address = range.address();
            long[] start = new long[2];
            if (address.length == 4) {
                start[1] = toLong(address, 0, 4);
            } else {
                start[0] = toLong(address, 0, 8);
                start[1] = toLong(address, 8, 8);
            }
            int hostBits = address.length * 8 - range.prefixLength();
            long[] end = start.clone();
            if (hostBits >= 64) {
                end[1] = -1L;
                end[0] |= hostBits == 128 ? -1L : (1L << (hostBits - 64)) - 1;
            } else if (hostBits > 0) {
                end[1] |= (1L << hostBits) - 1;
            }
            return new Interval(start, end, owner);
        }

        private static long toLong(byte[] bytes, int offset, int length) {
            long value = 0;
            for (int i = 0; i < length; i++) {
                value = (value << 8) | (bytes[offset + i] & 0xFF);
            }
            return value;
        }

        @Override
        public String toString() {
            return Long.toUnsignedString(start[0], 16) + ":" + Long.toUnsignedString(start[1], 16);
        }
    }
}
