package io.pcapreplay.pcap;

/**
 * The link types (libpcap DLT values as returned by {@code pcap_datalink}) whose frames can carry IP packets that
 * we read. Names are libpcap's, as tcpdump prints them.
 */
public enum LinkType {
    /** BSD loopback: 4-byte address family in the capturing host's byte order. */
    NULL(0),
    /** Ethernet, with any number of 802.1Q / 802.1ad VLAN tags. */
    EN10MB(1),
    /** Raw IP (DLT_RAW as libpcap maps LINKTYPE_RAW 101 on Linux). */
    RAW(12),
    /** Raw IP (DLT_RAW on OpenBSD). */
    RAW_OPENBSD(14),
    /** Raw IP (LINKTYPE_RAW). */
    RAW_LINKTYPE(101),
    /** OpenBSD loopback: 4-byte address family in network byte order. */
    LOOP(108),
    /** Linux cooked capture v1 (16-byte header). */
    LINUX_SLL(113),
    /** Raw IPv4. */
    IPV4(228),
    /** Raw IPv6. */
    IPV6(229),
    /** Linux netfilter log: TLVs, the packet in TLV type 9. */
    NFLOG(239),
    /** Linux cooked capture v2 (20-byte header). */
    LINUX_SLL2(276);

    private static final LinkType[] VALUES = values();

    private final int dlt;

    LinkType(int dlt) {
        this.dlt = dlt;
    }

    /** Returns the DLT value: as libpcap reports it. */
    public int dlt() {
        return dlt;
    }

    /**
     * Finds the link type of a DLT value.
     *
     * @param dlt the value from {@code pcap_datalink}
     * @return the link type, or null when not supported
     */
    public static LinkType valueOf(int dlt) {
        for (LinkType type : VALUES) {
            if (type.dlt == dlt) {
                return type;
            }
        }
        return null;
    }

    /** Returns the list of supported names and values, for messages: e.g. "EN10MB (1), ...". */
    public static String supported() {
        StringBuilder text = new StringBuilder();
        for (LinkType type : VALUES) {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(type.displayName()).append(" (").append(type.dlt).append(')');
        }
        return text.toString();
    }

    /** Returns the name tcpdump uses: RAW for every raw IP value. */
    public String displayName() {
        return this == RAW_OPENBSD || this == RAW_LINKTYPE ? "RAW" : name();
    }
}
