package io.pcapreplay.pcap;

import java.util.Arrays;

/**
 * A growable byte sequence (package-private helper; one per direction of a connection), held in chunks that double
 * from 256 bytes to 64 KiB: growing never copies what is held, so a byte is copied twice in all (appended, then
 * assembled by {@link #toArray()}), and at most one chunk is partly empty. Allocates nothing until the first byte;
 * {@link #release()} drops the bytes.
 */
final class ByteSink {

    private static final byte[][] NO_CHUNKS = new byte[0][];
    private static final int FIRST_CHUNK = 256;
    private static final int LARGEST_CHUNK = 64 << 10;

    private byte[][] chunks = NO_CHUNKS;
    private int chunkCount;
    private int lastFill;
    private int length;
    private long capacity;

    void append(byte[] source, int offset, int count) {
        ensureRoom(count);
        int from = offset;
        int left = count;
        while (left > 0) {
            byte[] last = room();
            int take = Math.min(left, last.length - lastFill);
            System.arraycopy(source, from, last, lastFill, take);
            lastFill += take;
            from += take;
            left -= take;
        }
        length += count;
    }

    /** Appends zeros (new chunks are zero already: nothing is written). */
    void appendZeros(int count) {
        ensureRoom(count);
        int left = count;
        while (left > 0) {
            byte[] last = room();
            int take = Math.min(left, last.length - lastFill);
            lastFill += take;
            left -= take;
        }
        length += count;
    }

    int length() {
        return length;
    }

    /** Returns the bytes held, empty room included: the heap taken. */
    long capacity() {
        return capacity;
    }

    /** Returns the bytes in one array of their length. */
    byte[] toArray() {
        if (chunkCount == 1 && lastFill == chunks[0].length) {
            return chunks[0];
        }
        byte[] result = new byte[length];
        int at = 0;
        for (int index = 0; index < chunkCount; index++) {
            int count = index == chunkCount - 1 ? lastFill : chunks[index].length;
            System.arraycopy(chunks[index], 0, result, at, count);
            at += count;
        }
        return result;
    }

    /** Returns a copy of the first bytes (a live snapshot: the bytes of complete requests). */
    ByteSink prefix(int count) {
        ByteSink copy = new ByteSink();
        byte[] all = toArray();
        copy.append(all, 0, Math.min(count, all.length));
        return copy;
    }

    /** Drops the bytes (the length stays: positions remain valid). */
    void release() {
        chunks = NO_CHUNKS;
        chunkCount = 0;
        lastFill = 0;
        capacity = 0;
    }

    private void ensureRoom(int count) {
        long needed = (long) length + count;
        if (needed > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("stream length: " + needed + " bytes (expected: at most 2 GiB per "
                + "direction of a session; split the capture)");
        }
    }

    /** Returns the last chunk with room, adding one when the last is full. */
    private byte[] room() {
        if (chunkCount > 0 && lastFill < chunks[chunkCount - 1].length) {
            return chunks[chunkCount - 1];
        }
        if (chunkCount == chunks.length) {
            chunks = Arrays.copyOf(chunks, Math.max(4, chunkCount * 2));
        }
        int size = chunkCount == 0 ? FIRST_CHUNK : Math.min(LARGEST_CHUNK, chunks[chunkCount - 1].length * 2);
        byte[] chunk = new byte[size];
        chunks[chunkCount++] = chunk;
        lastFill = 0;
        capacity += size;
        return chunk;
    }
}
