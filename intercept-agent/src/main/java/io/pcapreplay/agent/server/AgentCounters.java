package io.pcapreplay.agent.server;

import java.util.concurrent.atomic.LongAdder;

/** Agent-wide packet counters, updated on the capture threads. */
public final class AgentCounters {

    final LongAdder captured = new LongAdder();
    final LongAdder routed = new LongAdder();
    final LongAdder unrouted = new LongAdder();

    /** @return IP packets captured */
    public long captured() {
        return captured.sum();
    }

    /** @return packets whose destination a replayer registered */
    public long routed() {
        return routed.sum();
    }

    /** @return packets no replayer registered (counted, not queued) */
    public long unrouted() {
        return unrouted.sum();
    }
}
