package io.pcapreplay.agent.capture;

/**
 * The datalink types the agent can strip to reach the IP packet, with libpcap's DLT values as returned by
 * {@code pcap_datalink} on Linux.
 */
public enum LinkLayer {
    /** Ethernet, with any number of 802.1Q / 802.1ad VLAN tags. */
    EN10MB(1),
    /** Raw IP (DLT_RAW as Linux reports it). */
    RAW(12),
    /** Raw IP (LINKTYPE_RAW). */
    RAW_LINKTYPE(101),
    /** Linux "cooked" capture v1, used by the {@code any} device. */
    LINUX_SLL(113),
    /** Raw IPv4. */
    IPV4(228),
    /** Raw IPv6. */
    IPV6(229),
    /** Linux "cooked" capture v2. */
    LINUX_SLL2(276);

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88A8;
    private static final int MAX_VLAN_TAGS = 4;

    private final int dlt;

    LinkLayer(int dlt) {
        this.dlt = dlt;
    }

    /** @return the libpcap DLT value */
    public int dlt() {
        return dlt;
    }

    /**
     * @param dlt a libpcap DLT value
     * @return the link layer, or null when the agent cannot strip it
     */
    public static LinkLayer ofDlt(int dlt) {
        for (LinkLayer layer : values()) {
            if (layer.dlt == dlt) {
                return layer;
            }
        }
        return null;
    }

    /**
     * @param frame a captured frame
     * @param length bytes of it captured
     * @return the offset of the IPv4/IPv6 header, or -1 when the frame carries no IP packet
     */
    public int ipOffset(byte[] frame, int length) {
        return switch (this) {
            case EN10MB -> ethernet(frame, length);
            case LINUX_SLL -> length >= 16 ? ipIfEthertype(readShort(frame, 14), 16, length) : -1;
            case LINUX_SLL2 -> length >= 20 ? ipIfEthertype(readShort(frame, 0), 20, length) : -1;
            case RAW, RAW_LINKTYPE, IPV4, IPV6 -> length >= 1 && isIpVersion(frame[0]) ? 0 : -1;
        };
    }

    private static int ethernet(byte[] frame, int length) {
        int offset = 12;
        for (int tags = 0; tags <= MAX_VLAN_TAGS; tags++) {
            if (length < offset + 2) {
                return -1;
            }
            int type = readShort(frame, offset);
            if (type != ETHERTYPE_VLAN && type != ETHERTYPE_QINQ) {
                return ipIfEthertype(type, offset + 2, length);
            }
            offset += 4;
        }
        return -1;
    }

    private static int ipIfEthertype(int type, int offset, int length) {
        return (type == ETHERTYPE_IPV4 || type == ETHERTYPE_IPV6) && length > offset ? offset : -1;
    }

    private static boolean isIpVersion(byte first) {
        int version = (first & 0xFF) >>> 4;
        return version == 4 || version == 6;
    }

    private static int readShort(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }
}
