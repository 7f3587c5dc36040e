package io.pcapreplay.pcap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The pcapng format, read in place; each packet keeps the link type of its own interface (Wireshark's
 * multi-interface captures mix them, which libpcap refuses).
 *
 * <p>Blocks (pcapng, section 4): {@code type(4) total length(4) body total length(4)}; the length is a multiple of
 * 4, at least 12, here at most 16 MiB, and repeated at the end. Section Header (0x0A0D0D0A): {@code byte-order magic
 * 1A2B3C4D(4) major(2) minor(2) section length(8) options}; version 1.0 (or 1.2, as libpcap accepts); it resets the
 * interfaces. Interface Description (1): {@code link type(2) reserved(2) snaplen(4) options}; option 9 (if_tsresol,
 * 1 byte) gives the timestamp unit, 10^-n s, or 2^-n s with the high bit (default 10^-6); option 14 (if_tsoffset,
 * 8 bytes) seconds to add. Enhanced Packet (6): {@code interface(4) timestamp high(4) low(4) captured(4)
 * original(4) data options}. Obsolete Packet (2): {@code interface(2) drops(2)} then the same. Simple Packet (3):
 * {@code original(4) data}, of interface 0, captured = min(original, data, snaplen). Other blocks are skipped. Options
 * are {@code code(2) length(2) value}, padded to 4 bytes, ended by code 0.
 *
 * <p>Rules, each an error naming the block: lengths within the block, options within their block, an interface
 * described before its packets, a captured length of at most 262,144, a timestamp unit of 10^-0 to 10^-18 s or
 * 2^-0 to 2^-63 s, and timestamps from 1970 to 2262 once converted (so none is ever negative).
 */
final class PcapngFile extends CaptureFile {

    /** Block type of a Section Header Block, also the magic number of a pcapng file. */
    static final int SECTION_HEADER = 0x0A0D0D0A;

    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int INTERFACE_DESCRIPTION = 1;
    private static final int OBSOLETE_PACKET = 2;
    private static final int SIMPLE_PACKET = 3;
    private static final int ENHANCED_PACKET = 6;
    private static final int MAX_BLOCK_LENGTH = 16 << 20;
    private static final int OPTION_TIMESTAMP_RESOLUTION = 9;
    private static final int OPTION_TIMESTAMP_OFFSET = 14;

    private final List<PcapngInterface> interfaces = new ArrayList<>();
    private boolean bigEndian;
    private long blocks;
    private long lastTimestamp;
    private LinkType firstLinkType;

    private PcapngFile(Path file, FileBuffer input) {
        super(file, input);
    }

    /** Reads up to the first Interface Description Block (the file's link type). */
    static PcapngFile open(Path file, FileBuffer input) throws IOException, CaptureException {
        PcapngFile capture = new PcapngFile(file, input);
        while (capture.interfaces.isEmpty()) {
            int read = capture.block();
            if (read < 0) {
                throw new CaptureException("capture file " + file + ": no Interface Description Block"
                    + (capture.truncatedEnd() != null ? " before the file is cut short" : "") + " (expected: a "
                    + "pcapng file describing an interface before its packets)");
            }
        }
        PcapngInterface first = capture.interfaces.get(0);
        if (first.linkType() == null) {
            throw new CaptureException("link type of " + file + ": " + first.dlt() + " (expected: one of "
                + LinkType.supported() + "; convert the capture, e.g. capture on an Ethernet interface or with "
                + "tcpdump -i any)");
        }
        capture.firstLinkType = first.linkType();
        return capture;
    }

    @Override
    LinkType linkType() {
        return firstLinkType;
    }

    @Override
    protected boolean advance() throws IOException, CaptureException {
        while (true) {
            int read = block();
            if (read != 0) {
                return read > 0;
            }
        }
    }

