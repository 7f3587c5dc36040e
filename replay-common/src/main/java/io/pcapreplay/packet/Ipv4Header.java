package io.pcapreplay.packet;

/**
 * IPv4 header layout (RFC 791) and static accessors on {@code (byte[] buffer, int offset)} where {@code offset} is
 * the first byte of the IP header. No bounds checks: use {@link IpTcpView} for untrusted input.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------+-------+---------------+-------------------------------+
 * |Version|  IHL  |    DSCP/ECN   |          Total Length         |
 * +-------+-------+---------------+-----+-------------------------+
 * |         Identification        |Flags|     Fragment Offset     |
 * +---------------+---------------+-----+-------------------------+
 * |  Time to Live |    Protocol   |        Header Checksum        |
 * +---------------+---------------+-------------------------------+
 * |                        Source Address                         |
 * +---------------------------------------------------------------+
 * |                     Destination Address                       |
 * +---------------------------------------------------------------+
 * |                    Options (IHL &gt; 5)                         |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Flags: bit 0x4000 of the flags/offset word is DF, 0x2000 is MF; the offset counts 8-byte units. A total length
 * of 0 appears in TSO and BIG TCP captures: the packet then extends to the end of the captured frame.
 */
public final class Ipv4Header {

    /** Length of the header without options. */
    public static final int MIN_LENGTH = 20;
    /** Longest header (IHL 15). */
    public static final int MAX_LENGTH = 60;
    /** Largest value of the total length field. */
    public static final int MAX_TOTAL_LENGTH = 0xFFFF;
    /** Don't Fragment bit of the flags/offset word. */
    public static final int FLAG_DONT_FRAGMENT = 0x4000;
    /** More Fragments bit of the flags/offset word. */
    public static final int FLAG_MORE_FRAGMENTS = 0x2000;
    /** Mask of the fragment offset (8-byte units) in the flags/offset word. */
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;
    /** Offset of the total length field. */
    public static final int TOTAL_LENGTH_OFFSET = 2;
    /** Offset of the identification field. */
    public static final int IDENTIFICATION_OFFSET = 4;
    /** Offset of the flags/fragment offset field. */
    public static final int FRAGMENT_OFFSET = 6;
    /** Offset of the TTL field. */
    public static final int TTL_OFFSET = 8;
    /** Offset of the protocol field. */
    public static final int PROTOCOL_OFFSET = 9;
    /** Offset of the header checksum field. */
    public static final int CHECKSUM_OFFSET = 10;
    /** Offset of the source address. */
    public static final int SOURCE_OFFSET = 12;
    /** Offset of the destination address. */
    public static final int DESTINATION_OFFSET = 16;

    private Ipv4Header() {
    }

    /**
     * Returns the version nibble (also valid for IPv6).
     *
     * @param buffer the bytes
     * @param offset start of the IP header
     * @return the IP version
     */
    public static int version(byte[] buffer, int offset) {
        return (buffer[offset] & 0xFF) >>> 4;
    }

    /**
     * Returns the header length in bytes (IHL * 4).
     *
     * @param buffer the bytes
     * @param offset start of the IP header
     * @return the header length
     */
    public static int headerLength(byte[] buffer, int offset) {
        return (buffer[offset] & 0x0F) * 4;
    }

    /**
     * Returns the DSCP/ECN byte.
     *
     * @param buffer the bytes
     * @param offset start of the IP header
     * @return the type of service byte
     */
    public static int typeOfService(byte[] buffer, int offset) {
        return buffer[offset + 1] & 0xFF;
    }

    /**
     * Returns the total length field (0 in TSO/BIG TCP captures).
     *
     * @param buffer the bytes
     * @param offset start of the IP header
     * @return the total length field
     */
    public static int totalLength(byte[] buffer, int offset) {
        return readShort(buffer, offset + TOTAL_LENGTH_OFFSET);
    }

    /**
     * Returns the identification field.
     *
     * @param buffer the bytes
     * @param offset start of the IP header
     * @return the identification
     */
    public static int identification(byte[] buffer, int offset) {
        return readShort(buffer, offset + IDENTIFICATION_OFFSET);
    }

    /**
     * Returns the flags/fragment offset word.
     *
     * @param buffer the bytes
     * @param offset start of the IP header
     * @return flags (DF, MF) and the offset in 8-byte units
     */
    public static int fragmentWord(byte[] buffer, int offset) {
        return readShort(buffer, offset + FRAGMENT_OFFSET);
    }

    /**
     * Returns the TTL.
     *
     * @param buffer the bytes
     * @param offset start of the IP header
     * @return the time to live
     */
    public static int ttl(byte[] buffer, int offset) {
        return buffer[offset + TTL_OFFSET] & 0xFF;
    }

    /**
     * Returns the protocol.
     *
     * @param buffer the bytes
     * @param offset start of the IP header
     * @return the protocol number
     */
    public static int protocol(byte[] buffer, int offset) {
        return buffer[offset + PROTOCOL_OFFSET] & 0xFF;
    }

    /**
     * Returns the header checksum field.
     *
     * @param buffer the bytes
     * @param offset start of the IP header
     * @return the checksum
     */
    public static int checksum(byte[] buffer, int offset) {
        return readShort(buffer, offset + CHECKSUM_OFFSET);
    }

    /**
     * Returns the source address.
     *
     * @param buffer the bytes
     * @param offset start of the IP header
     * @return the address as an int
     */
    public static int source(byte[] buffer, int offset) {
        return IpAddresses.readInt(buffer, offset + SOURCE_OFFSET);
    }

    /**
     * Returns the destination address.
     *
     * @param buffer the bytes
     * @param offset start of the IP header
     * @return the address as an int
     */
    public static int destination(byte[] buffer, int offset) {
        return IpAddresses.readInt(buffer, offset + DESTINATION_OFFSET);
    }

    /**
     * Computes the header checksum over the header with its checksum field; 0 means valid.
     *
     * @param buffer the bytes
     * @param offset start of the IP header
     * @return 0 when the stored checksum is right
     */
    public static int verifyChecksum(byte[] buffer, int offset) {
        return Checksum.compute(buffer, offset, headerLength(buffer, offset));
    }

    static int readShort(byte[] buffer, int offset) {
        return (buffer[offset] & 0xFF) << 8 | buffer[offset + 1] & 0xFF;
    }

    static void writeShort(byte[] buffer, int offset, int value) {
        buffer[offset] = (byte) (value >>> 8);
        buffer[offset + 1] = (byte) value;
    }
}
