package io.pcapreplay.packet;

/**
 * TCP header flags with their bit values in {@link TcpHeader#flags(byte[], int)}: the 8 bits of byte 13, plus
 * {@link #AE} (byte 12, bit 0; formerly NS, now Accurate ECN) as bit 8. The hot path uses the int constants of
 * {@link TcpHeader} ({@code TcpHeader.SYN} ...) directly.
 */
public enum TcpFlag {
    /** No more data from sender. */
    FIN(TcpHeader.FIN),
    /** Synchronize sequence numbers. */
    SYN(TcpHeader.SYN),
    /** Reset the connection. */
    RST(TcpHeader.RST),
    /** Push function. */
    PSH(TcpHeader.PSH),
    /** Acknowledgment field significant. */
    ACK(TcpHeader.ACK),
    /** Urgent pointer field significant. */
    URG(TcpHeader.URG),
    /** ECN echo. */
    ECE(TcpHeader.ECE),
    /** Congestion window reduced. */
    CWR(TcpHeader.CWR),
    /** Accurate ECN (RFC 9768; was the experimental NS bit). */
    AE(TcpHeader.AE);

    private static final TcpFlag[] VALUES = values();

    private final int bit;

    TcpFlag(int bit) {
        this.bit = bit;
    }

    /**
     * Returns the bit value.
     *
     * @return the bit of this flag in the flags int
     */
    public int bit() {
        return bit;
    }

    /**
     * Tells whether this flag is set.
     *
     * @param flags the flags int
     * @return whether this flag's bit is set
     */
    public boolean isSet(int flags) {
        return (flags & bit) != 0;
    }

    /**
     * Formats flags as tcpdump-like names joined by '|', e.g. {@code "SYN|ACK"}; "none" when no flag is set.
     *
     * @param flags the flags int
     * @return the names of the set flags
     */
    public static String toString(int flags) {
        StringBuilder text = new StringBuilder();
        for (TcpFlag flag : VALUES) {
            if (flag.isSet(flags)) {
                if (text.length() > 0) {
                    text.append('|');
                }
                text.append(flag.name());
            }
        }
        return text.length() == 0 ? "none" : text.toString();
    }
}
