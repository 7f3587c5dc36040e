package io.pcapreplay.packet;

/**
 * IPv6 header layout (RFC 8200), extension header numbers, and static accessors on {@code (byte[] buffer, int
 * offset)} where {@code offset} is the first byte of the IPv6 header. No bounds checks: use {@link IpTcpView} for
 * untrusted input (it also walks the extension header chain).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------+---------------+---------------------------------------+
 * |Version| Traffic Class |               Flow Label              |
 * +-------+---------------+-------+---------------+---------------+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-------------------------------+---------------+---------------+
 * |                  Source Address (128 bits)                    |
 * +---------------------------------------------------------------+
 * |               Destination Address (128 bits)                  |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>A payload length of 0 with a hop-by-hop Jumbo Payload option (RFC 2675, used by BIG TCP) means the length is
 * in that option. Extension headers: hop-by-hop (0), routing (43), fragment (44, 8 bytes: next header, reserved,
 * offset(13 bits)/res(2)/M(1), identification(32)), destination options (60), AH (51, length in 4-byte units).
 */
public final class Ipv6Header {

    /** Length of the fixed header. */
    public static final int LENGTH = 40;
    /** Next header: hop-by-hop options. */
    public static final int HOP_BY_HOP = 0;
    /** Next header: TCP. */
    public static final int TCP = 6;
    /** Next header: routing header. */
    public static final int ROUTING = 43;
    /** Next header: fragment header. */
    public static final int FRAGMENT = 44;
    /** Next header: authentication header. */
    public static final int AUTHENTICATION = 51;
    /** Next header: no next header. */
    public static final int NO_NEXT_HEADER = 59;
    /** Next header: destination options. */
    public static final int DESTINATION_OPTIONS = 60;
    /** Next header: mobility header. */
    public static final int MOBILITY = 135;
    /** Hop-by-hop option type: Jumbo Payload (RFC 2675). */
    public static final int OPTION_JUMBO_PAYLOAD = 0xC2;
    /** Offset of the payload length field. */
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    /** Offset of the next header field. */
    public static final int NEXT_HEADER_OFFSET = 6;
    /** Offset of the hop limit field. */
    public static final int HOP_LIMIT_OFFSET = 7;
    /** Offset of the source address. */
    public static final int SOURCE_OFFSET = 8;
    /** Offset of the destination address. */
    public static final int DESTINATION_OFFSET = 24;

    private Ipv6Header() {
    }

    /**
     * Returns the traffic class.
     *
     * @param buffer the bytes
     * @param offset start of the IPv6 header
     * @return the traffic class byte
     */
    public static int trafficClass(byte[] buffer, int offset) {
        return (IpAddresses.readInt(buffer, offset) >>> 20) & 0xFF;
    }

    /**
     * Returns the flow label.
     *
     * @param buffer the bytes
     * @param offset start of the IPv6 header
     * @return the 20-bit flow label
     */
    public static int flowLabel(byte[] buffer, int offset) {
        return IpAddresses.readInt(buffer, offset) & 0xF_FFFF;
    }

    /**
     * Returns the payload length field (0 for jumbograms).
     *
     * @param buffer the bytes
     * @param offset start of the IPv6 header
     * @return the payload length field
     */
    public static int payloadLength(byte[] buffer, int offset) {
        return Ipv4Header.readShort(buffer, offset + PAYLOAD_LENGTH_OFFSET);
    }

    /**
     * Returns the next header field of the fixed header.
     *
     * @param buffer the bytes
     * @param offset start of the IPv6 header
     * @return the next header number
     */
    public static int nextHeader(byte[] buffer, int offset) {
        return buffer[offset + NEXT_HEADER_OFFSET] & 0xFF;
    }

    /**
     * Returns the hop limit.
     *
     * @param buffer the bytes
     * @param offset start of the IPv6 header
     * @return the hop limit
     */
    public static int hopLimit(byte[] buffer, int offset) {
        return buffer[offset + HOP_LIMIT_OFFSET] & 0xFF;
    }

    /**
     * Returns the high 64 bits of the source address.
     *
     * @param buffer the bytes
     * @param offset start of the IPv6 header
     * @return the high half
     */
    public static long sourceHigh(byte[] buffer, int offset) {
        return IpAddresses.readLong(buffer, offset + SOURCE_OFFSET);
    }

    /**
     * Returns the low 64 bits of the source address.
     *
     * @param buffer the bytes
     * @param offset start of the IPv6 header
     * @return the low half
     */
    public static long sourceLow(byte[] buffer, int offset) {
        return IpAddresses.readLong(buffer, offset + SOURCE_OFFSET + 8);
    }

    /**
     * Returns the high 64 bits of the destination address.
     *
     * @param buffer the bytes
     * @param offset start of the IPv6 header
     * @return the high half
     */
    public static long destinationHigh(byte[] buffer, int offset) {
        return IpAddresses.readLong(buffer, offset + DESTINATION_OFFSET);
    }

    /**
     * Returns the low 64 bits of the destination address.
     *
     * @param buffer the bytes
     * @param offset start of the IPv6 header
     * @return the low half
     */
    public static long destinationLow(byte[] buffer, int offset) {
        return IpAddresses.readLong(buffer, offset + DESTINATION_OFFSET + 8);
    }

    /**
     * Tells whether a next header number is an extension header that {@link IpTcpView} walks over.
     *
     * @param nextHeader the number
     * @return whether it is hop-by-hop, routing, fragment, destination options, AH or mobility
     */
    public static boolean isExtensionHeader(int nextHeader) {
        return nextHeader == HOP_BY_HOP || nextHeader == ROUTING || nextHeader == FRAGMENT
            || nextHeader == DESTINATION_OPTIONS || nextHeader == AUTHENTICATION || nextHeader == MOBILITY;
    }
}
