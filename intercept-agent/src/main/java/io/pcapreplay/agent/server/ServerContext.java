package io.pcapreplay.agent.server;

import io.pcapreplay.agent.router.Router;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/** What every replayer connection shares: settings, routing, the accepted sessions, limits, counters, the log. */
final class ServerContext {

    final ServerSettings settings;
    final Router<ReplayerSession> router;
    final AgentCounters counters;
    final Set<ReplayerSession> sessions = ConcurrentHashMap.newKeySet();
    final HandshakeLimiter handshakes;
    final RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(ReplayerHandler.class));
    /** Bytes queued for all replayers together (bounded by {@link ServerSettings#queueTotalBytes()}). */
    final AtomicLong queuedBytes = new AtomicLong();
    /** The capture devices' kernel drops so far (-1 unknown), for the first STATS of each replayer. */
    volatile java.util.function.LongSupplier kernelDrops = () -> -1;

    ServerContext(ServerSettings settings, Router<ReplayerSession> router, AgentCounters counters) {
        this.settings = settings;
        this.router = router;
        this.counters = counters;
        this.handshakes = new HandshakeLimiter(settings.maxHandshakes(), settings.maxHandshakesPerAddress());
    }
}
