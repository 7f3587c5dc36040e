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
    AGENT_LOST
}
