package io.pcapreplay.protocol;

/**
 * Agent to replayer: the REGISTER or UNREGISTER with this id is in effect (type 0x12).
 * <pre>
 * +--------+--------+--------+--------+
 * |        request id (uint32)        |
 * +--------+--------+--------+--------+
 * </pre>
 *
 * @param requestId the request's id
 */
public record AckMessage(long requestId) implements AgentMessage {

    /** Validates the id. */
    public AckMessage {
        Limits.range("request id", requestId, 0, 0xFFFF_FFFFL);
    }

    @Override
    public MessageType type() {
        return MessageType.ACK;
    }
}
