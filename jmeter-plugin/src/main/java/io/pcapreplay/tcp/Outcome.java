package io.pcapreplay.tcp;

/** How one replayed exchange ended. */
public enum Outcome {
    /** The request was acknowledged and the response arrived (recorded length reached, or the stream went quiet). */
    OK,
    /** The server reset the connection during the exchange (or while the user was thinking before it). */
    RESET,
    /** The server answered the SYN with a RST. */
    REFUSED,
    /** No SYN-ACK, no response, or retransmissions exhausted; the message says which. */
    TIMEOUT,
    /** The server closed the connection before responding, or before this exchange could start. */
    CLOSED_EARLY,
    /** The intercept agent that feeds back the target's packets was lost. */
    AGENT_LOST,
    /**
     * The replayer's own host ran out of a resource before the server was asked (kernel sockets: no free ephemeral
     * port, EADDRNOTAVAIL/EADDRINUSE; no file descriptor, EMFILE/ENFILE; no socket buffers, ENOBUFS): a limit of the
     * load generator, not an answer of the server.
     */
    LOCAL_LIMIT
}
