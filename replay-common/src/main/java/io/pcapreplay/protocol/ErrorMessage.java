package io.pcapreplay.protocol;

/**
 * Agent to replayer: a request failed; the connection stays open (type 0x22).
 * <pre>
 * +--------+--------+--------+--------+--------+--------+--------+--------------+
 * |      request id (uint32, 0: none)  |  code  | text length     | text (UTF-8) |
 * +--------+--------+--------+--------+--------+--------+--------+--------------+
 * </pre>
 *
 * @param requestId the id of the failed REGISTER/UNREGISTER, or 0
 * @param code what failed
 * @param text details for a person (at most 1024 UTF-8 bytes)
 */
public record ErrorMessage(long requestId, ErrorCode code, String text) implements AgentMessage {

    /** Validates the fields. */
    public ErrorMessage {
        Limits.range("request id", requestId, 0, 0xFFFF_FFFFL);
        if (code == null) {
            throw new IllegalArgumentException("error code: null (expected: an ErrorCode)");
        }
        Limits.text("error text", text, AgentProtocol.MAX_TEXT_BYTES);
    }

    @Override
    public MessageType type() {
        return MessageType.ERROR;
    }
}
