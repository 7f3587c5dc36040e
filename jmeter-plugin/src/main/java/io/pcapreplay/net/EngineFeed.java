package io.pcapreplay.net;

import io.pcapreplay.protocol.CapturedPacket;
import io.pcapreplay.tcp.ReplayEngine;
import java.util.List;

/**
 * Feeds what the agent captured to a replay engine, each packet timed on the engine's clock by the agent clock's
 * mapping of its capture timestamp (or, without a trusted offset estimate, at the engine's own receive time); the
 * loss of the agent connection ends every open exchange with AGENT_LOST, unless the replayer is stopping anyway.
 */
public final class EngineFeed implements AgentListener {

    private final ReplayEngine engine;
    private final AgentClock clock;
    private volatile boolean stopping;

    /**
     * @param engine where the packets go
     * @param clock maps capture timestamps onto the engine's clock
     */
    public EngineFeed(ReplayEngine engine, AgentClock clock) {
        this.engine = engine;
        this.clock = clock;
    }

    @Override
    public void onPackets(List<CapturedPacket> packets) {
        for (CapturedPacket packet : packets) {
            byte[] data = packet.data();
            engine.deliver(data, 0, data.length, clock.toLocalNanos(packet.timestampNanos()));
        }
    }

    @Override
    public void onClosed(String reason) {
        if (!stopping) {
            engine.agentLost(reason);
        }
    }

    /** @return the clock that times the packets */
    public AgentClock clock() {
        return clock;
    }

    /** The replayer is stopping: closing the agent connection is not a loss. */
    public void stopping() {
        stopping = true;
    }
}
