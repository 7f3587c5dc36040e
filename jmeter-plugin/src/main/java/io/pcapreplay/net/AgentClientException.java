package io.pcapreplay.net;

import java.io.IOException;

/** Talking to the intercept agent failed; {@link #kind()} says how. */
public final class AgentClientException extends IOException {

    private static final long serialVersionUID = 1L;

    /** How it failed. */
    public enum Kind {
        /** No TCP connection could be made (host down, port closed, timeout). */
        UNREACHABLE,
        /** The agent refused the handshake (bad token, bad version, ...). */
        REFUSED,
        /** The agent speaks another protocol version. */
        VERSION_MISMATCH,
        /** The peer is no agent or sent a malformed frame. */
        PROTOCOL,
        /** The agent did not answer in time. */
        TIMEOUT,
        /** The agent refused a REGISTER/UNREGISTER. */
        REQUEST_FAILED,
        /** The connection is closed. */
        CLOSED
    }

    private final Kind kind;

    /**
     * @param kind how it failed
     * @param message what failed and what to do
     * @param cause the underlying failure, or null
     */
    public AgentClientException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** @return how it failed */
    public Kind kind() {
        return kind;
    }
}
