package io.pcapreplay.net;

import java.io.IOException;
import java.util.Locale;

/**
 * How the engine's packets leave the replayer: {@code raw-ip} (a Linux raw IP socket; the kernel routes them) or
 * {@code datalink IFACE NEXT_HOP_MAC [SOURCE_MAC]} (libpcap frames with our Ethernet header, tcpburn's
 * {@code --pcap-send}; see {@link DatalinkSender}).
 *
 * @param datalink whether frames are sent through libpcap
 * @param interfaceName the datalink interface, or null
 * @param nextHopMac the next hop's MAC, or null
 * @param sourceMac the source MAC, or null for the interface's own
 */
public record TransportSpec(boolean datalink, String interfaceName, String nextHopMac, String sourceMac) {

    /** The raw IP socket. */
    public static final TransportSpec RAW_IP = new TransportSpec(false, null, null, null);
    /** The keyword of {@link #RAW_IP}. */
    public static final String RAW_IP_KEYWORD = "raw-ip";
    /** The keyword of datalink sending. */
    public static final String DATALINK_KEYWORD = "datalink";

    private static final String RULE = "raw-ip, or datalink IFACE NEXT_HOP_MAC [SOURCE_MAC], e.g. "
            + "'datalink eth0 02:00:00:00:00:01'";

    /**
     * Parses a transport; blank means raw IP.
     *
     * @throws IllegalArgumentException naming the value and the rule
     */
    public static TransportSpec parse(String text) {
        String[] words = text == null ? new String[0] : text.trim().split("\\s+");
        String keyword = words.length == 0 ? "" : words[0].toLowerCase(Locale.ROOT);
        if (keyword.isEmpty() || keyword.equals(RAW_IP_KEYWORD) && words.length == 1) {
            return RAW_IP;
        }
        if (!keyword.equals(DATALINK_KEYWORD) || words.length < 3 || words.length > 4) {
            throw new IllegalArgumentException("transport: '" + text + "' (expected: " + RULE + ")");
        }
        try {
            DatalinkSender.parseMac("next-hop MAC", words[2]);
            if (words.length == 4) {
                DatalinkSender.parseMac("source MAC", words[3]);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("transport: '" + text + "': " + e.getMessage(), e);
        }
        return new TransportSpec(true, words[1], words[2], words.length == 4 ? words[3] : null);
    }

    @Override
    public String toString() {
        return datalink ? DATALINK_KEYWORD + " " + interfaceName + " " + nextHopMac
                + (sourceMac == null ? "" : " " + sourceMac) : RAW_IP_KEYWORD;
    }
}
