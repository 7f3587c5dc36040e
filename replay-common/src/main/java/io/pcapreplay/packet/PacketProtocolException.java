package io.pcapreplay.packet;

/**
 * A malformed or truncated IP/TCP header. Messages read {@code "<what>: <actual> (expected: <rule>)"}.
 */
public class PacketProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message {@code "<what>: <actual> (expected: <rule>)"}
     */
    public PacketProtocolException(String message) {
        super(message);
    }

    /**
     * Builds a message in the project's form.
     *
     * @param what the field or structure
     * @param actual the value found
     * @param rule what was expected
     * @return the exception
     */
    static PacketProtocolException of(String what, Object actual, String rule) {
        return new PacketProtocolException(what + ": " + actual + " (expected: " + rule + ")");
    }
}
