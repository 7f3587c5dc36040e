package io.pcapreplay.packet;

import java.net.InetAddress;

/**
 * A reusable, zero-allocation view of one IPv4 or IPv6 packet and, when it carries a whole TCP header, of its TCP
 * header and options. Call {@link #wrap(byte[], int, int)} for each packet; the accessors then read the values
 * decoded by that call. Not thread-safe: one instance per thread.
 *
 * <p>Lengths: {@link #totalLength()} is the IP packet's length on the wire (from the header; an IPv4 total length
 * of 0, or an IPv6 payload length of 0 without a jumbo option, means "the captured length", as TSO and BIG TCP
 * captures have); {@link #capturedLength()} is how much of it is in the buffer (less when the capture was cut by
 * its snaplen). Ethernet padding after the IP packet is ignored.
 *
 * <p>Addresses: IPv4 as an int ({@link #sourceV4()}); every address also as 128 bits ({@link #sourceHigh()},
 * {@link #sourceLow()}), IPv4 in its IPv4-mapped form {@code ::ffff:a.b.c.d}, to key both families alike.
 *
 * <p>TCP: {@link #isTcp()} is true when the protocol is TCP and the packet is not a fragment (an IPv6 atomic
 * fragment, offset 0 without more fragments, counts as whole). TCP options are parsed leniently: a malformed
 * option list stops the parse and sets {@link #optionsMalformed()}, the payload is still located by the data
 * offset. Checksums are not checked while decoding (captures with offload carry wrong ones); see
 * {@link #verifyTcpChecksum()}.
 */
public final class IpTcpView {

    /** IP protocol number of TCP. */
    public static final int PROTOCOL_TCP = 6;

    private byte[] buffer;
    private int ipOffset;
    private int version;
    private int ipHeaderLength;
    private int totalLength;
    private int capturedLength;
    private int protocol;
    private int hopLimit;
    private int trafficClass;
    private int sourceV4;
    private int destinationV4;
    private long sourceHigh;
    private long sourceLow;
    private long destinationHigh;
    private long destinationLow;
    private int fragmentOffset;
    private boolean moreFragments;
    private boolean dontFragment;
    private boolean fragmentHeader;
    private long fragmentId;
    private boolean jumbogram;
    private boolean tcp;
    private int tcpOffset;
    private final TcpOptions options = new TcpOptions();

    /**
     * Decodes the packet at {@code buffer[offset .. offset + length)}, which starts with the IP header.
     *
     * @param buffer the bytes (kept by reference until the next call)
     * @param offset the first byte of the IP header
     * @param length the number of captured bytes from {@code offset}
     * @return this view
     * @throws PacketProtocolException when the IP header, the extension headers or the TCP header are malformed
     *     or cut short
     */
    public IpTcpView wrap(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.ipOffset = offset;
        this.tcp = false;
        this.fragmentHeader = false;
        this.jumbogram = false;
        options.clear();
        if (length < 1) {
            throw PacketProtocolException.of("IP header", length + " bytes captured", "at least 20");
        }
        version = Ipv4Header.version(buffer, offset);
        if (version == 4) {
            decodeV4(length);
        } else if (version == 6) {
            decodeV6(length);
        } else {
            throw PacketProtocolException.of("IP version", version, "4 or 6");
        }
        if (protocol == PROTOCOL_TCP && fragmentOffset == 0 && !moreFragments) {
            decodeTcp();
        }
        return this;
    }

    private void decodeV4(int length) {
        if (length < Ipv4Header.MIN_LENGTH) {
            throw PacketProtocolException.of("IPv4 header", length + " bytes captured", "at least 20");
        }
        ipHeaderLength = Ipv4Header.headerLength(buffer, ipOffset);
        if (ipHeaderLength < Ipv4Header.MIN_LENGTH) {
            throw PacketProtocolException.of("IPv4 header length", ipHeaderLength + " bytes", "20 to 60");
        }
        if (ipHeaderLength > length) {
            throw PacketProtocolException.of("IPv4 header", length + " bytes captured",
                "the header length, " + ipHeaderLength);
        }
        int field = Ipv4Header.totalLength(buffer, ipOffset);
        if (field == 0) {
            totalLength = length;
        } else if (field < ipHeaderLength) {
            throw PacketProtocolException.of("IPv4 total length", field,
                "at least the header length " + ipHeaderLength + ", or 0 for a segmentation offload capture");
        } else {
            totalLength = field;
        }
        capturedLength = Math.min(totalLength, length);
        trafficClass = Ipv4Header.typeOfService(buffer, ipOffset);
        int fragmentWord = Ipv4Header.fragmentWord(buffer, ipOffset);
        dontFragment = (fragmentWord & Ipv4Header.FLAG_DONT_FRAGMENT) != 0;
        moreFragments = (fragmentWord & Ipv4Header.FLAG_MORE_FRAGMENTS) != 0;
        fragmentOffset = (fragmentWord & Ipv4Header.FRAGMENT_OFFSET_MASK) * 8;
        fragmentId = Ipv4Header.identification(buffer, ipOffset);
        hopLimit = Ipv4Header.ttl(buffer, ipOffset);
        protocol = Ipv4Header.protocol(buffer, ipOffset);
        sourceV4 = Ipv4Header.source(buffer, ipOffset);
        destinationV4 = Ipv4Header.destination(buffer, ipOffset);
        sourceHigh = IpAddresses.V4_MAPPED_HIGH;
        sourceLow = IpAddresses.v4MappedLow(sourceV4);
        destinationHigh = IpAddresses.V4_MAPPED_HIGH;
        destinationLow = IpAddresses.v4MappedLow(destinationV4);
    }

