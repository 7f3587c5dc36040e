package io.pcapreplay.pcap;

/**
 * What one side announced in its SYN (client) or SYN-ACK (server).
 *
 * @param mss the MSS option, or -1 when absent
 * @param windowScale the window scale shift, or -1 when absent
 * @param sackPermitted whether SACK-permitted was sent
 * @param timestamps whether the timestamps option was sent
 * @param window the window field of the SYN (never scaled), or -1 when no SYN was captured
 */
public record HandshakeOptions(int mss, int windowScale, boolean sackPermitted, boolean timestamps, int window) {

    /** No SYN captured from that side. */
    public static final HandshakeOptions ABSENT = new HandshakeOptions(-1, -1, false, false, -1);

    /**
     * Tells whether a SYN was captured.
     *
     * @return whether these are recorded options
     */
    public boolean isPresent() {
        return window >= 0;
    }
}
