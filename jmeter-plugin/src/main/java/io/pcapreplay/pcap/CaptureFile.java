package io.pcapreplay.pcap;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A capture file read record by record, in place: {@link #next()} moves to the next packet record and exposes its
 * bytes ({@link #buffer()} from {@link #offset()}), lengths, link type and timestamp until the following call. No
 * libpcap, no object per record. Opened by {@link #open(Path)}, which tells pcap from pcapng by the magic number.
 *
 * <p>Strict: a malformed field (a timestamp fraction out of range, a length beyond the block or the largest
 * snapshot length, a bad option) raises a {@link CaptureException} naming the file, the record or block (number and
 * byte offset) and the field. A file that ends in the middle of a record is not an error: {@link #next()} returns
 * false and {@link #truncatedEnd()} says where (a capture whose writer was killed; what was read before is good).
 */
abstract class CaptureFile implements Closeable {

    /** The largest captured length of one record (libpcap's MAXIMUM_SNAPLEN). */
    static final int MAX_CAPTURED_LENGTH = 262_144;
    /** The latest timestamp a long of nanoseconds since 1970 holds: in seconds (year 2262). */
    static final long MAX_SECONDS = Long.MAX_VALUE / 1_000_000_000L - 1;

    private static final int PCAP_MAGIC = 0xA1B2C3D4;
    private static final int PCAP_NANOSECOND_MAGIC = 0xA1B23C4D;
    private static final int PCAP_MODIFIED_MAGIC = 0xA1B2CD34;

    protected final Path file;
    protected final FileBuffer input;
    /** The link type of the current record, or null when not supported (see {@link #recordDlt}). */
    protected LinkType recordLinkType;
    /** The link type value of the current record as stored in the file. */
    protected int recordDlt;
    protected int recordOffset;
    protected int capturedLength;
    protected int originalLength;
    protected long timestampNanos;
    /** Packet records read, the current one included. */
    protected long records;
    private String truncatedEnd;

    protected CaptureFile(Path file, FileBuffer input) {
        this.file = file;
        this.input = input;
    }

    /**
     * Opens a capture file.
     *
     * @param file the file
     * @return the reader, positioned before the first record
     * @throws CaptureException when the file is missing, unreadable, empty, not a capture, or its header is
     *     malformed or of an unsupported link type
     */
    static CaptureFile open(Path file) throws CaptureException {
        checkFile(file);
        FileBuffer input;
        try {
            input = new FileBuffer(file, FileBuffer.DEFAULT_CAPACITY);
        } catch (IOException e) {
            throw new CaptureException("capture file " + file + ": " + e.getMessage() + " (expected: a readable "
                + "file)", e);
        }
        try {
            CaptureFile capture = open(file, input);
            input = null;
            return capture;
        } finally {
            if (input != null) {
                closeQuietly(input);
            }
        }
    }

    private static CaptureFile open(Path file, FileBuffer input) throws CaptureException {
        try {
            if (!input.require(4)) {
                throw new CaptureException("capture file " + file + ": truncated dump file, " + input.available()
                    + " bytes (expected: a pcap or pcapng file header; capture again)");
            }
            int big = FileBuffer.readInt(input.bytes(), input.position(), true);
            if (big == PcapngFile.SECTION_HEADER) {
                return PcapngFile.open(file, input);
            }
            int little = Integer.reverseBytes(big);
            for (int magic : new int[] {PCAP_MAGIC, PCAP_NANOSECOND_MAGIC, PCAP_MODIFIED_MAGIC}) {
                if (big == magic || little == magic) {
                    return PcapFile.open(file, input, big == magic, magic == PCAP_NANOSECOND_MAGIC,
                        magic == PCAP_MODIFIED_MAGIC);
                }
            }
            throw new CaptureException("capture file " + file + ": unknown file format, magic number 0x"
                + String.format("%08x", big) + " (expected: a pcap or pcapng file, magic a1b2c3d4, a1b23c4d or "
                + "0a0d0d0a; check it with tcpdump -r)");
        } catch (IOException e) {
            throw new CaptureException("capture file " + file + ": " + e.getMessage() + " (expected: a readable "
                + "file)", e);
        }
    }

    private static void checkFile(Path file) throws CaptureException {
        if (!Files.exists(file)) {
            throw new CaptureException("capture file " + file + ": not found (expected: an existing pcap or pcapng "
                + "file; check the path)");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CaptureException("capture file " + file + ": not a readable file (expected: a readable pcap "
                + "or pcapng file; check the path and permissions)");
        }
        try {
            if (Files.size(file) == 0) {
                throw new CaptureException("capture file " + file + ": empty, 0 bytes (expected: a pcap or pcapng "
                    + "file; capture again)");
            }
        } catch (IOException e) {
            throw new CaptureException("capture file " + file + ": " + e.getMessage()
                + " (expected: a readable file)", e);
        }
    }

    /**
     * Moves to the next packet record.
     *
     * @return false at the end of the file (see {@link #truncatedEnd()})
     * @throws CaptureException when a record or block is malformed
     */
    final boolean next() throws CaptureException {
        if (truncatedEnd != null) {
            return false;
        }
        try {
            return advance();
        } catch (IOException e) {
            throw new CaptureException("capture file " + file + " after " + records + " record(s): "
                + e.getMessage() + " (expected: a readable file)", e);
        }
    }

    /** Reads the next packet record; false at the end (after {@link #endsWithin(String)} when cut short). */
    protected abstract boolean advance() throws IOException, CaptureException;

    /** Returns the link type of the file (pcapng: of its first interface): never null. */
    abstract LinkType linkType();

    /** Notes that the file ends within a record or block; returns false for {@link #advance()}. */
    protected final boolean endsWithin(String what) {
        truncatedEnd = "capture file " + file + ": " + what + " cut short at byte " + input.size() + " after "
            + records + " whole record(s) (expected: the whole record; the file is truncated, e.g. its writer was "
            + "killed; the sessions read before are kept)";
        return false;
    }

    /** Builds the error for a malformed field. */
    protected final CaptureException malformed(String where, String field, Object actual, String rule) {
        return new CaptureException("capture file " + file + ", " + where + ": " + field + " = " + actual
            + " (expected: " + rule + ")");
    }

    /** Returns why the file ended within a record, or null when it ended cleanly (or not yet). */
    final String truncatedEnd() {
        return truncatedEnd;
    }

    /** Returns the file read: the path. */
    final Path file() {
        return file;
    }

    final LinkType recordLinkType() {
        return recordLinkType;
    }

    final int recordDlt() {
        return recordDlt;
    }

    final byte[] buffer() {
        return input.bytes();
    }

    final int offset() {
        return recordOffset;
    }

    final int capturedLength() {
        return capturedLength;
    }

    /** Returns the frame's length on the wire: at least the captured length. */
    final int originalLength() {
        return originalLength;
    }

    final long timestampNanos() {
        return timestampNanos;
    }

    final long records() {
        return records;
    }

    @Override
    public final void close() {
        closeQuietly(input);
    }

    private static void closeQuietly(FileBuffer input) {
        try {
            input.close();
        } catch (IOException e) {
            // nothing was written: nothing is lost
        }
    }
}