    private void decodeV6(int length) {
        if (length < Ipv6Header.LENGTH) {
            throw PacketProtocolException.of("IPv6 header", length + " bytes captured", "at least 40");
        }
        trafficClass = Ipv6Header.trafficClass(buffer, ipOffset);
        hopLimit = Ipv6Header.hopLimit(buffer, ipOffset);
        sourceHigh = Ipv6Header.sourceHigh(buffer, ipOffset);
        sourceLow = Ipv6Header.sourceLow(buffer, ipOffset);
        destinationHigh = Ipv6Header.destinationHigh(buffer, ipOffset);
        destinationLow = Ipv6Header.destinationLow(buffer, ipOffset);
        sourceV4 = 0;
        destinationV4 = 0;
        dontFragment = false;
        moreFragments = false;
        fragmentOffset = 0;
        fragmentId = 0;
        long jumboLength = walkExtensionHeaders(length);
        int field = Ipv6Header.payloadLength(buffer, ipOffset);
        long total;
        if (field != 0) {
            total = Ipv6Header.LENGTH + field;
        } else if (jumboLength >= 0) {
            total = Ipv6Header.LENGTH + jumboLength;
            jumbogram = true;
        } else {
            total = length;
        }
        if (total > Integer.MAX_VALUE) {
            throw PacketProtocolException.of("IPv6 jumbo payload length", jumboLength, "at most 2^31 - 41 bytes");
        }
        if (total < ipHeaderLength) {
            throw PacketProtocolException.of("IPv6 payload length", total - Ipv6Header.LENGTH,
                "at least the extension headers' length " + (ipHeaderLength - Ipv6Header.LENGTH));
        }
        totalLength = (int) total;
        capturedLength = Math.min(totalLength, length);
    }

    /** Walks the extension headers; sets protocol and ipHeaderLength; returns the jumbo payload length or -1. */
    private long walkExtensionHeaders(int length) {
        int next = Ipv6Header.nextHeader(buffer, ipOffset);
        int position = Ipv6Header.LENGTH;
        long jumboLength = -1;
        while (Ipv6Header.isExtensionHeader(next)) {
            if (position + 8 > length) {
                throw PacketProtocolException.of("IPv6 extension header " + next,
                    (length - position) + " bytes captured", "at least 8");
            }
            int at = ipOffset + position;
            int headerLength = next == Ipv6Header.AUTHENTICATION
                ? ((buffer[at + 1] & 0xFF) + 2) * 4 : ((buffer[at + 1] & 0xFF) + 1) * 8;
            if (next == Ipv6Header.FRAGMENT) {
                headerLength = 8;
            }
            if (position + headerLength > length) {
                throw PacketProtocolException.of("IPv6 extension header " + next,
                    (length - position) + " bytes captured", "its length, " + headerLength);
            }
            if (next == Ipv6Header.HOP_BY_HOP) {
                jumboLength = findJumboLength(at + 2, at + headerLength);
            } else if (next == Ipv6Header.FRAGMENT) {
                fragmentHeader = true;
                int word = Ipv4Header.readShort(buffer, at + 2);
                fragmentOffset = word & 0xFFF8;
                moreFragments = (word & 1) != 0;
                fragmentId = IpAddresses.readInt(buffer, at + 4) & TcpSequence.MASK;
            }
            next = buffer[at] & 0xFF;
            position += headerLength;
            if (fragmentOffset != 0) {
                break;
            }
        }
        protocol = next;
        ipHeaderLength = position;
        return jumboLength;
    }

    private long findJumboLength(int start, int end) {
        int position = start;
        while (position < end) {
            int type = buffer[position] & 0xFF;
            if (type == 0) {
                position++;
                continue;
            }
            if (position + 2 > end) {
                return -1;
            }
            int optionLength = buffer[position + 1] & 0xFF;
            if (type == Ipv6Header.OPTION_JUMBO_PAYLOAD && optionLength == 4 && position + 6 <= end) {
                return IpAddresses.readInt(buffer, position + 2) & TcpSequence.MASK;
            }
            position += 2 + optionLength;
        }
        return -1;
    }

