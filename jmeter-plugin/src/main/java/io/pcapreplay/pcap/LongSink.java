package io.pcapreplay.pcap;

import java.util.Arrays;

/** A growable long array (package-private helper); allocates nothing until the first value. */
final class LongSink {

    private static final long[] EMPTY = new long[0];

    private long[] values = EMPTY;
    private int size;

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, Math.max(8, size + (size >> 1)));
        }
        values[size++] = value;
    }

    long get(int index) {
        return values[index];
    }

    void set(int index, long value) {
        values[index] = value;
    }

    int size() {
        return size;
    }

    long last() {
        return values[size - 1];
    }

    /** Returns the heap taken by the values: bytes. */
    long capacityBytes() {
        return values.length * 8L;
    }

    /** Drops the values. */
    void release() {
        values = EMPTY;
        size = 0;
    }

    long[] toArray() {
        return Arrays.copyOf(values, size);
    }

    int[] toIntArray() {
        int[] result = new int[size];
        for (int index = 0; index < size; index++) {
            result[index] = (int) values[index];
        }
        return result;
    }
}
