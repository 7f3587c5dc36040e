package io.pcapreplay.protocol;

/**
 * Agent to replayer: the handshake succeeded (type 0x02).
 * <pre>
 * +--------+--------+--------+--------------------+--------+--------+--------+--------+
 * | version (uint16)| agent  | agent version      |        snaplen (uint32)           |
 * |                 | ver len| (UTF-8)            |                                   |
 * +--------+--------+--------+--------------------+--------+--------+--------+--------+
 * |     max ranges per replayer (uint32)  | max packets per batch |   heartbeat timeout (uint32, ms)  |
 * |                                       | (uint16)              |                                   |
 * +--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+
 * </pre>
 *
 * @param version the protocol version the agent will speak
 * @param agentVersion the agent's software version (at most 64 UTF-8 bytes)
 * @param snaplen the agent's capture snap length in bytes
 * @param maxRanges most ranges one replayer may hold
 * @param maxPacketsPerBatch most packets the agent puts in one CAPTURED frame
 * @param heartbeatTimeoutMillis the agent closes a replayer silent for this long
 */
public record AcceptMessage(int version, String agentVersion, long snaplen, long maxRanges, int maxPacketsPerBatch,
        long heartbeatTimeoutMillis) implements AgentMessage {

    /** Validates every field against the protocol limits. */
    public AcceptMessage {
        Limits.range("protocol version", version, 0, 0xFFFF);
        Limits.text("agent version", agentVersion, AgentProtocol.MAX_NAME_BYTES);
        Limits.range("snaplen", snaplen, 0, 0xFFFF_FFFFL);
        Limits.range("max ranges", maxRanges, 0, 0xFFFF_FFFFL);
        Limits.range("max packets per batch", maxPacketsPerBatch, 1, AgentProtocol.MAX_PACKETS_PER_BATCH);
        Limits.range("heartbeat timeout", heartbeatTimeoutMillis, 0, 0xFFFF_FFFFL);
    }

    @Override
    public MessageType type() {
        return MessageType.ACCEPT;
    }
}