    private void decodeTcp() {
        int available = capturedLength - ipHeaderLength;
        if (available < TcpHeader.MIN_LENGTH) {
            throw PacketProtocolException.of("TCP header", available + " bytes captured", "at least 20");
        }
        tcpOffset = ipOffset + ipHeaderLength;
        int dataOffset = TcpHeader.headerLength(buffer, tcpOffset);
        if (dataOffset < TcpHeader.MIN_LENGTH) {
            throw PacketProtocolException.of("TCP data offset", dataOffset + " bytes", "20 to 60");
        }
        int segmentLength = totalLength - ipHeaderLength;
        if (dataOffset > segmentLength) {
            throw PacketProtocolException.of("TCP data offset", dataOffset + " bytes",
                "at most the segment length, " + segmentLength);
        }
        if (dataOffset > available) {
            throw PacketProtocolException.of("TCP header", available + " bytes captured",
                "the data offset, " + dataOffset);
        }
        options.parse(buffer, tcpOffset + TcpHeader.MIN_LENGTH, tcpOffset + dataOffset);
        tcp = true;
    }

    /** Returns the IP version: 4 or 6. */
    public int version() {
        return version;
    }

    /** Returns the buffer given to the last {@link #wrap(byte[], int, int)}: the bytes. */
    public byte[] buffer() {
        return buffer;
    }

    /** Returns where the IP header starts in {@link #buffer()}: the offset. */
    public int ipOffset() {
        return ipOffset;
    }

    /**
     * Returns the length of the IP header including IPv6 extension headers up to the upper-layer header.
     *
     * @return the length in bytes
     */
    public int ipHeaderLength() {
        return ipHeaderLength;
    }

    /** Returns the IP packet's length on the wire: the length in bytes. */
    public int totalLength() {
        return totalLength;
    }

    /**
     * Returns how many bytes of the IP packet are in the buffer.
     *
     * @return the length in bytes, at most {@link #totalLength()}
     */
    public int capturedLength() {
        return capturedLength;
    }

    /**
     * Tells whether the capture cut the packet short (snaplen).
     *
     * @return whether fewer bytes were captured than the packet has
     */
    public boolean isTruncated() {
        return capturedLength < totalLength;
    }

    /** Returns the upper-layer protocol (after IPv6 extension headers): the protocol number, e.g. 6 for TCP. */
    public int protocol() {
        return protocol;
    }

    /** Returns the TTL (IPv4) or hop limit (IPv6): the value. */
    public int hopLimit() {
        return hopLimit;
    }

    /** Returns the IPv4 type of service or IPv6 traffic class byte: the value. */
    public int trafficClass() {
        return trafficClass;
    }

    /** Returns the IPv4 source address (0 for IPv6): the address. */
    public int sourceV4() {
        return sourceV4;
    }

    /** Returns the IPv4 destination address (0 for IPv6): the address. */
    public int destinationV4() {
        return destinationV4;
    }

    /** Returns the high 64 bits of the source address (IPv4: mapped form): the high half. */
    public long sourceHigh() {
        return sourceHigh;
    }

    /** Returns the low 64 bits of the source address (IPv4: mapped form): the low half. */
    public long sourceLow() {
        return sourceLow;
    }

    /** Returns the high 64 bits of the destination address (IPv4: mapped form): the high half. */
    public long destinationHigh() {
        return destinationHigh;
    }

    /** Returns the low 64 bits of the destination address (IPv4: mapped form): the low half. */
    public long destinationLow() {
        return destinationLow;
    }

    /** Builds the source address object (allocates): the address. */
    public InetAddress sourceAddress() {
        return version == 4 ? IpAddresses.toInetAddress(sourceV4) : IpAddresses.toInetAddress(sourceHigh, sourceLow);
    }

    /** Builds the destination address object (allocates): the address. */
    public InetAddress destinationAddress() {
        return version == 4 ? IpAddresses.toInetAddress(destinationV4)
            : IpAddresses.toInetAddress(destinationHigh, destinationLow);
    }

    /**
     * Tells whether this packet is a piece of a fragmented packet (not an atomic fragment).
     *
     * @return whether the offset is not 0 or more fragments follow
     */
    public boolean isFragment() {
        return fragmentOffset != 0 || moreFragments;
    }

    /** Returns the fragment offset: the offset in bytes. */
    public int fragmentOffset() {
        return fragmentOffset;
    }

    /** Tells whether the more-fragments flag is set: the MF flag. */
    public boolean moreFragments() {
        return moreFragments;
    }

