package io.pcapreplay.tcp;

import io.pcapreplay.packet.IpAddresses;
import io.pcapreplay.packet.IpTcpView;
import io.pcapreplay.packet.PacketProtocolException;
import io.pcapreplay.packet.TcpHeader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The engine's event loop body: commands from other threads, the target's packets from the inbound queue, timers,
 * and paced session starts, in that order, one {@link #runOnce(long)} at a time. Owns every connection; only the
 * loop thread (or, in manual mode, the test) calls it, except {@link #command(Runnable)} and {@link #inbound()}.
 */
final class EngineLoop {

    /** Timer wheel tick: 100 us, 16,384 buckets (1.6 s a turn). Timers fire when due, not on the tick. */
    private static final long TICK_NANOS = 100_000;
    private static final int WHEEL_BUCKETS = 16_384;
    /** How soon to retry starting sessions whose every endpoint tried was busy. */
    private static final long ENDPOINT_RETRY_NANOS = 1_000_000;
    /**
     * Paced starts missed by a late wake or a long round are made up, up to this much of the schedule: the loop parks
     * for a start (a park wakes 50-100 µs late) instead of spinning the core the target needs, and a round that reads
     * a large batch of packets takes milliseconds. Beyond it (a GC pause, a loop that cannot keep up with the rate)
     * the schedule is pushed back and the slip counted ({@link EngineStats#startSlipNanos()}).
     */
    static final long START_CATCH_UP_NANOS = ReplayEngine.START_CATCH_UP_MILLIS * 1_000_000;
    /**
     * The most paced starts in one round: the starts a late loop makes up go out between its reads of the target's
     * packets, not as one burst of SYNs that holds up the sessions already running. (Without a start rate the start
     * window bounds them; capping its rounds too cost a tenth of the throughput, docs/benchmarks.md.)
     */
    static final int PACED_STARTS_PER_ROUND = 64;

    private final EngineConfig config;
    private final ConnectionTable<Connection> table;
    private final TimerWheel wheel;
    private final ArrayDeque<Connection> pending = new ArrayDeque<>();
    private final InboundQueue inbound;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final IpTcpView view = new IpTcpView();
    private final EngineCounters counters = new EngineCounters();
    private volatile RuntimeException firstLoopError;
    private final SegmentWriter writer;
    private final Handshake handshake;
    private final TcpSender sender;
    private final TcpReceiver receiver;
    private final ExchangeTracker tracker;
    private final SplittableRandom random;
    private final EndpointAssignment endpoints;
    private final long startIntervalNanos;
    /** The automatic start pacing (no start rate set), or null. */
    private final StartWindow startWindow;
    private final TimerWheel.Expiry expiry = this::onTimer;
    private final AgentAbsence agentAbsence;
    private long nextStartAt;
    private boolean startsBlocked;
    private boolean stopped;
    private long roundNanos;
    private final WireClock wireClock;
    private long packetNanos = -1;
    private long packetClockNanos = -1;
    private boolean wakePrecise;
    /** How long ago the newest packet the last round read was on the wire (0: it read none): how far behind. */
    private long inputLagNanos;

    EngineLoop(EngineConfig config, PacketSender packetSender, NanoClock clock, WireClock wireClock) {
        long now = clock.nanoTime();
        this.config = config;
        this.wireClock = wireClock;
        this.table = new ConnectionTable<>(config.expectedSessions());
        this.wheel = new TimerWheel(TICK_NANOS, WHEEL_BUCKETS, now);
        this.inbound = new InboundQueue(config.inboundQueueCapacity());
        this.random = new SplittableRandom(config.randomSeed());
        this.endpoints = new EndpointAssignment(config, table);
        this.writer = new SegmentWriter(packetSender, clock, config.receiveWindow(), random.nextInt());
        this.handshake = new Handshake(this, config, writer);
        this.sender = new TcpSender(this, config, writer);
        this.receiver = new TcpReceiver(this, config, writer);
        this.tracker = new ExchangeTracker(this, config, writer);
        this.startIntervalNanos = config.startRate() > 0 ? (long) (1e9 / config.startRate()) : 0;
        this.startWindow = config.startRate() == 0 && config.adaptiveStarts()
            ? new StartWindow(config.maxHalfOpen()) : null;
        this.nextStartAt = now;
        this.agentAbsence = new AgentAbsence(config.connectTimeout());
    }

    /** Runs one round; returns how much work it found (0: the loop may sleep). */
    int runOnce(long now) {
        try {
            return round(now);
        } finally {
            writer.flush(); // the round's gathered ACKs, FINs and RSTs
        }
    }

    private int round(long now) {
        int work = 0;
        roundNanos = now;
        for (Runnable command = commands.poll(); command != null; command = commands.poll()) {
            command.run();
            work++;
        }
        InboundQueue.Batch batch = inbound.take();
        long newestWire = -1;
        try {
            for (int index = 0; index < batch.size; index++) {
                packetClockNanos = batch.wireNanos[index];
                long wire = packetClockNanos < 0 ? -1 : wireClock.toEngineNanos(packetClockNanos);
                packetNanos = wire < 0 || wire > now ? now : wire;
                newestWire = wire < 0 ? newestWire : Math.max(newestWire, packetNanos);
                onPacket(batch.packets[index], batch.lengths[index], now);
            }
            work += batch.size;
            counters.packetsReceived += batch.size;
        } finally {
            packetNanos = -1;
            packetClockNanos = -1;
            inbound.release(batch); // else the batch comes back with its packets: processed twice, later ones never
        }
        inputLagNanos = newestWire < 0 ? 0 : now - newestWire;
        work += wheel.advance(now, expiry);
        work += startPending(now);
        return work;
    }

    void command(Runnable command) {
        commands.add(command);
    }

    /** Tells whether commands or packets wait (any thread): whether the loop has input. */
    boolean hasInput() {
        return inbound.hasPackets() || !commands.isEmpty();
    }

    /**
     * When the loop, idle at {@code now}, should run again at the latest: the earliest timer deadline or paced
     * start, or {@code horizon}. {@link #wakePrecise()} then tells whether that deadline must be met closely.
     */
    long nextWake(long now, long horizon) {
        long wake = wheel.nextDeadline(horizon);
        TimerWheel.Node node = wheel.earliestNode();
        // a think time is met closely; a causal gate's next ask (every 250 us) is not worth spinning for
        wakePrecise = node != null && wake < horizon && ((Connection) node).state == ConnectionState.THINKING
            && !((Connection) node).heldByGate;
        if (agentAbsence.away() && !pending.isEmpty()) {
            long expiry = agentAbsence.deadline(pending.peek().startNanos);
            if (expiry < wake) {
                wake = expiry;
                wakePrecise = false;
            }
        } else if (!pending.isEmpty() && counters.halfOpen < halfOpenLimit()) {
            long start = startsBlocked ? now + ENDPOINT_RETRY_NANOS : nextStartAt;
            if (start < wake) {
                wake = start;
                wakePrecise = false; // a late wake starts the missed ones at once: the rate holds on average
            }
        }
        return wake;
    }

    /** Whether the last {@link #nextWake} answer is a think time (met by spinning its last µs). */
    boolean wakePrecise() {
        return wakePrecise;
    }

    /**
     * The time of the event being handled: when the packet being processed was on the wire (its capture time on
     * the engine clock, at most {@code now}), else {@code now}.
     */
    long eventNanos(long now) {
        return packetNanos >= 0 ? packetNanos : now;
    }

    /** A SYN-ACK answering the connection's SYN is being processed: tells the wire clock (causality). */
    void answered(Connection connection) {
        if (packetClockNanos >= 0) {
            wireClock.answered(connection.startNanos, packetClockNanos);
        }
    }

    InboundQueue inbound() {
        return inbound;
    }

    /** Queues a new session for a paced start; until it starts, its start time is when it was queued. */
    void enqueue(Connection connection) {
        if (stopped) {
            connection.state = ConnectionState.CLOSED;
            connection.handle.finish("engine stopped before the session started");
            return;
        }
        counters.open++;
        connection.startNanos = roundNanos;
        pending.add(connection);
    }

    private void onPacket(byte[] packet, int length, long now) {
        try {
            view.wrap(packet, 0, length);
        } catch (PacketProtocolException e) {
            counters.malformedPackets++;
            return;
        }
        Connection connection = view.isTcp() ? find() : null;
        if (connection == null) {
            counters.ignoredPackets++;
            return;
        }
        try {
            if (connection.state == ConnectionState.SYN_SENT) {
                handshake.onSegment(connection, view, now);
            } else {
                receiver.onSegment(connection, view, now);
            }
        } catch (RuntimeException e) {
            loopError(e); // one connection's bug must not cost the batch's other packets
        }
        reschedule(connection);
    }

    /** Returns the connection the decoded TCP packet belongs to (addresses and ports checked), or null. */
    private Connection find() {
        int port = view.destinationPort();
        if (view.version() == 4) {
            long key = ConnectionTable.ipv4Key(view.destinationV4(), port);
            Connection connection = key != 0 ? table.get(key) : null;
            return connection != null && connection.ipv6 == null && view.sourceV4() == connection.serverAddress
                && view.sourcePort() == connection.serverPort ? connection : null;
        }
        long high = view.destinationHigh();
        long low = view.destinationLow();
        Connection connection = table.get(Ipv6Endpoints.key(high, low, port));
        if (connection == null || connection.ipv6 == null) {
            return null;
        }
        Ipv6Endpoints ipv6 = connection.ipv6;
        boolean same = ipv6.clientHigh == high && ipv6.clientLow == low && connection.clientPort == port
            && ipv6.serverHigh == view.sourceHigh() && ipv6.serverLow == view.sourceLow()
            && connection.serverPort == view.sourcePort();
        return same ? connection : null;
    }

    private void onTimer(TimerWheel.Node node, long now) {
        Connection connection = (Connection) node;
        if (connection.ackAt <= now) {
            writer.control(connection, TcpHeader.ACK, connection.sendNext, now);
        }
        if (connection.retransmitAt <= now && inputLagNanos > 0 && !connection.retransmitDeferred) {
            // the packets this round read were on the wire that long ago: the answer may be among those not read
            // yet; retransmitting now would be spurious (and, for a SYN, halve the start window)
            connection.retransmitDeferred = true;
            connection.retransmitAt = now + inputLagNanos;
            counters.deferredRetransmissions++;
            if (connection.state == ConnectionState.SYN_SENT) {
                synLost(now); // still overload (ours): the start window halves, at most once a second
            }
        } else if (connection.retransmitAt <= now) {
            connection.retransmitAt = Connection.NONE;
            connection.retransmitDeferred = false;
            if (connection.state == ConnectionState.SYN_SENT) {
                handshake.onSynTimer(connection, now);
            } else {
                sender.onRetransmitTimer(connection, now);
            }
        }
        if (connection.state != ConnectionState.CLOSED && connection.phaseAt <= now) {
            connection.phaseAt = Connection.NONE;
            tracker.onPhaseTimer(connection, now);
        }
        reschedule(connection);
    }

    private void reschedule(Connection connection) {
        if (connection.state == ConnectionState.CLOSED) {
            return;
        }
        long deadline = connection.nextDeadline();
        if (deadline == Connection.NONE) {
            wheel.cancel(connection);
        } else if (connection.timerDeadline() != deadline) {
            wheel.schedule(connection, deadline);
        }
    }

    private int startPending(long now) {
        if (agentAbsence.away()) {
            return endWaiting(now);
        }
        int started = 0;
        startsBlocked = false;
        int limit = halfOpenLimit();
        while (!pending.isEmpty() && counters.halfOpen < limit) {
            if (startIntervalNanos > 0) {
                if (now < nextStartAt || started == PACED_STARTS_PER_ROUND) {
                    break;
                }
                long catchUp = Math.max(START_CATCH_UP_NANOS, startIntervalNanos);
                long late = now - nextStartAt;
                if (late > catchUp) {
                    counters.startSlipNanos += late - catchUp;
                    nextStartAt = now - catchUp;
                }
                nextStartAt += startIntervalNanos;
            }
            Connection connection = pending.peek();
            if (!endpoints.assign(connection)) {
                startsBlocked = true;
                break; // every endpoint tried is busy: retry soon
            }
            pending.poll();
            connection.initialSequence = config.initialSequence() >= 0 ? (int) config.initialSequence()
                : random.nextInt();
            counters.halfOpen++;
            counters.started++;
            handshake.start(connection, now);
            reschedule(connection);
            started++;
        }
        return started;
    }

    /** Ends a session: out of the table and the wheel, handle finished. */
    void finish(Connection connection, String reason) {
        if (connection.state == ConnectionState.CLOSED) {
            return;
        }
        if (connection.state == ConnectionState.SYN_SENT) {
            counters.halfOpen--;
        }
        if (connection.state == ConnectionState.PENDING) {
            pending.remove(connection);
        } else {
            table.remove(connection.key);
        }
        wheel.cancel(connection);
        connection.state = ConnectionState.CLOSED;
        connection.capture = null;
        counters.open--;
        counters.completed++;
        connection.handle.finish(reason);
    }

    /** A connection got its SYN-ACK. */
    void leftHalfOpen(Connection connection) {
        counters.halfOpen--;
        if (startWindow != null) {
            startWindow.onAnswered();
        }
    }

    /** A SYN went unanswered (its retransmission timer fired). */
    void synLost(long now) {
        if (startWindow != null) {
            startWindow.onLost(now);
        }
    }

    /** The handshakes allowed in flight now: the start window's, else the configured cap. */
    private int halfOpenLimit() {
        return startWindow != null ? startWindow.limit() : config.maxHalfOpen();
    }

    /** Publishes a result to the session's listener or queue. */
    void publish(Connection connection, ExchangeResult result) {
        counters.results++;
        if (!connection.handle.publish(result)) {
            counters.listenerErrors++;
        }
    }

    /** Resets every open connection and ends every session; later sessions end at once. */
    void stopAll(long now) {
        stopped = true;
        for (Connection connection : openConnections()) {
            if (connection.state != ConnectionState.PENDING) {
                writer.control(connection, TcpHeader.RST, connection.sendNext, now);
            }
            finish(connection, "engine stopped; connection reset");
        }
        writer.flush();
    }

    /**
     * The agent is gone: every started session's current exchange fails with AGENT_LOST; sessions not started yet
     * (and new ones) wait for {@link #agentRestored()}, each at most the connect timeout, then end with AGENT_LOST.
     */
    void agentLost(String reason, long now) {
        String message = "agent lost: " + reason;
        for (Connection connection : openConnections()) {
            if (connection.state != ConnectionState.PENDING) {
                tracker.fail(connection, Outcome.AGENT_LOST, message, now);
            }
        }
        agentAbsence.lost(reason, now);
    }

    /** The agent is back: waiting sessions start (paced as usual). */
    void agentRestored() {
        agentAbsence.restored();
    }

    /** While the agent is away: ends the sessions that waited the connect timeout for it (the oldest first). */
    private int endWaiting(long now) {
        int ended = 0;
        for (Connection connection = pending.peek(); connection != null
                && agentAbsence.deadline(connection.startNanos) <= now; connection = pending.peek()) {
            String message = agentAbsence.gaveUpMessage();
            tracker.report(connection, Outcome.AGENT_LOST, message);
            finish(connection, message);
            ended++;
        }
        return ended;
    }

    private List<Connection> openConnections() {
        List<Connection> all = new ArrayList<>(table.size() + pending.size());
        table.forEachValue(all::add);
        all.addAll(pending);
        return all;
    }

    String describeServer(Connection connection) {
        Ipv6Endpoints ipv6 = connection.ipv6;
        return ipv6 == null ? IpAddresses.formatV4(connection.serverAddress) + ":" + connection.serverPort
            : "[" + IpAddresses.formatV6(ipv6.serverHigh, ipv6.serverLow) + "]:" + connection.serverPort;
    }

    TcpSender sender() {
        return sender;
    }

    ExchangeTracker tracker() {
        return tracker;
    }

    /** Counts an unexpected exception (a bug) and keeps the first, for the run's log. */
    void loopError(RuntimeException error) {
        counters.loopErrors++;
        if (firstLoopError == null) {
            firstLoopError = error;
        }
    }

    /** Returns the first unexpected exception caught by the loop, or null. */
    RuntimeException firstLoopError() {
        return firstLoopError;
    }

    EngineCounters counters() {
        return counters;
    }

    EngineStats stats() {
        EngineCounters c = counters;
        return new EngineStats(c.open, c.halfOpen, c.started, c.completed, c.results, c.retransmissions,
            c.fastRetransmissions, writer.packetsSent(), writer.sendCalls(), c.packetsReceived, inbound.drops(),
            c.ignoredPackets, c.malformedPackets, c.outOfOrder, c.listenerErrors, writer.sendErrors(), c.loopErrors,
            halfOpenLimit(), startWindow != null ? startWindow.lowest() : config.maxHalfOpen(),
            startWindow != null ? startWindow.backOffs() : 0, c.deferredRetransmissions, c.startSlipNanos,
            c.lateFirstRequests, c.firstRequestLateNanos, c.firstRequestLateMaxNanos);
    }
}