    /** Reads one block: 1 when it was a packet, 0 for another block, -1 at the end of the file. */
    private int block() throws IOException, CaptureException {
        if (!input.require(8)) {
            return input.available() == 0 ? -1 : endOfFile("block " + (blocks + 1) + " header");
        }
        byte[] bytes = input.bytes();
        int at = input.position();
        int type = FileBuffer.readInt(bytes, at, bigEndian);
        if (type == SECTION_HEADER || Integer.reverseBytes(type) == SECTION_HEADER) {
            if (!input.require(12)) {
                return endOfFile("block " + (blocks + 1) + " (Section Header)");
            }
            bytes = input.bytes();
            at = input.position();
            int magic = FileBuffer.readInt(bytes, at + 8, true);
            if (magic != BYTE_ORDER_MAGIC && Integer.reverseBytes(magic) != BYTE_ORDER_MAGIC) {
                throw malformed(where("Section Header"), "byte-order magic", String.format("0x%08x", magic),
                    "0x1a2b3c4d in either byte order");
            }
            bigEndian = magic == BYTE_ORDER_MAGIC;
            type = SECTION_HEADER;
        }
        long length = FileBuffer.readUnsignedInt(bytes, at + 4, bigEndian);
        if (length < 12 || length % 4 != 0 || length > MAX_BLOCK_LENGTH) {
            throw malformed(where(name(type)), "block total length", length, "a multiple of 4 from 12 to "
                + MAX_BLOCK_LENGTH);
        }
        if (!input.require((int) length)) {
            return endOfFile("block " + (blocks + 1) + " (" + name(type) + ", " + length + " bytes)");
        }
        bytes = input.bytes();
        at = input.position();
        long trailer = FileBuffer.readUnsignedInt(bytes, at + (int) length - 4, bigEndian);
        if (trailer != length) {
            throw malformed(where(name(type)), "block total length at its end", trailer, "the length at its "
                + "start, " + length);
        }
        int result = body(type, bytes, at, (int) length);
        blocks++;
        input.skip((int) length);
        return result;
    }

    private int endOfFile(String what) {
        endsWithin(what);
        return -1;
    }

    private int body(int type, byte[] bytes, int at, int length) throws CaptureException {
        switch (type) {
            case SECTION_HEADER:
                section(bytes, at, length);
                return 0;
            case INTERFACE_DESCRIPTION:
                interfaces.add(describe(bytes, at, length));
                return 0;
            case ENHANCED_PACKET:
                return packet(FileBuffer.readUnsignedInt(bytes, at + 8, bigEndian), bytes, at, length, true);
            case OBSOLETE_PACKET:
                return packet(FileBuffer.readUnsignedShort(bytes, at + 8, bigEndian), bytes, at, length, false);
            case SIMPLE_PACKET:
                return simplePacket(bytes, at, length);
            default:
                return 0;
        }
    }

    private void section(byte[] bytes, int at, int length) throws CaptureException {
        if (length < 28) {
            throw malformed(where("Section Header"), "block total length", length, "at least 28");
        }
        int major = FileBuffer.readUnsignedShort(bytes, at + 12, bigEndian);
        int minor = FileBuffer.readUnsignedShort(bytes, at + 14, bigEndian);
        if (major != 1 || minor != 0 && minor != 2) {
            throw malformed(where("Section Header"), "version", major + "." + minor, "1.0");
        }
        checkOptions(bytes, at + 24, at + length - 4, "Section Header");
        interfaces.clear();
    }

    private PcapngInterface describe(byte[] bytes, int at, int length) throws CaptureException {
        String where = "Interface Description of interface " + interfaces.size();
        if (length < 20) {
            throw malformed(where(where), "block total length", length, "at least 20");
        }
        int dlt = FileBuffer.readUnsignedShort(bytes, at + 8, bigEndian);
        long snaplen = FileBuffer.readUnsignedInt(bytes, at + 12, bigEndian);
        int resolution = 6;
        long offsetSeconds = 0;
        int position = at + 16;
        int end = at + length - 4;
        checkOptions(bytes, position, end, where);
        while (position + 4 <= end) {
            int code = FileBuffer.readUnsignedShort(bytes, position, bigEndian);
            int optionLength = FileBuffer.readUnsignedShort(bytes, position + 2, bigEndian);
            if (code == 0) {
                break;
            }
            if (code == OPTION_TIMESTAMP_RESOLUTION) {
                if (optionLength != 1) {
                    throw malformed(where(where), "if_tsresol length", optionLength, "1");
                }
                resolution = bytes[position + 4] & 0xFF;
                if (!PcapngInterface.isValidResolution(resolution)) {
                    throw malformed(where(where), "if_tsresol", String.format("0x%02x", resolution), "10^-0 to "
                        + "10^-18 s (0x00 to 0x12) or 2^-0 to 2^-63 s (0x80 to 0xbf)");
                }
            } else if (code == OPTION_TIMESTAMP_OFFSET) {
                if (optionLength != 8) {
                    throw malformed(where(where), "if_tsoffset length", optionLength, "8");
                }
                long first = FileBuffer.readUnsignedInt(bytes, position + 4, bigEndian);
                long second = FileBuffer.readUnsignedInt(bytes, position + 8, bigEndian);
                offsetSeconds = bigEndian ? first << 32 | second : second << 32 | first;
            }
            position += 4 + (optionLength + 3 & ~3);
        }
        return new PcapngInterface(dlt, snaplen, resolution, offsetSeconds);
    }

