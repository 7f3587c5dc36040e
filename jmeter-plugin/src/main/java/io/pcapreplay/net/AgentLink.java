package io.pcapreplay.net;

import io.pcapreplay.protocol.AddressRange;
import io.pcapreplay.protocol.CapturedPacket;
import io.pcapreplay.protocol.StatsMessage;
import io.pcapreplay.tcp.EngineStats;
import io.pcapreplay.tcp.ReplayEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replayer's lasting link to its intercept agent: one {@link AgentClient} at a time, connected again when the
 * agent goes away (killed, restarted, network failure), for as long as the replayer runs.
 *
 * <p>When the connection is lost, the engine is told ({@link ReplayEngine#agentLost}): the exchanges in flight end
 * with AGENT_LOST, and sessions started from then on wait for the agent, each up to the engine's connect timeout
 * (then they end with AGENT_LOST too: a load test keeps its pace through a short restart instead of failing every
 * session started meanwhile at once). The link retries with back-off ({@value #FIRST_RETRY_MILLIS} ms doubling up to
 * {@value #MAX_RETRY_MILLIS} ms, ±20 % jitter so that many replayers do not come back in step), each attempt bounded
 * by the client's connect and request timeouts. A reconnection shakes hands again, registers the same ranges, and
 * measures the clock offset anew (a burst of probes, at most {@value #CLOCK_WAIT_MILLIS} ms) before the engine
 * resumes starting sessions ({@link ReplayEngine#agentRestored}). The log has one line per change of state (lost,
 * back) and per new kind of failure while reconnecting, never one per attempt.
 *
 * <p>The agent's STATS go to {@link AgentDrops}: growing drops are logged at WARN ("agent dropped N packets"),
 * rate-limited, and {@link #close()} logs the run's summary. Thread-safe.
 */
public final class AgentLink implements AutoCloseable {

    /** Where the link stands. */
    public enum State {
        /** Connected, ranges registered. */
        CONNECTED,
        /** The connection was lost; trying again. */
        RECONNECTING,
        /** Closed by this replayer. */
        CLOSED
    }

    /**
     * Opens one connection to the agent: {@link AgentClient#connect(AgentClientConfig, AgentListener, AgentClock)}
     * by default; another where the socket must be opened elsewhere (e.g. on a thread in another network namespace).
     */
    @FunctionalInterface
    public interface Connector {
        /**
         * @param config where and who
         * @param listener takes what the agent streams on this connection
         * @param clock the wire clock the heartbeats feed
         * @return the connected client (handshake done)
         * @throws AgentClientException when the agent cannot be reached or refuses
         */
        AgentClient connect(AgentClientConfig config, AgentListener listener, AgentClock clock)
            throws AgentClientException;
    }

    /** Where the link's lines go (SLF4J by default; tests record them). */
    interface Log {
        void info(String line);

        void warn(String line);
    }

    static final long FIRST_RETRY_MILLIS = 100;
    static final long MAX_RETRY_MILLIS = 5_000;
    static final long CLOCK_WAIT_MILLIS = 3_000;

    private static final Logger LOG = LoggerFactory.getLogger(AgentLink.class);
    private static final Log SLF4J = new Log() {
        @Override
        public void info(String line) {
            LOG.info(line);
        }

        @Override
        public void warn(String line) {
            LOG.warn(line);
        }
    };

    private final AgentClientConfig config;
    private final Connector connector;
    private final List<AddressRange> ranges;
    private final AgentClock clock;
    private final AgentListener feed;
    private final ReplayEngine engine;
    private final Log log;
    private final AgentDrops drops;
    private final ScheduledExecutorService retries;
    private AgentClient client;
    private int current;
    private State state = State.RECONNECTING;
    private long lostAtNanos;
    private int attempts;
    private String lastFailure;
    private long reconnections;

    private AgentLink(AgentClientConfig config, Connector connector, List<AddressRange> ranges, AgentClock clock,
            AgentListener feed, ReplayEngine engine, Log log, Clock wallClock) {
        this.config = config;
        this.connector = connector;
        this.ranges = List.copyOf(ranges);
        this.clock = clock;
        this.feed = feed;
        this.engine = engine;
        this.log = log;
        this.drops = new AgentDrops(config.agent().toString(), wallClock);
        this.retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pcap-replay-agent-link");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Connects, registers the ranges and waits for the clock estimate (at most {@value #CLOCK_WAIT_MILLIS} ms; the
     * estimate is logged). A first connection that fails is a set-up failure: nothing is retried.
     *
     * @param config where and who
     * @param ranges the fake client ranges this replayer sends from
     * @param clock the engine's wire clock, fed by the heartbeats
     * @param feed takes the captured packets (e.g. an {@link EngineFeed})
     * @param engine told when the agent is lost and back
     * @return the connected link
     * @throws AgentClientException when the agent cannot be reached, refuses, or refuses the ranges
     */
    public static AgentLink open(AgentClientConfig config, List<AddressRange> ranges, AgentClock clock,
            AgentListener feed, ReplayEngine engine) throws AgentClientException {
        return open(config, AgentClient::connect, ranges, clock, feed, engine);
    }

    /**
     * As {@link #open(AgentClientConfig, List, AgentClock, AgentListener, ReplayEngine)}, every connection (the first
     * and each reconnection) opened by {@code connector}.
     *
     * @param config where and who
     * @param connector opens each connection
     * @param ranges the fake client ranges this replayer sends from
     * @param clock the engine's wire clock, fed by the heartbeats
     * @param feed takes the captured packets (e.g. an {@link EngineFeed})
     * @param engine told when the agent is lost and back
     * @return the connected link
     * @throws AgentClientException when the agent cannot be reached, refuses, or refuses the ranges
     */
    public static AgentLink open(AgentClientConfig config, Connector connector, List<AddressRange> ranges,
            AgentClock clock, AgentListener feed, ReplayEngine engine) throws AgentClientException {
        return open(config, connector, ranges, clock, feed, engine, SLF4J, Clock.systemDefaultZone());
    }

    static AgentLink open(AgentClientConfig config, Connector connector, List<AddressRange> ranges, AgentClock clock,
            AgentListener feed, ReplayEngine engine, Log log, Clock wallClock) throws AgentClientException {
        AgentLink link = new AgentLink(config, connector, ranges, clock, feed, engine, log, wallClock);
        try {
            link.connect();
        } catch (AgentClientException | RuntimeException e) {
            link.retries.shutdownNow();
            throw e;
        }
        String line = "agent " + config.agent() + ": " + clock.describe();
        if (clock.trusted()) {
            log.info(line);
        } else {
            log.warn(line);
        }
        return link;
    }

    /** One attempt: connect, register, measure the clock; on success the link is CONNECTED. */
    private void connect() throws AgentClientException {
        int number = drops.connected();
        clock.reset();
        AgentClient next = connector.connect(config, new Connection(number), clock);
        try {
            next.register(ranges);
            awaitClock();
        } catch (AgentClientException | RuntimeException e) {
            next.close();
            throw e;
        }
        synchronized (this) {
            if (state == State.CLOSED) {
                next.close();
                return;
            }
            client = next;
            current = number;
            state = State.CONNECTED;
        }
        if (!next.isConnected()) {
            lost(number, next.closeReason()); // it died before it became the current one
        }
    }

    private void awaitClock() throws AgentClientException {
        try {
            clock.awaitBurst(Duration.ofMillis(CLOCK_WAIT_MILLIS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentClientException(AgentClientException.Kind.CLOSED, "agent " + config.agent()
                + ": interrupted while estimating its clock offset", e);
        }
    }

    /** The connection {@code number} ended: unless it is an old one or the link is closing, reconnect. */
    private void lost(int number, String reason) {
        AgentClient gone;
        synchronized (this) {
            if (state != State.CONNECTED || number != current) {
                return;
            }
            state = State.RECONNECTING;
            gone = client;
            client = null;
            lostAtNanos = System.nanoTime();
            attempts = 0;
            lastFailure = null;
        }
        engine.agentLost(reason);
        log.warn("agent " + config.agent() + " lost: " + reason + "; the exchanges in flight end with AGENT_LOST; "
            + "reconnecting with back-off (at most every " + MAX_RETRY_MILLIS / 1000 + " s); sessions started "
            + "meanwhile wait for it up to the connect timeout (" + engine.config().connectTimeout().toMillis()
            + " ms), then end with AGENT_LOST");
        try {
            retries.execute(gone::close); // not on the client's own I/O thread, which calls this
        } catch (RejectedExecutionException e) {
            Thread closing = new Thread(gone::close, "pcap-replay-agent-close"); // closed meanwhile: no retry
            closing.setDaemon(true);
            closing.start();
            return;
        }
        schedule(FIRST_RETRY_MILLIS);
    }

    private void schedule(long delayMillis) {
        try {
            retries.schedule(this::attempt, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void attempt() {
        int attempt;
        synchronized (this) {
            if (state != State.RECONNECTING) {
                return;
            }
            attempt = ++attempts;
        }
        try {
            connect();
        } catch (AgentClientException | RuntimeException e) { // a RuntimeException too: the retries must go on
            String kind = e instanceof AgentClientException failure ? failure.kind().name() : e.getClass().getName();
            boolean changed;
            synchronized (this) {
                changed = !kind.equals(lastFailure);
                lastFailure = kind;
            }
            if (changed) {
                log.warn("agent " + config.agent() + ": reconnecting failed: " + e.getMessage() + " (still trying; "
                    + "logged again only when the failure changes)");
            }
            schedule(backoff(attempt));
            return;
        }
        long away;
        synchronized (this) {
            if (state != State.CONNECTED) {
                return;
            }
            reconnections++;
            away = System.nanoTime() - lostAtNanos;
        }
        engine.agentRestored();
        log.info("agent " + config.agent() + " back after " + String.format(Locale.ROOT, "%.1f", away / 1e9)
            + " s (" + attempt + " attempt(s)): " + ranges.size() + " range(s) registered again, " + clock.describe()
            + "; sessions start again");
    }

    /** Returns the pause before the attempt after {@code attempt}: doubling, capped, with ±20 % jitter. */
    static long backoff(int attempt) {
        long base = FIRST_RETRY_MILLIS << Math.min(attempt, 16);
        long capped = Math.min(MAX_RETRY_MILLIS, base);
        return (long) (capped * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
    }

    /** Returns where the link stands. */
    public synchronized State state() {
        return state;
    }

    /** Returns how many times the link reconnected after a loss. */
    public synchronized long reconnections() {
        return reconnections;
    }

    /** Returns the connected client, or null while reconnecting or closed. */
    public synchronized AgentClient client() {
        return client;
    }

    /** Returns the clock the heartbeats feed (the engine's wire clock). */
    public AgentClock clock() {
        return clock;
    }

    /** Returns the agent's kernel drops seen in this run (from its STATS). */
    public long kernelDrops() {
        return drops.kernelDrops();
    }

    /** Returns the agent's queue drops for this replayer in this run (from its STATS). */
    public long queueDrops() {
        return drops.queueDrops();
    }

    /**
     * Closes the connection (the agent frees the ranges), stops reconnecting, and logs the run's summary of drops
     * (WARN when the agent dropped packets, else INFO). Waits up to a few seconds.
     */
    @Override
    public void close() {
        AgentClient open;
        boolean wasReconnecting;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            wasReconnecting = state == State.RECONNECTING;
            state = State.CLOSED;
            open = client;
            client = null;
        }
        retries.shutdownNow();
        try {
            retries.awaitTermination(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (open != null) {
            open.close();
        }
        if (wasReconnecting) {
            log.warn("agent " + config.agent() + ": still away when the replayer stopped (" + attempts
                + " attempt(s) to reconnect)");
        }
        EngineStats stats = engine.stats();
        String summary = drops.summary("engine: " + stats.retransmissions() + " retransmission(s), "
            + stats.inboundDrops() + " packet(s) dropped by its inbound queue");
        if (drops.any() || stats.inboundDrops() > 0) {
            log.warn(summary);
        } else {
            log.info(summary);
        }
    }

    /** The listener of one connection, numbered: what an old connection reports is not taken for the current's. */
    private final class Connection implements AgentListener {
        private final int number;

        Connection(int number) {
            this.number = number;
        }

        @Override
        public void onPackets(List<CapturedPacket> packets) {
            feed.onPackets(packets);
        }

        @Override
        public void onStats(StatsMessage stats) {
            feed.onStats(stats);
            String warning = drops.onStats(number, stats);
            if (warning != null) {
                log.warn(warning);
            }
        }

        @Override
        public void onClosed(String reason) {
            lost(number, reason);
        }
    }
}
