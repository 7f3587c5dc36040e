package io.pcapreplay.tcp;

import io.pcapreplay.packet.IpAddresses;
import io.pcapreplay.pcap.Endpoint;
import io.pcapreplay.pcap.RecordedSession;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Replays recorded TCP sessions as many concurrent user-space TCP clients from fake addresses: one per JMeter
 * process, one event-loop thread for every session. Packets go out through a {@link PacketSender}; the target's
 * packets come back through {@link #deliver(byte[], int, int, long)} (any thread).
 *
 * <p>{@link #start(EngineConfig, PacketSender)} runs the loop on its own thread; {@link #manual} creates an engine
 * that the caller drives with {@link #runOnce(long)} (deterministic tests with a manual clock).
 *
 * <p>The loop never sleeps while there is work. Idle, it parks until the next timer deadline (or at most
 * {@value #MAX_PARK_MILLIS} ms) and is unparked at once by a delivered packet or a new session. A think time is met
 * closely: the loop parks until {@value #SPIN_MICROS} µs before it and spins (checking for packets) for the rest,
 * since a park wakes late by the kernel's timer slack and the scheduler (50 to 100 µs measured on Linux); the loop
 * thread asks for a 1 µs timer slack where the OS allows ({@link TimerSlack}). Paced starts are not spun for: the
 * starts a late wake or a long round missed go out in the next rounds, between reads of the target's packets (the
 * rate holds on average; spinning between starts 24 µs apart took 7 % of a 2-core box), up to
 * {@value #START_CATCH_UP_MILLIS} ms of the schedule; a loop further behind pushes the schedule back
 * ({@link EngineStats#startSlipNanos()}).
 */
public final class ReplayEngine implements SessionReplayer {

    /** A value of {@link #deliver}'s wire time: not known, time the packet when the loop takes it. */
    public static final long UNKNOWN_TIME = -1;
    /** How much of a start rate's schedule a late loop makes up: ms. */
    public static final long START_CATCH_UP_MILLIS = 50;
    static final long MAX_PARK_MILLIS = 50;
    static final long SPIN_MICROS = 60;
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(MAX_PARK_MILLIS);
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(SPIN_MICROS);

    private final EngineConfig config;
    private final NanoClock clock;
    private final EngineLoop loop;
    private final AtomicLong sessionIds = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean sleeping;

    private ReplayEngine(EngineConfig config, PacketSender sender, NanoClock clock, WireClock wireClock,
            boolean threaded) {
        this.config = Objects.requireNonNull(config, "config");
        if (config.clientAddresses() == null) {
            throw new IllegalArgumentException("engine config: no client pool (expected: the fake client addresses "
                + "the engine sends from; EngineConfig.builder(pool))");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.loop = new EngineLoop(config, Objects.requireNonNull(sender, "sender"), clock,
            Objects.requireNonNull(wireClock, "wire clock"));
        this.thread = threaded ? new Thread(this::run, "pcap-replay-engine") : null;
    }

    /**
     * Starts an engine on its own event-loop thread with the system clock.
     *
     * @param config the settings
     * @param sender where packets go
     * @return the running engine
     */
    public static ReplayEngine start(EngineConfig config, PacketSender sender) {
        return start(config, sender, WireClock.ENGINE);
    }

    /**
     * Starts an engine on its own event-loop thread with the system clock, whose delivered packet times are on
     * another clock (e.g. the agent's capture timestamps).
     *
     * @param config the settings
     * @param sender where packets go
     * @param wireClock maps delivered packet times onto the engine clock
     * @return the running engine
     */
    public static ReplayEngine start(EngineConfig config, PacketSender sender, WireClock wireClock) {
        ReplayEngine engine = new ReplayEngine(config, sender, NanoClock.SYSTEM, wireClock, true);
        engine.thread.setDaemon(true);
        engine.thread.start();
        return engine;
    }

    /**
     * Creates an engine without a thread: the caller drives it with {@link #runOnce(long)}.
     *
     * @param config the settings
     * @param sender where packets go
     * @param clock the time source (its value at creation starts the timer wheel)
     * @return the engine
     */
    public static ReplayEngine manual(EngineConfig config, PacketSender sender, NanoClock clock) {
        return manual(config, sender, clock, WireClock.ENGINE);
    }

    /**
     * Creates an engine without a thread whose delivered packet times are on another clock.
     *
     * @param config the settings
     * @param sender where packets go
     * @param clock the time source (its value at creation starts the timer wheel)
     * @param wireClock maps delivered packet times onto {@code clock}
     * @return the engine
     */
    public static ReplayEngine manual(EngineConfig config, PacketSender sender, NanoClock clock,
            WireClock wireClock) {
        return new ReplayEngine(config, sender, clock, wireClock, false);
    }

    /**
     * Frames replayed responses by their own protocol (HTTP), so that an exchange completes when the server's answer
     * is whole rather than when the recorded length arrived; null: by the recorded length and the quiet interval.
     * Set it before starting sessions.
     *
     * @param framing the framing, or null
     * @return this
     */
    @Override
    public ReplayEngine responseFraming(ResponseFraming framing) {
        loop.tracker().framing(framing);
        return this;
    }

    /**
     * Starts replaying a session; results go to the listener on the event loop.
     *
     * @param session the recording (shared, never copied)
     * @param listener receives each exchange's result and the session's end
     * @return the session's handle
     * @throws IllegalArgumentException when the client addresses have no range of the family of the server (the
     *     configured target, else the recorded one)
     */
    @Override
    public SessionHandle startSession(RecordedSession session, ExchangeListener listener) {
        return start(session, null, Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Starts replaying a session whose results a user thread takes with {@link SessionHandle#awaitNext(Duration)}.
     *
     * @param session the recording (shared, never copied)
     * @return the session's handle
     */
    @Override
    public SessionHandle startSession(RecordedSession session) {
        return start(session, null, null);
    }

    /**
     * Starts replaying a session against a target of its own (e.g. chosen by its recorded port), instead of the
     * configured one.
     *
     * @param session the recording (shared, never copied)
     * @param target the server to replay against; null: the configured target, else the recorded server
     * @param listener receives each exchange's result and the session's end; null: results are taken with
     *     {@link SessionHandle#awaitNext(Duration)}
     * @return the session's handle
     */
    @Override
    public SessionHandle startSession(RecordedSession session, InetSocketAddress target, ExchangeListener listener) {
        return start(session, target, listener);
    }

    /**
     * Starts replaying a session whose requests after the first wait for a pacer's slot (a requests-per-second
     * limit; the first request is paced by the caller, before the session starts).
     *
     * @param session the recording (shared, never copied)
     * @param target the server to replay against; null: the configured target, else the recorded server
     * @param listener receives each exchange's result and the session's end; null: use awaitNext
     * @param pacer the pacer, or null for none
     * @return the session's handle
     */
    @Override
    public SessionHandle startSession(RecordedSession session, InetSocketAddress target, ExchangeListener listener,
            RequestPacer pacer) {
        return start(session, target, listener, pacer, null);
    }

    @Override
    public SessionHandle startSession(RecordedSession session, InetSocketAddress target, ExchangeListener listener,
            RequestPacer pacer, ExchangeGate gate) {
        return start(session, target, listener, pacer, gate);
    }

    private SessionHandle start(RecordedSession session, InetSocketAddress target, ExchangeListener listener) {
        return start(session, target, listener, null, null);
    }

    private SessionHandle start(RecordedSession session, InetSocketAddress target, ExchangeListener listener,
            RequestPacer pacer, ExchangeGate gate) {
        Objects.requireNonNull(session, "session");
        if (session.exchangeCount() == 0) {
            throw new IllegalArgumentException("session " + session.client() + " -> " + session.server()
                + ": 0 exchanges (expected: at least 1)");
        }
        Endpoint recorded = session.server();
        InetAddress address = target != null ? target.getAddress()
            : config.target() != null ? config.target() : recorded.address();
        byte[] bytes = address.getAddress();
        boolean ipv6 = bytes.length == 16;
        int serverPort = target != null && target.getPort() != 0 ? target.getPort()
            : config.targetPort() != 0 ? config.targetPort() : recorded.port();
        if (!config.clientAddresses().has(ipv6)) {
            throw new IllegalArgumentException(config.clientAddresses().missingFamily(
                ClientAddresses.server(address, serverPort), ipv6));
        }
        byte[] client = config.clientAddresses().original() ? session.client().address().getAddress() : null;
        if (client != null && (client.length == 16) != ipv6) {
            throw new IllegalArgumentException("client address: original " + session.client() + " is IPv"
                + (client.length == 16 ? 6 : 4) + ", the server " + ClientAddresses.server(address, serverPort)
                + " IPv" + (ipv6 ? 6 : 4) + " (expected: a target of the recorded client's family, or fake client "
                + "addresses instead of '" + ClientAddresses.ORIGINAL + "')");
        }
        SessionHandle handle = new SessionHandle(sessionIds.incrementAndGet(), listener);
        handle.pacer(pacer);
        handle.gate(gate);
        Connection connection = new Connection(session, handle);
        if (ipv6) {
            connection.ipv6 = new Ipv6Endpoints(IpAddresses.readLong(bytes, 0), IpAddresses.readLong(bytes, 8));
            if (client != null) {
                connection.ipv6.clientHigh = IpAddresses.readLong(client, 0);
                connection.ipv6.clientLow = IpAddresses.readLong(client, 8);
            }
        } else {
            connection.serverAddress = IpAddresses.readInt(bytes, 0);
            if (client != null) {
                connection.clientAddress = IpAddresses.readInt(client, 0);
            }
        }
        connection.serverPort = serverPort;
        loop.command(() -> loop.enqueue(connection));
        wake();
        return handle;
    }

    /**
     * Hands one of the target's packets (from the agent) to the event loop; thread-safe, copies the bytes. When the
     * loop falls behind by the inbound queue's capacity the packet is dropped and counted.
     *
     * @param packet the buffer
     * @param offset the first byte of the IP header
     * @param length the packet length
     * @param wireNanos when the packet was on the wire, on the engine's {@link WireClock} (the agent's capture
     *     timestamp; the engine clock itself by default), or {@link #UNKNOWN_TIME}: the results are timed with it
     *     (see {@link ExchangeResult}); a time after the loop's current time is taken as that time
     */
    public void deliver(byte[] packet, int offset, int length, long wireNanos) {
        if (loop.inbound().offer(packet, offset, length, wireNanos) && sleeping) {
            wake();
        }
    }

    /**
     * Hands one of the target's packets to the event loop, timed when the loop takes it (no wire time known).
     *
     * @param packet the buffer
     * @param offset the first byte of the IP header
     * @param length the packet length
     */
    public void deliver(byte[] packet, int offset, int length) {
        deliver(packet, offset, length, UNKNOWN_TIME);
    }

    /**
     * Reports that the agent connection is gone: every started session's current exchange ends with
     * {@link Outcome#AGENT_LOST} and its connection is reset. Sessions not started yet, and those started from now
     * on, wait for {@link #agentRestored()}, each at most the connect timeout, then end with AGENT_LOST (their result
     * starts when they were started and ends when they gave up).
     *
     * @param reason what happened, for the results' message
     */
    public void agentLost(String reason) {
        loop.command(() -> loop.agentLost(reason, clock.nanoTime()));
        wake();
    }

    /** Reports that the agent is back (reconnected, ranges registered): the sessions waiting for it start. */
    public void agentRestored() {
        loop.command(loop::agentRestored);
        wake();
    }

    /**
     * Runs one round of the loop at {@code now} (manual engines only).
     *
     * @param now the clock's time
     * @return how much work was found; 0 means idle
     */
    public int runOnce(long now) {
        if (thread != null) {
            throw new IllegalStateException("runOnce: the engine runs its own thread (expected: a manual engine)");
        }
        return loop.runOnce(now);
    }

    /** Returns the settings the engine runs with. */
    public EngineConfig config() {
        return config;
    }

    /** Returns a snapshot of the counters: the stats. */
    public EngineStats stats() {
        return loop.stats();
    }

    /**
     * Returns the first unexpected exception the event loop caught (a bug: the loop counts it in
     * {@link EngineStats#loopErrors()} and goes on), or null.
     */
    public RuntimeException firstLoopError() {
        return loop.firstLoopError();
    }

    @Override
    public int openSessions() {
        return loop.stats().openSessions();
    }

    /**
     * Stops the engine: every open connection is reset (RST sent) and every session ends.
     *
     * @param timeout how long to wait for the loop thread
     * @return whether the engine stopped within the timeout
     */
    @Override
    public boolean stop(Duration timeout) {
        if (thread == null) {
            if (running) {
                running = false;
                loop.runOnce(clock.nanoTime());
                loop.stopAll(clock.nanoTime());
            }
            return true;
        }
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

    private void run() {
        TimerSlack.minimize();
        while (running) {
            long now = clock.nanoTime();
            int work;
            try {
                work = loop.runOnce(now);
            } catch (RuntimeException e) {
                loop.loopError(e); // a bug must not stop every session; the counter shows it, the log the first
                work = 1;
            }
            if (work == 0) {
                idle(now);
            }
        }
        loop.runOnce(clock.nanoTime());
        loop.stopAll(clock.nanoTime());
    }

    /** Nothing to do at {@code now}: park (or spin, just before a precise deadline) until work or the deadline. */
    private void idle(long now) {
        long wake = loop.nextWake(now, now + MAX_PARK_NANOS);
        boolean precise = loop.wakePrecise();
        sleeping = true; // then look for input once more: a producer that saw sleeping == false did not unpark
        try {
            if (loop.hasInput()) {
                return;
            }
            long left = wake - clock.nanoTime();
            long spin = precise ? SPIN_NANOS : 0;
            if (left > spin) {
                LockSupport.parkNanos(left - spin);
                return;
            }
            while (running && clock.nanoTime() < wake && !loop.hasInput()) {
                Thread.onSpinWait();
            }
        } finally {
            sleeping = false;
        }
    }

    private void wake() {
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }
}
