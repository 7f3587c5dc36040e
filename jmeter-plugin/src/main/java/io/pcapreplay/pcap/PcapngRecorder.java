package io.pcapreplay.pcap;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * Writes captured frames into rotating pcapng files ({@link LiveRecording}), in the host's byte order: per file a
 * Section Header Block, one Interface Description Block (the link type, the snapshot length,
 * {@code if_tsresol} = 9: nanoseconds) and one Enhanced Packet Block per frame:
 *
 * <pre>
 * EPB: type 6 | total length | interface 0 | timestamp high | timestamp low | captured length | original length
 *      | frame, padded to 4 bytes | total length
 * </pre>
 *
 * Our {@link CaptureReader} (and Wireshark, tcpdump) read them back. Not thread-safe: the capture thread only.
 */
final class PcapngRecorder implements AutoCloseable {

    private static final int SECTION_HEADER = 0x0A0D0D0A;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int INTERFACE_DESCRIPTION = 1;
    private static final int ENHANCED_PACKET = 6;
    private static final int OPTION_TIMESTAMP_RESOLUTION = 9;
    private static final int NANOSECONDS = 9;
    private static final int OUTPUT_BUFFER = 1 << 20;

    private final LiveRecording recording;
    private final LinkType linkType;
    private final int snaplen;
    private final ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
    private final ArrayDeque<Path> kept = new ArrayDeque<>();
    private OutputStream output;
    private long sequence;
    private long fileBytes;
    private long fileStartNanos;
    private long frames;

    PcapngRecorder(LiveRecording recording, LinkType linkType, int snaplen) {
        this.recording = recording;
        this.linkType = linkType;
        this.snaplen = snaplen;
    }

    /**
     * Writes one frame, starting a new file first when the current one reached a limit.
     *
     * @param frame the bytes from index 0
     * @param capturedLength the bytes captured
     * @param originalLength the length on the wire
     * @param timestampNanos the capture time, ns since the epoch
     * @throws IOException when the file cannot be written
     */
    void write(byte[] frame, int capturedLength, int originalLength, long timestampNanos) throws IOException {
        if (output == null || recording.maxBytes() > 0 && fileBytes >= recording.maxBytes()
                || !recording.maxDuration().isZero()
                    && timestampNanos - fileStartNanos >= recording.maxDuration().toNanos()) {
            rotate(timestampNanos);
        }
        int padded = (capturedLength + 3) & ~3;
        int total = 32 + padded;
        header.clear();
        header.putInt(ENHANCED_PACKET).putInt(total).putInt(0).putInt((int) (timestampNanos >>> 32))
            .putInt((int) timestampNanos).putInt(capturedLength).putInt(originalLength);
        output.write(header.array(), 0, header.position());
        output.write(frame, 0, capturedLength);
        output.write(new byte[4], 0, padded - capturedLength);
        header.clear();
        header.putInt(total);
        output.write(header.array(), 0, 4);
        fileBytes += total;
        frames++;
    }

    private void rotate(long timestampNanos) throws IOException {
        closeFile();
        sequence++;
        Path file = recording.file(sequence);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        output = new BufferedOutputStream(Files.newOutputStream(file), OUTPUT_BUFFER);
        kept.addLast(file);
        while (recording.maxFiles() > 0 && kept.size() > recording.maxFiles()) {
            Files.deleteIfExists(kept.removeFirst());
        }
        fileStartNanos = timestampNanos;
        header.clear();
        header.putInt(SECTION_HEADER).putInt(28).putInt(BYTE_ORDER_MAGIC).putShort((short) 1).putShort((short) 0)
            .putLong(-1L).putInt(28);
        output.write(header.array(), 0, header.position());
        header.clear();
        int linkTypeValue = linkType == LinkType.RAW ? LinkType.RAW_LINKTYPE.dlt() : linkType.dlt();
        header.putInt(INTERFACE_DESCRIPTION).putInt(32).putShort((short) linkTypeValue).putShort((short) 0)
            .putInt(snaplen).putShort((short) OPTION_TIMESTAMP_RESOLUTION).putShort((short) 1)
            .put((byte) NANOSECONDS).put((byte) 0).put((byte) 0).put((byte) 0).putInt(0).putInt(32);
        output.write(header.array(), 0, header.position());
        fileBytes = 60;
    }

    /** Returns the files started so far: the count. */
    long files() {
        return sequence;
    }

    /** Returns the frames written: the count. */
    long frames() {
        return frames;
    }

    /** Writes out what is buffered (now and then, so a file is readable while the capture runs). */
    void flush() throws IOException {
        if (output != null) {
            output.flush();
        }
    }

    private void closeFile() throws IOException {
        if (output != null) {
            output.close();
            output = null;
        }
    }

    @Override
    public void close() throws IOException {
        closeFile();
    }
}
