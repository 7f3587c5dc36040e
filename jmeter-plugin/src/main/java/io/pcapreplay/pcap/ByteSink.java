package io.pcapreplay.pcap;

import java.util.Arrays;

/** A growable byte array (package-private helper; one per direction of a connection). */
final class ByteSink {

    private byte[] bytes;
    private int length;

    ByteSink() {
        this(256);
    }

    ByteSink(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

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

    /** Returns the bytes, trimmed to their length. */
    byte[] toArray() {
        return bytes.length == length ? bytes : Arrays.copyOf(bytes, length);
    }

    private void ensure(int count) {
        long needed = (long) length + count;
        if (needed > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("stream length: " + needed + " bytes (expected: at most 2 GiB per "
                + "direction of a session; split the capture)");
        }
        if (needed > bytes.length) {
            long grown = Math.max(needed, Math.min((long) bytes.length * 2, Integer.MAX_VALUE - 16));
            bytes = Arrays.copyOf(bytes, (int) grown);
        }
    }
}
