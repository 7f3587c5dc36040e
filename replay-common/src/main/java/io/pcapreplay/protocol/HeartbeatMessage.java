package io.pcapreplay.protocol;

/**
 * Both directions: "I am alive" (type 0x13). The agent answers each replayer heartbeat with one of its own.
 * <pre>
 * +--------+--------+--------+--------+--------+--------+--------+--------+
 * |              sender's clock, milliseconds (int64)                     |
 * +--------+--------+--------+--------+--------+--------+--------+--------+
 * </pre>
 *
 * @param timeMillis the sender's wall clock, for logs only
 */
public record HeartbeatMessage(long timeMillis) implements AgentMessage {

    @Override
    public MessageType type() {
        return MessageType.HEARTBEAT;
    }
}
