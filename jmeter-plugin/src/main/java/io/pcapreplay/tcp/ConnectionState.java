package io.pcapreplay.tcp;

/** Where a replayed connection is. */
enum ConnectionState {
    /** Waiting for pacing (start rate, half-open cap). */
    PENDING,
    /** SYN sent, waiting for the SYN-ACK. */
    SYN_SENT,
    /** Established, waiting out the think time before the next request. */
    THINKING,
    /** Sending a request and waiting for its response. */
    EXCHANGING,
    /** Every exchange is done; waiting for the server's close (recorded server close, or comet mode). */
    HOLDING,
    /** Our FIN is sent; waiting for its ACK and the server's FIN. */
    CLOSING,
    /** Finished; no longer in the table. */
    CLOSED
}
