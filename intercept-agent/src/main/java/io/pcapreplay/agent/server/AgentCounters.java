package io.pcapreplay.agent.server;

import java.util.concurrent.atomic.LongAdder;

/** Agent-wide counters: packets (updated on the capture threads), connections and the relay delay. */
public final class AgentCounters {

    final LongAdder captured = new LongAdder();
    final LongAdder routed = new LongAdder();
    final LongAdder unrouted = new LongAdder();
    final LongAdder handshakesRefused = new LongAdder();
    final LongAdder handshakesEvicted = new LongAdder();
    final LongAdder handshakesFailed = new LongAdder();
    final LongAdder notReadingClosed = new LongAdder();
    final RelayDelay relayDelay = new RelayDelay();

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

    /** @return connections refused because their address had too many awaiting HELLO */
    public long handshakesRefused() {
        return handshakesRefused.sum();
    }

    /** @return connections awaiting HELLO closed to make room for a newer one */
    public long handshakesEvicted() {
        return handshakesEvicted.sum();
    }

    /** @return handshakes refused: bad version or token, malformed, timeout, limits */
    public long handshakesFailed() {
        return handshakesFailed.sum();
    }

    /** @return replayers closed because they did not read what the agent sent */
    public long notReadingClosed() {
        return notReadingClosed.sum();
    }

    /** @return capture-to-socket delays of every packet relayed */
    public RelayDelay relayDelay() {
        return relayDelay;
    }
}
