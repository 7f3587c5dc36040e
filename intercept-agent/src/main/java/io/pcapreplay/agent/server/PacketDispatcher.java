package io.pcapreplay.agent.server;

import io.pcapreplay.agent.capture.PacketSink;
import io.pcapreplay.agent.router.Router;

/** Capture-thread side: counts each packet and hands it to the replayer owning its destination address. */
public final class PacketDispatcher implements PacketSink {

    private final Router<ReplayerSession> router;
    private final AgentCounters counters;

    /**
     * @param router destination address to replayer
     * @param counters agent-wide counters
     */
    public PacketDispatcher(Router<ReplayerSession> router, AgentCounters counters) {
        this.router = router;
        this.counters = counters;
    }

    @Override
    public void accept(long timestampNanos, byte[] frame, int ipOffset, int ipLength, int originalLength) {
        counters.captured.increment();
        ReplayerSession session = router.route(frame, ipOffset, ipLength);
        if (session == null) {
            counters.unrouted.increment();
            return;
        }
        counters.routed.increment();
        session.offer(AgentTime.capture(timestampNanos), frame, ipOffset, ipLength, originalLength);
    }
}
