package io.pcapreplay.pcap;

/**
 * The first FIN or RST of a connection, who sent it, and when (ns since the session start).
 *
 * @param kind FIN, RST or NONE
 * @param by the side that sent it, NONE when kind is NONE
 * @param offsetNanos when, relative to {@link RecordedSession#startNanos()}; 0 when kind is NONE
 */
public record SessionClose(CloseKind kind, Side by, long offsetNanos) {

    /** No close captured. */
    public static final SessionClose NONE = new SessionClose(CloseKind.NONE, Side.NONE, 0);

    @Override
    public String toString() {
        return kind == CloseKind.NONE ? "NONE" : kind + " by " + by;
    }
}
