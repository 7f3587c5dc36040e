package io.pcapreplay.packet;

/**
 * Writes complete IPv4+TCP or IPv6+TCP packets (IP header, TCP header with options, payload) into a caller's
 * buffer, computing the IPv4 header checksum and the TCP checksum (pseudo-header). Mutable and reusable, no
 * allocation per packet: set the fields that change, then {@link #encode(byte[], int, byte[], int, int)}. Not
 * thread-safe.
 *
 * <p>IPv4 packets are complete for a raw socket with {@code IP_HDRINCL} (Linux fills in the identification when it
 * is 0 and recomputes the header checksum anyway). Defaults: IPv4, TTL/hop limit 64, DF set, identification 0,
 * window 65535, no options. IPv6 jumbograms are not written (payload length at most 65535).
 */
public final class IpTcpEncoder {

    private int version = 4;
    private int sourceV4;
    private int destinationV4;
    private long sourceHigh;
    private long sourceLow;
    private long destinationHigh;
    private long destinationLow;
    private int sourcePort;
    private int destinationPort;
    private int sequence;
    private int acknowledgment;
    private int flags;
    private int window = 0xFFFF;
    private int urgentPointer;
    private int hopLimit = 64;
    private int trafficClass;
    private int identification;
    private int flowLabel;
    private boolean dontFragment = true;
    private final TcpOptions options = new TcpOptions();

    /**
     * Uses IPv4 with these addresses.
     *
     * @param source the source address
     * @param destination the destination address
     * @return this
     */
    public IpTcpEncoder ipv4(int source, int destination) {
        version = 4;
        sourceV4 = source;
        destinationV4 = destination;
        return this;
    }

    /**
     * Uses IPv6 with these addresses.
     *
     * @param sourceHighBits high 64 bits of the source
     * @param sourceLowBits low 64 bits of the source
     * @param destinationHighBits high 64 bits of the destination
     * @param destinationLowBits low 64 bits of the destination
     * @return this
     */
    public IpTcpEncoder ipv6(long sourceHighBits, long sourceLowBits, long destinationHighBits,
                             long destinationLowBits) {
        version = 6;
        sourceHigh = sourceHighBits;
        sourceLow = sourceLowBits;
        destinationHigh = destinationHighBits;
        destinationLow = destinationLowBits;
        return this;
    }

    /**
     * Sets the ports.
     *
     * @param source the source port
     * @param destination the destination port
     * @return this
     */
    public IpTcpEncoder ports(int source, int destination) {
        sourcePort = checkShort("source port", source);
        destinationPort = checkShort("destination port", destination);
        return this;
    }

    /**
     * Sets the sequence number.
     *
     * @param value the sequence number
     * @return this
     */
    public IpTcpEncoder sequence(int value) {
        sequence = value;
        return this;
    }

    /**
     * Sets the acknowledgment number.
     *
     * @param value the acknowledgment number
     * @return this
     */
    public IpTcpEncoder acknowledgment(int value) {
        acknowledgment = value;
        return this;
    }

    /**
     * Sets the flags.
     *
     * @param value the flags ({@link TcpHeader#SYN} | ..., AE as bit 8)
     * @return this
     */
    public IpTcpEncoder flags(int value) {
        flags = value & 0x1FF;
        return this;
    }

    /**
     * Sets the window field (already scaled down).
     *
     * @param value the window, 0..65535
     * @return this
     */
    public IpTcpEncoder window(int value) {
        window = checkShort("window", value);
        return this;
    }

    /**
     * Sets the urgent pointer.
     *
     * @param value the urgent pointer
     * @return this
     */
    public IpTcpEncoder urgentPointer(int value) {
        urgentPointer = checkShort("urgent pointer", value);
        return this;
    }

    /**
     * Sets the TTL (IPv4) or hop limit (IPv6).
     *
     * @param value 1..255
     * @return this
     */
    public IpTcpEncoder hopLimit(int value) {
        if (value < 1 || value > 0xFF) {
            throw new IllegalArgumentException("hop limit: " + value + " (expected: 1 to 255)");
        }
        hopLimit = value;
        return this;
    }

