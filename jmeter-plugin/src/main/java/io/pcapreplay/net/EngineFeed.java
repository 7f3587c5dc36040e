package io.pcapreplay.net;

import io.pcapreplay.protocol.CapturedPacket;
import io.pcapreplay.tcp.ReplayEngine;
import java.util.List;

/**
 * Feeds what the agent captured to a replay engine, each packet with its capture timestamp (the engine, started with
 * the {@link AgentClock} as its wire clock, maps it onto its own clock, or times the packet when it takes it while
 * the offset estimate is not trusted). The loss of the agent is the {@link AgentLink}'s to handle.
 */
public final class EngineFeed implements AgentListener {

    private final ReplayEngine engine;
    private final AgentClock clock;

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

    /** @return the agent clock (the engine's wire clock) */
    public AgentClock clock() {
        return clock;
    }
}
