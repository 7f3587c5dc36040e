package io.pcapreplay.protocol;

/**
 * A frame of the agent protocol is malformed or breaks a limit. The connection that sent it cannot be trusted
 * any more and must be closed; other connections are unaffected.
 */
public final class AgentProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, as {@code "<what>: <actual> (expected: <rule>)"}
     */
    public AgentProtocolException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong
     * @param cause the underlying validation failure
     */
    public AgentProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
