package io.pcapreplay.pcap;

/** Kinds of problems found in a capture or in a session. */
public enum ProblemKind {
    /** Bytes missing from a stream: segments lost in the capture (or dropped by the out-of-order buffer limit). */
    GAP,
    /** Frames cut by the capture's snaplen (captured length &lt; wire length): payload bytes not captured. */
    TRUNCATED,
    /** No SYN from the client was captured: a replay synthesizes the handshake. */
    NO_SYN,
    /** Neither FIN nor RST was captured: the capture ended first. */
    NO_CLOSE,
    /** Frames whose IP/TCP headers are malformed (skipped). */
    MALFORMED,
    /** Frames of a pcapng interface whose link type is not supported (skipped). */
    UNSUPPORTED_LINK_TYPE,
    /** libpcap stopped reading before the end of the file (truncated file, interface with another link type). */
    READ_ERROR
}
