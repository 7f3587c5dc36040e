package io.pcapreplay.tcp;

import io.pcapreplay.pcap.CloseKind;
import io.pcapreplay.pcap.Endpoint;
import io.pcapreplay.pcap.HandshakeOptions;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.pcap.SessionClose;
import io.pcapreplay.pcap.Side;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** A manual-clock engine wired to a {@link SimulatedServer}; results collected by a listener. */
final class EngineHarness {

    static final int SERVER_ADDRESS = 0xC613_0002; // 198.19.0.2, a lab link address
    static final int SERVER_PORT = 80;
    static final long MS = 1_000_000L;

    /** A clock the test moves. */
    static final class ManualClock implements NanoClock {
        long now = 1_000 * MS;

        @Override
        public long nanoTime() {
            return now;
        }
    }

    final ManualClock clock = new ManualClock();
    final List<ExchangeResult> results = new ArrayList<>();
    final List<Long> resultTimes = new ArrayList<>();
    final List<String> ends = new ArrayList<>();
    final RecordedSession session;
    final SimulatedServer server;
    final ReplayEngine engine;
    final ExchangeListener listener = new ExchangeListener() {
        @Override
        public void onResult(ExchangeResult result) {
            results.add(result);
            resultTimes.add(clock.now);
        }

        @Override
        public void onSessionEnd(long sessionId, String reason) {
            ends.add(reason);
        }
    };

    EngineHarness(RecordedSession session, Consumer<EngineConfig.Builder> configure) {
        this(session, configure, WireClock.ENGINE);
    }

    EngineHarness(RecordedSession session, Consumer<EngineConfig.Builder> configure, WireClock wireClock) {
        this(session, ClientAddresses.of(pool()), configure, wireClock);
    }

    EngineHarness(RecordedSession session, ClientAddresses clients, Consumer<EngineConfig.Builder> configure,
            WireClock wireClock) {
        this(session, clients, configure, wireClock, false);
    }

    /** With {@code batches}, the simulated server takes batches (as sendmmsg): the engine gathers untimed segments. */
    EngineHarness(RecordedSession session, ClientAddresses clients, Consumer<EngineConfig.Builder> configure,
            WireClock wireClock, boolean batches) {
        this.session = session;
        this.server = new SimulatedServer(session, SERVER_ADDRESS, SERVER_PORT);
        server.clock = clock;
        server.takesBatches = batches;
        EngineConfig.Builder builder = EngineConfig.builder(clients).randomSeed(42);
        configure.accept(builder);
        this.engine = ReplayEngine.manual(builder.build(), server, clock, wireClock);
        server.engine = engine;
    }

    /**
     * Starts {@code count} sessions on a manual engine and runs it until each gave a result (at most 100,000 rounds
     * of 1 ms), then 100 rounds more so that delayed ACKs go out.
     */
    static void openSessions(ReplayEngine engine, ManualClock clock, RecordedSession session,
                             ExchangeListener listener, int count) {
        long target = engine.stats().results() + count;
        for (int index = 0; index < count; index++) {
            engine.startSession(session, listener);
        }
        for (int round = 0; round < 100_000 && engine.stats().results() < target; round++) {
            engine.runOnce(clock.now);
            clock.now += MS;
        }
        for (int round = 0; round < 100; round++) {
            engine.runOnce(clock.now);
            clock.now += MS;
        }
    }

    static ClientAddressPool pool() {
        return ClientAddressPool.parse("198.18.0.0/16", List.of(), AddressAllocation.IP_FIRST, 7);
    }

    SessionHandle start() {
        return engine.startSession(session, listener);
    }

    /** Runs the loop until idle at the current time, then moves time on, for {@code millis} ms in 1 ms steps. */
    void run(long millis) {
        run(millis, 1);
    }

    void run(long millis, long stepMillis) {
        for (long elapsed = 0; elapsed < millis; elapsed += stepMillis) {
            settle();
            clock.now += stepMillis * MS;
            server.tick(clock.now);
        }
        settle();
    }

    void settle() {
        for (int round = 0; round < 1_000 && engine.runOnce(clock.now) > 0; round++) {
            // until idle
        }
    }

    void runUntil(BooleanSupplier done, long maxMillis) {
        for (long elapsed = 0; elapsed < maxMillis && !done.getAsBoolean(); elapsed++) {
            run(1);
        }
    }

    static byte[] text(String value) {
        return value.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] filled(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int index = 0; index < length; index++) {
            bytes[index] = (byte) (index * 31 + seed);
        }
        return bytes;
    }

    static RecordedSession.Builder builder() {
        try {
            return RecordedSession.builder(new Endpoint(InetAddress.getByName("198.18.200.1"), 40_000),
                    new Endpoint(InetAddress.getByName("198.19.0.2"), SERVER_PORT))
                .handshake(new HandshakeOptions(1460, 7, true, true, 64_240),
                    new HandshakeOptions(1460, 7, true, true, 65_160))
                .close(new SessionClose(CloseKind.FIN, Side.CLIENT, 0));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A two-exchange HTTP-like session closed by the client's FIN. */
    static RecordedSession twoExchanges() {
        return builder()
            .exchange(text("GET /a HTTP/1.1\r\n\r\n"), text("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na"), 0)
            .exchange(text("GET /b HTTP/1.1\r\n\r\n"), text("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb"),
                5 * MS)
            .build();
    }
}
