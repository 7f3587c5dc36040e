package io.pcapreplay.pcap;

/**
 * Finds the IP packet inside a link-layer frame, without allocation. One instance per reader (not thread-safe):
 * {@link #decode(byte[], int, int)} sets {@link #ipOffset()} and {@link #ipLength()}.
 *
 * <p>Layouts: EN10MB: 6+6 bytes of MAC addresses, then 2-byte EtherType; 0x8100 (802.1Q), 0x88a8 (802.1ad),
 * 0x9100 and 0x9200 (old QinQ) are followed by 2 bytes of tag and the next EtherType (any depth). LINUX_SLL:
 * 16 bytes, protocol at 14. LINUX_SLL2: 20 bytes, protocol at 0. NULL/LOOP: 4-byte address family in either
 * byte order (AF_INET 2; AF_INET6 10, 24, 28 or 30 depending on the OS). RAW/IPV4/IPV6: the packet itself.
 * NFLOG: 4-byte header (family, version, resource id), then TLVs (2-byte length including the 4-byte TLV header,
 * 2-byte type, both in the capturing host's byte order, each TLV padded to 4 bytes); type 9 holds the packet.
 */
final class FrameDecoder {

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int NFLOG_PAYLOAD = 9;

    private final LinkType linkType;
    private int ipOffset;
    private int ipLength;

    FrameDecoder(LinkType linkType) {
        this.linkType = linkType;
    }

    /**
     * Locates the IP packet.
     *
     * @param frame the bytes
     * @param start where the frame starts in them
     * @param length the captured length of the frame
     * @return false when the frame does not carry IPv4 or IPv6 (ARP, other protocols, too short)
     */
    boolean decode(byte[] frame, int start, int length) {
        ipLength = -1;
        int end = start + length;
        int offset;
        switch (linkType) {
            case EN10MB:
                offset = etherTypeChain(frame, end, start + 12);
                break;
            case LINUX_SLL:
                offset = etherTypeChain(frame, end, start + 14);
                break;
            case LINUX_SLL2:
                offset = length >= 20 && isIpEtherType(readShort(frame, start)) ? start + 20 : -1;
                break;
            case NULL:
            case LOOP:
                offset = length >= 4 && isIpFamily(frame, start) ? start + 4 : -1;
                break;
            case NFLOG:
                offset = nflogPayload(frame, start, end);
                break;
            default:
                offset = start;
                break;
        }
        if (offset < 0 || offset >= end) {
            return false;
        }
        int version = (frame[offset] & 0xFF) >>> 4;
        if (version != 4 && version != 6) {
            return false;
        }
        ipOffset = offset;
        if (ipLength < 0) {
            ipLength = end - offset;
        }
        return true;
    }

    /** Returns where the IP header starts: the offset in the frame. */
    int ipOffset() {
        return ipOffset;
    }

    /** Returns how many captured bytes belong to the IP packet (and maybe trailing padding): the length. */
    int ipLength() {
        return ipLength;
    }

    private static int etherTypeChain(byte[] frame, int end, int typeOffset) {
        int position = typeOffset;
        while (position + 2 <= end) {
            int type = readShort(frame, position);
            if (type == 0x8100 || type == 0x88A8 || type == 0x9100 || type == 0x9200) {
                position += 4;
                continue;
            }
            return isIpEtherType(type) ? position + 2 : -1;
        }
        return -1;
    }

    private static boolean isIpEtherType(int type) {
        return type == ETHERTYPE_IPV4 || type == ETHERTYPE_IPV6;
    }

    private static boolean isIpFamily(byte[] frame, int start) {
        int bigEndian = (frame[start] & 0xFF) << 24 | (frame[start + 1] & 0xFF) << 16 | (frame[start + 2] & 0xFF) << 8
            | frame[start + 3] & 0xFF;
        int family = (bigEndian & 0xFFFF_0000) == 0 ? bigEndian : Integer.reverseBytes(bigEndian);
        return family == 2 || family == 10 || family == 24 || family == 28 || family == 30;
    }

    private int nflogPayload(byte[] frame, int start, int end) {
        int position = start + 4;
        boolean littleEndian = guessNflogLittleEndian(frame, start, end);
        while (position + 4 <= end) {
            int tlvLength = readShort16(frame, position, littleEndian);
            int type = readShort16(frame, position + 2, littleEndian);
            if (tlvLength < 4) {
                return -1;
            }
            if (type == NFLOG_PAYLOAD) {
                ipLength = Math.min(tlvLength, end - position) - 4;
                return position + 4;
            }
            position += (tlvLength + 3) & ~3;
        }
        return -1;
    }

    /** The first TLV's length is small and plausible in exactly one byte order, mostly (little-endian hosts). */
    private static boolean guessNflogLittleEndian(byte[] frame, int start, int end) {
        if (end - start < 8) {
            return true;
        }
        int little = readShort16(frame, start + 4, true);
        return little >= 4 && little <= end - start - 4;
    }

    private static int readShort16(byte[] frame, int offset, boolean littleEndian) {
        return littleEndian ? (frame[offset] & 0xFF) | (frame[offset + 1] & 0xFF) << 8 : readShort(frame, offset);
    }

    private static int readShort(byte[] frame, int offset) {
        return (frame[offset] & 0xFF) << 8 | frame[offset + 1] & 0xFF;
    }
}