    /**
     * Sets the IPv4 type of service or IPv6 traffic class.
     *
     * @param value the byte
     * @return this
     */
    public IpTcpEncoder trafficClass(int value) {
        trafficClass = value & 0xFF;
        return this;
    }

    /**
     * Sets the IPv4 identification (0: let Linux choose).
     *
     * @param value the identification
     * @return this
     */
    public IpTcpEncoder identification(int value) {
        identification = value & 0xFFFF;
        return this;
    }

    /**
     * Sets the IPv4 don't-fragment flag.
     *
     * @param value the flag
     * @return this
     */
    public IpTcpEncoder dontFragment(boolean value) {
        dontFragment = value;
        return this;
    }

    /**
     * Sets the IPv6 flow label.
     *
     * @param value the 20-bit label
     * @return this
     */
    public IpTcpEncoder flowLabel(int value) {
        flowLabel = value & 0xF_FFFF;
        return this;
    }

    /** Returns the TCP options written with each packet (mutable; cleared by nobody but the caller). */
    public TcpOptions options() {
        return options;
    }

    /** Returns the length of the IP and TCP headers with the current options: the bytes before the payload. */
    public int headerLength() {
        return (version == 4 ? Ipv4Header.MIN_LENGTH : Ipv6Header.LENGTH) + TcpHeader.MIN_LENGTH
            + options.encodedLength();
    }

    /**
     * Writes a packet without payload.
     *
     * @param out where to write
     * @param offset the first byte of the IP header
     * @return the packet length
     */
    public int encode(byte[] out, int offset) {
        return encode(out, offset, out, 0, 0);
    }

    /**
     * Writes a packet.
     *
     * @param out where to write
     * @param offset the first byte of the IP header
     * @param payload the payload bytes (may be {@code out} itself, already in place or not)
     * @param payloadOffset the first payload byte
     * @param payloadLength the number of payload bytes
     * @return the packet length
     * @throws IllegalArgumentException when the packet does not fit in {@code out} or in the IP length field
     */
    public int encode(byte[] out, int offset, byte[] payload, int payloadOffset, int payloadLength) {
        int ipHeaderLength = version == 4 ? Ipv4Header.MIN_LENGTH : Ipv6Header.LENGTH;
        int tcpHeaderLength = TcpHeader.MIN_LENGTH + options.encodedLength();
        int segmentLength = tcpHeaderLength + payloadLength;
        int total = ipHeaderLength + segmentLength;
        int limit = version == 4 ? Ipv4Header.MAX_TOTAL_LENGTH : Ipv6Header.LENGTH + 0xFFFF;
        if (payloadLength < 0 || total > limit) {
            throw new IllegalArgumentException("IPv" + version + " packet length: " + total + " bytes (expected: "
                + "at most " + limit + "; send a smaller segment)");
        }
        if (offset < 0 || offset + total > out.length) {
            throw new IllegalArgumentException("output buffer: " + (out.length - offset) + " bytes left (expected: "
                + "at least " + total + ")");
        }
        int tcpOffset = offset + ipHeaderLength;
        System.arraycopy(payload, payloadOffset, out, tcpOffset + tcpHeaderLength, payloadLength);
        writeTcpHeader(out, tcpOffset, tcpHeaderLength);
        long sum;
        if (version == 4) {
            writeIpv4Header(out, offset, total);
            sum = Checksum.pseudoHeaderV4(sourceV4, destinationV4, IpTcpView.PROTOCOL_TCP, segmentLength);
        } else {
            writeIpv6Header(out, offset, segmentLength);
            sum = Checksum.pseudoHeaderV6(sourceHigh, sourceLow, destinationHigh, destinationLow,
                IpTcpView.PROTOCOL_TCP, segmentLength);
        }
        int checksum = Checksum.finish(Checksum.add(sum, out, tcpOffset, segmentLength));
        Ipv4Header.writeShort(out, tcpOffset + TcpHeader.CHECKSUM_OFFSET, checksum);
        return total;
    }

