package io.pcapreplay.protocol;

/**
 * Agent to replayer: the handshake was refused; the agent closes the connection after it (type 0x03).
 * <pre>
 * +--------+--------+--------+----------------------+
 * | reason | text length     | text (UTF-8)         |
 * +--------+--------+--------+----------------------+
 * </pre>
 *
 * @param reason why
 * @param text details for a person (at most 1024 UTF-8 bytes)
 */
public record RejectMessage(ErrorCode reason, String text) implements AgentMessage {

    /** Validates the fields. */
    public RejectMessage {
        if (reason == null) {
            throw new IllegalArgumentException("reject reason: null (expected: an ErrorCode)");
        }
        Limits.text("reject text", text, AgentProtocol.MAX_TEXT_BYTES);
    }

    @Override
    public MessageType type() {
        return MessageType.REJECT;
    }
}
