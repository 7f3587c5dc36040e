package io.pcapreplay.pcap;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small pcapng reader (no libpcap) for the files libpcap refuses: libpcap wants every interface of a pcapng file
 * to have the same link type and snaplen, Wireshark's multi-interface captures often differ. Each frame keeps the
 * link type of its own interface.
 *
 * <p>Blocks (pcapng draft, section 4): every block is {@code type(4) length(4) body length(4)}, lengths are
 * multiples of 4. Section Header (0x0A0D0D0A) gives the byte order (magic 0x1A2B3C4D) and resets the interfaces.
 * Interface Description (1): {@code link type(2) reserved(2) snaplen(4) options}; option 9 (if_tsresol) gives the
 * timestamp unit, 10^-6 s by default. Enhanced Packet (6): {@code interface(4) timestamp high(4) low(4)
 * captured(4) original(4) data}. Simple Packet (3): {@code original(4) data}. Obsolete Packet (2):
 * {@code interface(2) drops(2) timestamp high(4) low(4) captured(4) original(4) data}. Other blocks are skipped.
 */
final class PcapngReader {

    /** Block type of a Section Header Block, also the magic number of a pcapng file. */
    static final int SECTION_HEADER = 0x0A0D0D0A;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int INTERFACE_DESCRIPTION = 1;
    private static final int OBSOLETE_PACKET = 2;
    private static final int SIMPLE_PACKET = 3;
    private static final int ENHANCED_PACKET = 6;
    private static final int MAX_BLOCK_LENGTH = 64 << 20;
    private static final long[] POWERS_OF_TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L,
        10_000_000L, 100_000_000L, 1_000_000_000L};

    /** Receives the frames. */
    interface FrameSink {
        /**
         * Takes one frame.
         *
         * @param linkType the link type (DLT) of the frame's interface
         * @param frame the frame bytes
         * @param originalLength the frame's length on the wire
         * @param timestampNanos the capture time
         */
        void frame(int linkType, byte[] frame, int originalLength, long timestampNanos);
    }

    private final List<int[]> interfaces = new ArrayList<>();
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    private long frames;
    private long lastTimestamp;

    private PcapngReader() {
    }

    /**
     * Tells whether a file starts like a pcapng file.
     *
     * @param file the file
     * @return whether its first 4 bytes are a Section Header Block type
     */
    static boolean isPcapng(Path file) {
        try (InputStream input = Files.newInputStream(file)) {
            byte[] magic = input.readNBytes(4);
            return magic.length == 4 && ByteBuffer.wrap(magic).getInt() == SECTION_HEADER;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads every frame of a pcapng file.
     *
     * @param file the file
     * @param sink where the frames go
     * @return null when the whole file was read, else why reading stopped (frames before are delivered)
     */
    static String read(Path file, FrameSink sink) {
        PcapngReader reader = new PcapngReader();
        try (DataInputStream input = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            return reader.readBlocks(input, sink);
        } catch (IOException e) {
            return "pcapng block after " + reader.frames + " frame(s): " + e.getMessage()
                + " (expected: a readable file)";
        }
    }

    private String readBlocks(DataInputStream input, FrameSink sink) throws IOException {
        byte[] header = new byte[8];
        while (true) {
            int got = input.readNBytes(header, 0, 8);
            if (got == 0) {
                return null;
            }
            if (got < 8) {
                return "pcapng block header after " + frames + " frame(s): " + got + " bytes (expected: 8; the file "
                    + "is truncated)";
            }
            int type = ByteBuffer.wrap(header).order(order).getInt(0);
            if (type == SECTION_HEADER) {
                byte[] magic = new byte[4];
                input.readFully(magic);
                order = ByteBuffer.wrap(magic).order(ByteOrder.BIG_ENDIAN).getInt() == BYTE_ORDER_MAGIC
                    ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
                interfaces.clear();
            }
            int length = ByteBuffer.wrap(header).order(order).getInt(4);
            if (length < 12 || length % 4 != 0 || length > MAX_BLOCK_LENGTH) {
                return "pcapng block length after " + frames + " frame(s): " + length + " (expected: a multiple of "
                    + "4, 12 to " + MAX_BLOCK_LENGTH + ")";
            }
            byte[] body = new byte[type == SECTION_HEADER ? 0 : length - 12];
            try {
                if (type == SECTION_HEADER) {
                    input.skipNBytes(length - 12);
                    continue;
                }
                input.readFully(body);
                input.skipNBytes(4);
            } catch (EOFException e) {
                return "pcapng block of " + length + " bytes after " + frames + " frame(s): cut short (expected: "
                    + "the whole block; the file is truncated)";
            }
            String error = block(type, ByteBuffer.wrap(body).order(order), sink);
            if (error != null) {
                return error;
            }
        }
    }

    private String block(int type, ByteBuffer body, FrameSink sink) {
        if (type == INTERFACE_DESCRIPTION && body.remaining() >= 8) {
            interfaces.add(new int[] {body.getShort(0) & 0xFFFF, body.getInt(4), resolution(body)});
            return null;
        }
        if (type == ENHANCED_PACKET && body.remaining() >= 20) {
            return packet(body.getInt(0), body.getInt(4), body.getInt(8), body.getInt(12), body.getInt(16), body, 20,
                sink);
        }
        if (type == OBSOLETE_PACKET && body.remaining() >= 20) {
            return packet(body.getShort(0) & 0xFFFF, body.getInt(4), body.getInt(8), body.getInt(12),
                body.getInt(16), body, 20, sink);
        }
        if (type == SIMPLE_PACKET && body.remaining() >= 4 && !interfaces.isEmpty()) {
            int original = body.getInt(0);
            int snaplen = interfaces.get(0)[1];
            int captured = Math.min(Math.min(original, body.remaining() - 4), snaplen > 0 ? snaplen : original);
            sink.frame(interfaces.get(0)[0], Arrays.copyOfRange(body.array(), 4, 4 + captured), original,
                lastTimestamp);
            frames++;
        }
        return null;
    }

    private String packet(int interfaceId, int high, int low, int captured, int original, ByteBuffer body,
                          int dataOffset, FrameSink sink) {
        if (interfaceId < 0 || interfaceId >= interfaces.size()) {
            return "pcapng packet interface after " + frames + " frame(s): " + interfaceId + " (expected: 0 to "
                + (interfaces.size() - 1) + ", a described interface)";
        }
        if (captured < 0 || captured > body.remaining() - dataOffset) {
            return "pcapng packet captured length after " + frames + " frame(s): " + captured + " (expected: at "
                + "most the block's data, " + (body.remaining() - dataOffset) + ")";
        }
        int[] description = interfaces.get(interfaceId);
        long ticks = (high & 0xFFFF_FFFFL) << 32 | low & 0xFFFF_FFFFL;
        lastTimestamp = nanos(ticks, description[2]);
        sink.frame(description[0], Arrays.copyOfRange(body.array(), dataOffset, dataOffset + captured),
            Math.max(original, captured), lastTimestamp);
        frames++;
        return null;
    }

    /** The if_tsresol option (code 9), or 6 (microseconds). */
    private static int resolution(ByteBuffer body) {
        int position = 8;
        while (position + 4 <= body.remaining()) {
            int code = body.getShort(position) & 0xFFFF;
            int length = body.getShort(position + 2) & 0xFFFF;
            if (code == 0) {
                break;
            }
            if (code == 9 && length >= 1 && position + 5 <= body.remaining()) {
                return body.get(position + 4) & 0xFF;
            }
            position += 4 + (length + 3 & ~3);
        }
        return 6;
    }

    /** Converts timestamp units to nanoseconds: 10^-n seconds, or 2^-n when the high bit of the resolution is set. */
    static long nanos(long ticks, int resolution) {
        int exponent = resolution & 0x7F;
        if ((resolution & 0x80) != 0) {
            long seconds = exponent >= 64 ? 0 : ticks >>> exponent;
            long fraction = exponent >= 64 ? ticks : ticks & ((1L << exponent) - 1);
            return seconds * 1_000_000_000L + (long) (fraction / Math.pow(2, exponent) * 1e9);
        }
        if (exponent <= 9) {
            return ticks * POWERS_OF_TEN[9 - exponent];
        }
        return exponent - 9 < POWERS_OF_TEN.length ? ticks / POWERS_OF_TEN[exponent - 9] : 0;
    }
}
