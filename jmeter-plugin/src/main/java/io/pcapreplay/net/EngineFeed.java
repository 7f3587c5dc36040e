package io.pcapreplay.net;

import io.pcapreplay.protocol.CapturedPacket;
import io.pcapreplay.tcp.ReplayEngine;
import java.util.List;

/**
 * Feeds what the agent captured to a replay engine, each packet with its capture timestamp (the engine, started with
 * the {@link AgentClock} as its wire clock, maps it onto its own clock, or times the packet when it takes it while
 * the offset estimate is not trusted); the loss of the agent connection ends every open exchange with AGENT_LOST,
 * unless the replayer is stopping anyway.
 */
public final class EngineFeed implements AgentListener {

    private final ReplayEngine engine;
    private final AgentClock clock;
    private volatile boolean stopping;

    /**
     * @param engine where the packets go, started with {@code clock} as its wire clock
     * @param clock the agent clock
     */
    public EngineFeed(ReplayEngine engine, AgentClock clock) {
        this.engine = engine;
        this.clock = clock;
    }

    @Override
    public void onPackets(List<CapturedPacket> packets) {
        for (CapturedPacket packet : packets) {
            byte[] data = packet.data();
            engine.deliver(data, 0, data.length, packet.timestampNanos());
        }
    }

    @Override
    public void onClosed(String reason) {
        if (!stopping) {
            engine.agentLost(reason);
        }
    }

    /** @return the agent clock (the engine's wire clock) */
    public AgentClock clock() {
        return clock;
    }

    /** The replayer is stopping: closing the agent connection is not a loss. */
    public void stopping() {
        stopping = true;
    }
}
