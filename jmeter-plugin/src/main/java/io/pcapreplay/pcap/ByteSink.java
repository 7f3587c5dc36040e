package io.pcapreplay.pcap;

import java.util.Arrays;

/**
 * A growable byte array (package-private helper; one per direction of a connection). Allocates nothing until the
 * first byte, grows by half (so a stream near its limit holds at most a third more than its bytes), and can be
 * released.
 */
final class ByteSink {

    private static final byte[] EMPTY = new byte[0];
    private static final int FIRST_CAPACITY = 256;

    private byte[] bytes = EMPTY;
    private int length;

    void append(byte[] source, int offset, int count) {
        ensure(count);
        System.arraycopy(source, offset, bytes, length, count);
        length += count;
    }

    void appendZeros(int count) {
        ensure(count);
        Arrays.fill(bytes, length, length + count, (byte) 0);
        length += count;
    }

    int length() {
        return length;
    }

    /** Returns the bytes held, capacity included: the heap taken. */
    int capacity() {
        return bytes.length;
    }

    /** Returns the bytes, trimmed to their length. */
    byte[] toArray() {
        return bytes.length == length ? bytes : Arrays.copyOf(bytes, length);
    }

    /** Drops the bytes (the length stays: positions remain valid). */
    void release() {
        bytes = EMPTY;
    }

    private void ensure(int count) {
        long needed = (long) length + count;
        if (needed > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("stream length: " + needed + " bytes (expected: at most 2 GiB per "
                + "direction of a session; split the capture)");
        }
        if (needed > bytes.length) {
            long grown = Math.max(Math.max(needed, FIRST_CAPACITY), Math.min(bytes.length + (long) (bytes.length >> 1),
                Integer.MAX_VALUE - 16));
            bytes = Arrays.copyOf(bytes, (int) grown);
        }
    }
}
