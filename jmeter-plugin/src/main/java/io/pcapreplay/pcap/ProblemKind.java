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
    /** The file ends within a record (truncated file): the sessions read before are kept. */
    READ_ERROR,
    /** Segments ignored because their session was left out while still open ({@link LeftOutReason#WINDOW_FULL}). */
    LEFT_OUT
}