    /** Tells whether the IPv4 don't-fragment flag is set: the DF flag (false for IPv6). */
    public boolean dontFragment() {
        return dontFragment;
    }

    /** Tells whether an IPv6 fragment header was present: whether there was one. */
    public boolean hasFragmentHeader() {
        return fragmentHeader;
    }

    /**
     * Tells whether this is an IPv6 atomic fragment (RFC 6946): a fragment header with offset 0 and no more
     * fragments.
     *
     * @return whether it is one
     */
    public boolean isAtomicFragment() {
        return fragmentHeader && fragmentOffset == 0 && !moreFragments;
    }

    /** Returns the fragment identification (IPv4 identification or IPv6 fragment header id): the id. */
    public long fragmentId() {
        return fragmentId;
    }

    /** Tells whether the IPv6 length came from a jumbo payload option: whether this is a jumbogram. */
    public boolean isJumbogram() {
        return jumbogram;
    }

    /**
     * Tells whether a whole TCP header was decoded; the TCP accessors below are only valid then.
     *
     * @return whether this is a TCP segment
     */
    public boolean isTcp() {
        return tcp;
    }

    /** Returns where the TCP header starts in {@link #buffer()}: the offset. */
    public int tcpOffset() {
        return tcpOffset;
    }

    /** Returns the TCP header length: data offset * 4. */
    public int tcpHeaderLength() {
        return TcpHeader.headerLength(buffer, tcpOffset);
    }

    /** Returns the source port: the port. */
    public int sourcePort() {
        return TcpHeader.sourcePort(buffer, tcpOffset);
    }

    /** Returns the destination port: the port. */
    public int destinationPort() {
        return TcpHeader.destinationPort(buffer, tcpOffset);
    }

    /** Returns the sequence number: the sequence number. */
    public int sequence() {
        return TcpHeader.sequence(buffer, tcpOffset);
    }

    /** Returns the acknowledgment number: the acknowledgment number. */
    public int acknowledgment() {
        return TcpHeader.acknowledgment(buffer, tcpOffset);
    }

    /** Returns the TCP flags: the flags ({@link TcpHeader#SYN} ...). */
    public int flags() {
        return TcpHeader.flags(buffer, tcpOffset);
    }

    /** Returns the window field (unscaled): the window. */
    public int window() {
        return TcpHeader.window(buffer, tcpOffset);
    }

    /** Returns the TCP checksum field: the checksum. */
    public int tcpChecksum() {
        return TcpHeader.checksum(buffer, tcpOffset);
    }

    /** Returns the options decoded from the TCP header (valid until the next wrap): the options. */
    public TcpOptions options() {
        return options;
    }

    /** Tells whether the option list was malformed (its parse stopped there): whether it was. */
    public boolean optionsMalformed() {
        return options.malformed();
    }

    /** Returns where the TCP payload starts in {@link #buffer()}: the offset. */
    public int payloadOffset() {
        return tcpOffset + tcpHeaderLength();
    }

    /** Returns the TCP payload length on the wire: the length in bytes. */
    public int payloadLength() {
        return totalLength - ipHeaderLength - tcpHeaderLength();
    }

    /** Returns how many TCP payload bytes are in the buffer: the length in bytes, at most {@link #payloadLength()}. */
    public int capturedPayloadLength() {
        return capturedLength - ipHeaderLength - tcpHeaderLength();
    }

    /**
     * Computes the TCP checksum over the pseudo-header and the whole segment, including the checksum field.
     *
     * @return 0 when the stored checksum is right; -1 when the segment was not captured whole
     */
    public int verifyTcpChecksum() {
        if (!tcp || isTruncated()) {
            return -1;
        }
        int segmentLength = totalLength - ipHeaderLength;
        long sum = version == 4
            ? Checksum.pseudoHeaderV4(sourceV4, destinationV4, PROTOCOL_TCP, segmentLength)
            : Checksum.pseudoHeaderV6(sourceHigh, sourceLow, destinationHigh, destinationLow, PROTOCOL_TCP,
                segmentLength);
        return Checksum.finish(Checksum.add(sum, buffer, tcpOffset, segmentLength));
    }

    @Override
    public String toString() {
        String source = IpAddresses.format(sourceHigh, sourceLow);
        String destination = IpAddresses.format(destinationHigh, destinationLow);
        if (!tcp) {
            return "IPv" + version + " " + source + " > " + destination + " proto " + protocol + " length "
                + totalLength;
        }
        return "IPv" + version + " " + source + "." + sourcePort() + " > " + destination + "." + destinationPort()
            + " [" + TcpFlag.toString(flags()) + "] seq " + TcpSequence.toUnsigned(sequence()) + " ack "
            + TcpSequence.toUnsigned(acknowledgment()) + " win " + window() + " length " + payloadLength();
    }
}
