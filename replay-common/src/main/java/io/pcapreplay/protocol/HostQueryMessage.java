package io.pcapreplay.protocol;

/**
 * Replayer to agent: report the settings of your host that decide whether interception works (type 0x14). The agent
 * answers {@link HostReportMessage} with the same request id. A pre-flight check (the plugin's {@code doctor})
 * asks it; a replay need not.
 * <pre>
 * +--------+--------+--------+--------+
 * |        request id (uint32)        |
 * +--------+--------+--------+--------+
 * </pre>
 *
 * @param requestId chosen by the replayer, echoed in the answer
 */
public record HostQueryMessage(long requestId) implements AgentMessage {

    /** Validates the id. */
    public HostQueryMessage {
        Limits.range("request id", requestId, 0, 0xFFFF_FFFFL);
    }

    @Override
    public MessageType type() {
        return MessageType.HOST_QUERY;
    }
}
