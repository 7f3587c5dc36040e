package io.pcapreplay.agent.server;

import io.pcapreplay.agent.capture.PacketSink;
import io.pcapreplay.agent.router.Router;
import java.util.ArrayList;
import java.util.List;

/**
 * Capture-thread side: counts each packet and queues it for the replayer owning its destination address; at the
 * end of each capture batch wakes the replayers that got packets. One per capture thread (not thread-safe).
 */
public final class PacketDispatcher implements PacketSink {

    private final Router<ReplayerSession> router;
    private final AgentCounters counters;
    private final List<ReplayerSession> touched = new ArrayList<>();

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
        if (!touched.contains(session)) {
            touched.add(session);
        }
    }

    @Override
    public void endOfBatch() {
        for (int i = 0; i < touched.size(); i++) {
            touched.get(i).wake();
        }
        touched.clear();
    }
}
