package io.pcapreplay.pcap;

import java.util.Arrays;

/** A growable long array (package-private helper). */
final class LongSink {

    private long[] values = new long[8];
    private int size;

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
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
