package io.pcapreplay.pcap;

import java.io.Closeable;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a file through one large byte array: records are decoded in place (no copy, no object per record). The
 * window {@code [position, limit)} holds the unread bytes; {@link #require(int)} refills it, growing the array only
 * for a record larger than it (up to the file's remaining size, so a bogus length never allocates more than the
 * file holds). Not thread-safe.
 */
final class FileBuffer implements Closeable {

    /** Bytes read from the file at a time. */
    static final int DEFAULT_CAPACITY = 1 << 20;

    private static final VarHandle INT_LITTLE = MethodHandles.byteArrayViewVarHandle(int[].class,
        ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_BIG = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT_LITTLE = MethodHandles.byteArrayViewVarHandle(short[].class,
        ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_BIG = MethodHandles.byteArrayViewVarHandle(short[].class,
        ByteOrder.BIG_ENDIAN);

    private final FileChannel channel;
    private final long size;
    private byte[] bytes;
    private ByteBuffer target;
    private int position;
    private int limit;
    private long arrayStart;

    FileBuffer(Path file, int capacity) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.size = channel.size();
        this.bytes = new byte[(int) Math.max(64, Math.min(capacity, size))];
        this.target = ByteBuffer.wrap(bytes);
    }

    /**
     * Makes {@code count} bytes readable from {@link #position()}.
     *
     * @param count the bytes needed
     * @return false when the file ends first (the bytes that are there stay readable)
     * @throws IOException when reading fails
     */
    boolean require(int count) throws IOException {
        if (limit - position >= count) {
            return true;
        }
        if (count > size - fileOffset()) {
            fillToEnd();
            return false;
        }
        if (count > bytes.length) {
            byte[] larger = new byte[count];
            System.arraycopy(bytes, position, larger, 0, limit - position);
            bytes = larger;
            target = ByteBuffer.wrap(bytes);
        } else {
            System.arraycopy(bytes, position, bytes, 0, limit - position);
        }
        arrayStart += position;
        limit -= position;
        position = 0;
        while (limit < count) {
            if (read() < 0) {
                return false;
            }
        }
        return true;
    }

    /** Reads what the array can take until the end of the file (used when the file ends within a record). */
    private void fillToEnd() throws IOException {
        if (limit == bytes.length && position > 0) {
            System.arraycopy(bytes, position, bytes, 0, limit - position);
            arrayStart += position;
            limit -= position;
            position = 0;
        }
        while (limit < bytes.length && read() >= 0) {
            // until full or end of file
        }
    }

    private int read() throws IOException {
        target.limit(bytes.length).position(limit);
        int read = channel.read(target);
        if (read > 0) {
            limit += read;
        }
        return read;
    }

    /** Returns the array holding the readable bytes (valid until the next {@link #require(int)}). */
    byte[] bytes() {
        return bytes;
    }

    /** Returns where the unread bytes start in {@link #bytes()}: the index. */
    int position() {
        return position;
    }

    /** Returns how many bytes are readable without reading the file: the count. */
    int available() {
        return limit - position;
    }

    /** Consumes bytes (at most the readable ones). */
    void skip(int count) {
        position += count;
    }

    /** Returns the file offset of {@link #position()}: the offset. */
    long fileOffset() {
        return arrayStart + position;
    }

    /** Returns the file's size when it was opened: bytes. */
    long size() {
        return size;
    }

    static int readInt(byte[] array, int index, boolean bigEndian) {
        return bigEndian ? (int) INT_BIG.get(array, index) : (int) INT_LITTLE.get(array, index);
    }

    static int readUnsignedShort(byte[] array, int index, boolean bigEndian) {
        short value = bigEndian ? (short) SHORT_BIG.get(array, index) : (short) SHORT_LITTLE.get(array, index);
        return value & 0xFFFF;
    }

    static long readUnsignedInt(byte[] array, int index, boolean bigEndian) {
        return readInt(array, index, bigEndian) & 0xFFFF_FFFFL;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
