package io.pcapreplay.protocol;

/**
 * Agent to replayer: counters since the agent started (agent-wide) and since this replayer connected (type 0x21).
 * <pre>
 * +--------+--------+--------+--------+--------+--------+--------+--------+
 * |                 captured, agent-wide (uint64)                         |
 * |                 routed, agent-wide (uint64)                           |
 * |                 unrouted, agent-wide (uint64)                         |
 * |                 delivered to this replayer (uint64)                   |
 * |                 dropped for this replayer (uint64)                    |
 * |                 bytes delivered to this replayer (uint64)             |
 * |                 kernel drops, agent-wide (int64, -1 unknown)          |
 * +--------+--------+--------+--------+--------+--------+--------+--------+
 * </pre>
 * The kernel drops (since version 2) are packets the capture devices' kernel buffers had no room for: lost before
 * the agent saw them, so the replayer can tell "agent dropped N packets" from a silent target.
 *
 * @param captured packets the agent captured
 * @param routed packets the agent matched to a replayer
 * @param unrouted packets no replayer registered
 * @param delivered packets queued towards this replayer and written
 * @param dropped packets for this replayer dropped because its queue was full
 * @param bytes IP bytes delivered to this replayer
 * @param kernelDrops packets the kernel dropped on the agent's capture devices, -1 when unknown
 */
public record StatsMessage(long captured, long routed, long unrouted, long delivered, long dropped, long bytes,
        long kernelDrops) implements AgentMessage {

    @Override
    public MessageType type() {
        return MessageType.STATS;
    }
}