    private int packet(long interfaceId, byte[] bytes, int at, int length, boolean enhanced) throws CaptureException {
        String name = enhanced ? "Enhanced Packet" : "Obsolete Packet";
        if (length < 32) {
            throw malformed(where(name), "block total length", length, "at least 32");
        }
        if (interfaceId >= interfaces.size()) {
            throw malformed(where(name), "interface ID", interfaceId, interfaces.isEmpty()
                ? "an Interface Description Block before the packets" : "0 to " + (interfaces.size() - 1)
                + ", an interface described before it");
        }
        long captured = FileBuffer.readUnsignedInt(bytes, at + 20, bigEndian);
        long original = FileBuffer.readUnsignedInt(bytes, at + 24, bigEndian);
        if (captured > length - 32) {
            throw malformed(where(name), "captured packet length", captured, "at most the block's data, "
                + (length - 32) + " bytes");
        }
        if (captured > MAX_CAPTURED_LENGTH) {
            throw malformed(where(name), "captured packet length", captured, "at most " + MAX_CAPTURED_LENGTH);
        }
        checkOptions(bytes, at + 28 + ((int) captured + 3 & ~3), at + length - 4, name);
        PcapngInterface description = interfaces.get((int) interfaceId);
        long ticks = FileBuffer.readUnsignedInt(bytes, at + 12, bigEndian) << 32
            | FileBuffer.readUnsignedInt(bytes, at + 16, bigEndian);
        long nanos = description.nanos(ticks);
        if (nanos < 0) {
            throw malformed(where(name), "timestamp", Long.toUnsignedString(ticks) + " units of "
                + description.unit() + (description.offsetSeconds() != 0 ? " + if_tsoffset "
                + description.offsetSeconds() + " s" : ""), "a time from 1970 to 2262; check if_tsresol and "
                + "if_tsoffset of interface " + interfaceId);
        }
        return record(description, bytes, at + 28, (int) captured, original, nanos);
    }

    private int simplePacket(byte[] bytes, int at, int length) throws CaptureException {
        if (length < 16) {
            throw malformed(where("Simple Packet"), "block total length", length, "at least 16");
        }
        if (interfaces.isEmpty()) {
            throw malformed(where("Simple Packet"), "interface", "none described", "an Interface Description "
                + "Block before the packets");
        }
        PcapngInterface description = interfaces.get(0);
        long original = FileBuffer.readUnsignedInt(bytes, at + 8, bigEndian);
        long captured = Math.min(original, length - 16);
        if (description.snaplen() > 0) {
            captured = Math.min(captured, description.snaplen());
        }
        captured = Math.min(captured, MAX_CAPTURED_LENGTH);
        return record(description, bytes, at + 12, (int) captured, original, lastTimestamp);
    }

    private int record(PcapngInterface description, byte[] bytes, int dataOffset, int captured, long original,
                       long nanos) {
        records++;
        recordLinkType = description.linkType();
        recordDlt = description.dlt();
        recordOffset = dataOffset;
        capturedLength = captured;
        originalLength = (int) Math.min(Integer.MAX_VALUE, Math.max(original, captured));
        timestampNanos = nanos;
        lastTimestamp = nanos;
        return 1;
    }

    private void checkOptions(byte[] bytes, int from, int end, String block) throws CaptureException {
        int position = from;
        while (position + 4 <= end) {
            int code = FileBuffer.readUnsignedShort(bytes, position, bigEndian);
            int optionLength = FileBuffer.readUnsignedShort(bytes, position + 2, bigEndian);
            if (code == 0) {
                return;
            }
            int next = position + 4 + (optionLength + 3 & ~3);
            if (next > end) {
                throw malformed(where(block), "length of option " + code, optionLength, "within the block, at most "
                    + (end - position - 4) + " bytes");
            }
            position = next;
        }
    }

    private String where(String block) {
        return "block " + (blocks + 1) + " (byte " + input.fileOffset() + ", " + block + ")";
    }

    private static String name(int type) {
        switch (type) {
            case SECTION_HEADER:
                return "Section Header";
            case INTERFACE_DESCRIPTION:
                return "Interface Description";
            case ENHANCED_PACKET:
                return "Enhanced Packet";
            case OBSOLETE_PACKET:
                return "Obsolete Packet";
            case SIMPLE_PACKET:
                return "Simple Packet";
            default:
                return "type " + Integer.toUnsignedString(type);
        }
    }
}