    private void writeTcpHeader(byte[] out, int tcpOffset, int tcpHeaderLength) {
        Ipv4Header.writeShort(out, tcpOffset, sourcePort);
        Ipv4Header.writeShort(out, tcpOffset + 2, destinationPort);
        IpAddresses.writeInt(out, tcpOffset + TcpHeader.SEQUENCE_OFFSET, sequence);
        IpAddresses.writeInt(out, tcpOffset + TcpHeader.ACKNOWLEDGMENT_OFFSET, acknowledgment);
        out[tcpOffset + TcpHeader.DATA_OFFSET_OFFSET] = (byte) ((tcpHeaderLength / 4) << 4 | (flags >>> 8) & 1);
        out[tcpOffset + TcpHeader.FLAGS_OFFSET] = (byte) flags;
        Ipv4Header.writeShort(out, tcpOffset + TcpHeader.WINDOW_OFFSET, window);
        Ipv4Header.writeShort(out, tcpOffset + TcpHeader.CHECKSUM_OFFSET, 0);
        Ipv4Header.writeShort(out, tcpOffset + TcpHeader.URGENT_POINTER_OFFSET, urgentPointer);
        options.write(out, tcpOffset + TcpHeader.MIN_LENGTH);
    }

    private void writeIpv4Header(byte[] out, int offset, int total) {
        out[offset] = 0x45;
        out[offset + 1] = (byte) trafficClass;
        Ipv4Header.writeShort(out, offset + Ipv4Header.TOTAL_LENGTH_OFFSET, total);
        Ipv4Header.writeShort(out, offset + Ipv4Header.IDENTIFICATION_OFFSET, identification);
        Ipv4Header.writeShort(out, offset + Ipv4Header.FRAGMENT_OFFSET,
            dontFragment ? Ipv4Header.FLAG_DONT_FRAGMENT : 0);
        out[offset + Ipv4Header.TTL_OFFSET] = (byte) hopLimit;
        out[offset + Ipv4Header.PROTOCOL_OFFSET] = IpTcpView.PROTOCOL_TCP;
        Ipv4Header.writeShort(out, offset + Ipv4Header.CHECKSUM_OFFSET, 0);
        IpAddresses.writeInt(out, offset + Ipv4Header.SOURCE_OFFSET, sourceV4);
        IpAddresses.writeInt(out, offset + Ipv4Header.DESTINATION_OFFSET, destinationV4);
        Ipv4Header.writeShort(out, offset + Ipv4Header.CHECKSUM_OFFSET,
            Checksum.compute(out, offset, Ipv4Header.MIN_LENGTH));
    }

    private void writeIpv6Header(byte[] out, int offset, int payloadLength) {
        IpAddresses.writeInt(out, offset, 6 << 28 | trafficClass << 20 | flowLabel);
        Ipv4Header.writeShort(out, offset + Ipv6Header.PAYLOAD_LENGTH_OFFSET, payloadLength);
        out[offset + Ipv6Header.NEXT_HEADER_OFFSET] = IpTcpView.PROTOCOL_TCP;
        out[offset + Ipv6Header.HOP_LIMIT_OFFSET] = (byte) hopLimit;
        IpAddresses.writeLong(out, offset + Ipv6Header.SOURCE_OFFSET, sourceHigh);
        IpAddresses.writeLong(out, offset + Ipv6Header.SOURCE_OFFSET + 8, sourceLow);
        IpAddresses.writeLong(out, offset + Ipv6Header.DESTINATION_OFFSET, destinationHigh);
        IpAddresses.writeLong(out, offset + Ipv6Header.DESTINATION_OFFSET + 8, destinationLow);
    }

    private static int checkShort(String what, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(what + ": " + value + " (expected: 0 to 65535)");
        }
        return value;
    }
}
