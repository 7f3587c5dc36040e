package io.pcapreplay.packet;

/**
 * TCP header layout (RFC 9293), flag bits, option kinds, and static accessors on {@code (byte[] buffer, int
 * offset)} where {@code offset} is the first byte of the TCP header. No bounds checks: use {@link IpTcpView} for
 * untrusted input (it also parses the options).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+-------------------------------+
 * |          Source Port          |       Destination Port        |
 * +-------------------------------+-------------------------------+
 * |                        Sequence Number                        |
 * +---------------------------------------------------------------+
 * |                    Acknowledgment Number                      |
 * +-------+-----+-+-+-+-+-+-+-+-+-+-------------------------------+
 * |  Data |     |A|C|E|U|A|P|R|S|F|                               |
 * | Offset| Res.|E|W|C|R|C|S|S|Y|I|            Window             |
 * |       |     | |R|E|G|K|H|T|N|N|                               |
 * +-------+-----+-+-+-+-+-+-+-+-+-+-------------------------------+
 * |           Checksum            |         Urgent Pointer        |
 * +-------------------------------+-------------------------------+
 * |                    Options (data offset &gt; 5)                 |
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class TcpHeader {

    /** Length of the header without options. */
    public static final int MIN_LENGTH = 20;
    /** Longest header (data offset 15). */
    public static final int MAX_LENGTH = 60;
    /** Flag bit FIN. */
    public static final int FIN = 0x01;
    /** Flag bit SYN. */
    public static final int SYN = 0x02;
    /** Flag bit RST. */
    public static final int RST = 0x04;
    /** Flag bit PSH. */
    public static final int PSH = 0x08;
    /** Flag bit ACK. */
    public static final int ACK = 0x10;
    /** Flag bit URG. */
    public static final int URG = 0x20;
    /** Flag bit ECE. */
    public static final int ECE = 0x40;
    /** Flag bit CWR. */
    public static final int CWR = 0x80;
    /** Flag bit AE (Accurate ECN, ex-NS), bit 0 of byte 12, returned as bit 8. */
    public static final int AE = 0x100;
    /** Option kind: end of option list. */
    public static final int OPTION_END = 0;
    /** Option kind: no-operation. */
    public static final int OPTION_NOP = 1;
    /** Option kind: maximum segment size (length 4). */
    public static final int OPTION_MSS = 2;
    /** Option kind: window scale (length 3). */
    public static final int OPTION_WINDOW_SCALE = 3;
    /** Option kind: SACK permitted (length 2). */
    public static final int OPTION_SACK_PERMITTED = 4;
    /** Option kind: SACK blocks (length 2 + 8n). */
    public static final int OPTION_SACK = 5;
    /** Option kind: timestamps (length 10). */
    public static final int OPTION_TIMESTAMPS = 8;
    /** Largest window scale shift allowed (RFC 7323). */
    public static final int MAX_WINDOW_SCALE = 14;
    /** Offset of the sequence number. */
    public static final int SEQUENCE_OFFSET = 4;
    /** Offset of the acknowledgment number. */
    public static final int ACKNOWLEDGMENT_OFFSET = 8;
    /** Offset of the data offset byte. */
    public static final int DATA_OFFSET_OFFSET = 12;
    /** Offset of the flags byte. */
    public static final int FLAGS_OFFSET = 13;
    /** Offset of the window field. */
    public static final int WINDOW_OFFSET = 14;
    /** Offset of the checksum field. */
    public static final int CHECKSUM_OFFSET = 16;
    /** Offset of the urgent pointer. */
    public static final int URGENT_POINTER_OFFSET = 18;

    private TcpHeader() {
    }

    /**
     * Returns the source port.
     *
     * @param buffer the bytes
     * @param offset start of the TCP header
     * @return the port
     */
    public static int sourcePort(byte[] buffer, int offset) {
        return Ipv4Header.readShort(buffer, offset);
    }

    /**
     * Returns the destination port.
     *
     * @param buffer the bytes
     * @param offset start of the TCP header
     * @return the port
     */
    public static int destinationPort(byte[] buffer, int offset) {
        return Ipv4Header.readShort(buffer, offset + 2);
    }

    /**
     * Returns the sequence number.
     *
     * @param buffer the bytes
     * @param offset start of the TCP header
     * @return the sequence number (compare with {@link TcpSequence})
     */
    public static int sequence(byte[] buffer, int offset) {
        return IpAddresses.readInt(buffer, offset + SEQUENCE_OFFSET);
    }

    /**
     * Returns the acknowledgment number.
     *
     * @param buffer the bytes
     * @param offset start of the TCP header
     * @return the acknowledgment number
     */
    public static int acknowledgment(byte[] buffer, int offset) {
        return IpAddresses.readInt(buffer, offset + ACKNOWLEDGMENT_OFFSET);
    }

    /**
     * Returns the header length in bytes (data offset * 4).
     *
     * @param buffer the bytes
     * @param offset start of the TCP header
     * @return the header length
     */
    public static int headerLength(byte[] buffer, int offset) {
        return ((buffer[offset + DATA_OFFSET_OFFSET] & 0xFF) >>> 4) * 4;
    }

    /**
     * Returns the flags: byte 13 in bits 0-7 and the AE bit as bit 8 ({@link #AE}).
     *
     * @param buffer the bytes
     * @param offset start of the TCP header
     * @return the flags
     */
    public static int flags(byte[] buffer, int offset) {
        return (buffer[offset + FLAGS_OFFSET] & 0xFF) | (buffer[offset + DATA_OFFSET_OFFSET] & 0x01) << 8;
    }

    /**
     * Returns the window field (unscaled).
     *
     * @param buffer the bytes
     * @param offset start of the TCP header
     * @return the window
     */
    public static int window(byte[] buffer, int offset) {
        return Ipv4Header.readShort(buffer, offset + WINDOW_OFFSET);
    }

    /**
     * Returns the checksum field.
     *
     * @param buffer the bytes
     * @param offset start of the TCP header
     * @return the checksum
     */
    public static int checksum(byte[] buffer, int offset) {
        return Ipv4Header.readShort(buffer, offset + CHECKSUM_OFFSET);
    }

    /**
     * Returns the urgent pointer.
     *
     * @param buffer the bytes
     * @param offset start of the TCP header
     * @return the urgent pointer
     */
    public static int urgentPointer(byte[] buffer, int offset) {
        return Ipv4Header.readShort(buffer, offset + URGENT_POINTER_OFFSET);
    }
}
