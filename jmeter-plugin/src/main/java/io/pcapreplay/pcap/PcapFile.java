package io.pcapreplay.pcap;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The classic pcap format (libpcap's savefile), read in place.
 *
 * <p>Layout: a 24-byte file header {@code magic(4) version_major(2) version_minor(2) thiszone(4) sigfigs(4)
 * snaplen(4) linktype(4)}, in the byte order the magic number shows (a1b2c3d4: µs timestamps; a1b23c4d: ns;
 * a1b2cd34: µs with the 8 extra record bytes of the "modified" format), then records {@code ts_sec(4) ts_frac(4)
 * incl_len(4) orig_len(4) [ifindex(4) protocol(2) pkt_type(1) pad(1)] data(incl_len)}. The link type is the low
 * 26 bits of its field (the high bits describe an FCS).
 *
 * <p>Rules: version 2.x; {@code ts_usec} below 1,000,000 ({@code ts_nsec} below 1,000,000,000); {@code incl_len}
 * at most 262,144 (libpcap's limit). An {@code orig_len} below {@code incl_len} is taken as {@code incl_len} (some
 * writers store 0): no byte is invented either way.
 */
final class PcapFile extends CaptureFile {

    private static final int HEADER_LENGTH = 24;
    private static final int LINK_TYPE_MASK = 0x03FF_FFFF;

    private final boolean bigEndian;
    private final boolean nanoseconds;
    private final int recordHeaderLength;
    private final LinkType linkType;

    private PcapFile(Path file, FileBuffer input, boolean bigEndian, boolean nanoseconds, boolean modified,
                     LinkType linkType) {
        super(file, input);
        this.bigEndian = bigEndian;
        this.nanoseconds = nanoseconds;
        this.recordHeaderLength = modified ? 24 : 16;
        this.linkType = linkType;
        this.recordLinkType = linkType;
        this.recordDlt = linkType.dlt();
    }

    static PcapFile open(Path file, FileBuffer input, boolean bigEndian, boolean nanoseconds, boolean modified)
            throws IOException, CaptureException {
        if (!input.require(HEADER_LENGTH)) {
            throw new CaptureException("capture file " + file + ": truncated dump file, " + input.available()
                + " of " + HEADER_LENGTH + " header bytes (expected: a whole pcap file header; capture again)");
        }
        byte[] bytes = input.bytes();
        int at = input.position();
        int major = FileBuffer.readUnsignedShort(bytes, at + 4, bigEndian);
        int minor = FileBuffer.readUnsignedShort(bytes, at + 6, bigEndian);
        if (major != 2) {
            throw new CaptureException("capture file " + file + ", file header: version = " + major + "." + minor
                + " (expected: 2.x, the pcap format libpcap writes; check it with tcpdump -r)");
        }
        int dlt = FileBuffer.readInt(bytes, at + 20, bigEndian) & LINK_TYPE_MASK;
        LinkType linkType = LinkType.valueOf(dlt);
        if (linkType == null) {
            throw new CaptureException("link type of " + file + ": " + dlt + " (expected: one of "
                + LinkType.supported() + "; convert the capture, e.g. capture on an Ethernet interface or with "
                + "tcpdump -i any)");
        }
        input.skip(HEADER_LENGTH);
        return new PcapFile(file, input, bigEndian, nanoseconds, modified, linkType);
    }

    @Override
    LinkType linkType() {
        return linkType;
    }

    @Override
    protected boolean advance() throws IOException, CaptureException {
        if (!input.require(recordHeaderLength)) {
            return input.available() == 0 ? false : endsWithin("record " + (records + 1) + " header");
        }
        byte[] bytes = input.bytes();
        int at = input.position();
        long seconds = FileBuffer.readUnsignedInt(bytes, at, bigEndian);
        long fraction = FileBuffer.readUnsignedInt(bytes, at + 4, bigEndian);
        long captured = FileBuffer.readUnsignedInt(bytes, at + 8, bigEndian);
        long original = FileBuffer.readUnsignedInt(bytes, at + 12, bigEndian);
        if (fraction >= (nanoseconds ? 1_000_000_000L : 1_000_000L)) {
            throw malformed(where(), nanoseconds ? "ts_nsec" : "ts_usec", fraction, nanoseconds
                ? "0 to 999999999" : "0 to 999999; a nanosecond capture with a microsecond magic number? the magic "
                + "of a nanosecond pcap is a1b23c4d");
        }
        if (captured > MAX_CAPTURED_LENGTH) {
            throw malformed(where(), "incl_len (captured length)", captured, "at most " + MAX_CAPTURED_LENGTH
                + ", libpcap's largest snapshot length");
        }
        int length = recordHeaderLength + (int) captured;
        if (!input.require(length)) {
            return endsWithin("record " + (records + 1) + " (" + captured + " captured bytes)");
        }
        records++;
        bytes = input.bytes();
        at = input.position();
        recordOffset = at + recordHeaderLength;
        capturedLength = (int) captured;
        originalLength = (int) Math.min(Integer.MAX_VALUE, Math.max(original, captured));
        timestampNanos = seconds * 1_000_000_000L + (nanoseconds ? fraction : fraction * 1_000L);
        input.skip(length);
        return true;
    }

    private String where() {
        return "record " + (records + 1) + " (byte " + input.fileOffset() + ")";
    }
}
