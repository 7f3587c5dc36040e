package io.pcapreplay.pcap;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a little-endian pcap file (µs or ns timestamps): for generated captures in tests and benchmarks. */
public final class PcapWriter implements Closeable {

    private final OutputStream out;
    private final boolean nanoseconds;
    private final byte[] header = new byte[16];
    private long records;
    private long bytes;

    /**
     * Creates the file and writes its header.
     *
     * @param file the file (replaced)
     * @param linkType the link type
     * @param nanoseconds whether timestamps are written in ns (magic a1b23c4d), else µs
     * @throws IOException when the file cannot be written
     */
    public PcapWriter(Path file, LinkType linkType, boolean nanoseconds) throws IOException {
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
        this.nanoseconds = nanoseconds;
        byte[] fileHeader = new byte[24];
        putInt(fileHeader, 0, nanoseconds ? 0xA1B23C4D : 0xA1B2C3D4);
        fileHeader[4] = 2;
        fileHeader[6] = 4;
        putInt(fileHeader, 16, CaptureFile.MAX_CAPTURED_LENGTH);
        putInt(fileHeader, 20, linkType.dlt());
        out.write(fileHeader);
        bytes = fileHeader.length;
    }

    /**
     * Writes one record.
     *
     * @param timestampNanos the capture time, ns since 1970
     * @param frame the bytes
     * @param offset the first frame byte
     * @param capturedLength captured bytes
     * @param originalLength the length on the wire
     * @throws IOException when writing fails
     */
    public void write(long timestampNanos, byte[] frame, int offset, int capturedLength, int originalLength)
            throws IOException {
        putInt(header, 0, (int) (timestampNanos / 1_000_000_000L));
        long fraction = timestampNanos % 1_000_000_000L;
        putInt(header, 4, (int) (nanoseconds ? fraction : fraction / 1000));
        putInt(header, 8, capturedLength);
        putInt(header, 12, originalLength);
        out.write(header);
        out.write(frame, offset, capturedLength);
        records++;
        bytes += header.length + capturedLength;
    }

    /** Returns the records written: the count. */
    public long records() {
        return records;
    }

    /** Returns the bytes written so far: the file size. */
    public long bytes() {
        return bytes;
    }

    private static void putInt(byte[] array, int at, int value) {
        array[at] = (byte) value;
        array[at + 1] = (byte) (value >>> 8);
        array[at + 2] = (byte) (value >>> 16);
        array[at + 3] = (byte) (value >>> 24);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
