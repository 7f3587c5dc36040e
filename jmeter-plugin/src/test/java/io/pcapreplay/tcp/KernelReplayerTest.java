package io.pcapreplay.tcp;

import static io.pcapreplay.tcp.EngineHarness.MS;
import static io.pcapreplay.tcp.EngineHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.pcap.CloseKind;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.pcap.SessionClose;
import io.pcapreplay.pcap.Side;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The kernel replayer against real TCP servers on loopback ({@link LoopbackServer}): results, outcomes, think time,
 * the close as recorded, local binding and its failures.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KernelReplayerTest {

    private static final String PAGE_A = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nalpha";
    private static final String PAGE_B = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbeta";

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    /** Collects one run's results and session ends. */
    static final class Collector implements ExchangeListener {
        final List<ExchangeResult> results = new CopyOnWriteArrayList<>();
        final List<String> ends = new CopyOnWriteArrayList<>();
        final CountDownLatch done;

        Collector(int sessions) {
            done = new CountDownLatch(sessions);
        }

        @Override
        public void onResult(ExchangeResult result) {
            results.add(result);
        }

        @Override
        public void onSessionEnd(long sessionId, String reason) {
            ends.add(reason);
            done.countDown();
        }

        Collector await() throws InterruptedException {
            assertThat(done.await(20, TimeUnit.SECONDS)).as("sessions ended; results so far " + results).isTrue();
            return this;
        }

        List<Outcome> outcomes() {
            return results.stream().map(ExchangeResult::outcome).toList();
        }
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private static RecordedSession session(SessionClose close, long thinkNanos) {
        return EngineHarness.builder().close(close)
            .exchange(text("GET /a HTTP/1.1\r\n\r\n"), text(PAGE_A), 0)
            .exchange(text("GET /b HTTP/1.1\r\n\r\n"), text(PAGE_B), thinkNanos)
            .build();
    }

    private static RecordedSession clientFin() {
        return session(new SessionClose(CloseKind.FIN, Side.CLIENT, 0), 0);
    }

    private LoopbackServer server(RecordedSession session, LoopbackServer.Behavior behavior) throws IOException {
        LoopbackServer server = LoopbackServer.start(session, behavior);
        resources.add(server);
        return server;
    }

    private KernelReplayer replayer(InetSocketAddress target, List<InetAddress> local,
            Consumer<EngineConfig.Builder> configure) throws IOException {
        EngineConfig.Builder builder = EngineConfig.builder().target(target.getAddress(), target.getPort())
            .connect(Duration.ofSeconds(5), 3).response(Duration.ofSeconds(5), Duration.ofMillis(200))
            .responseCaptureBytes(1_024);
        configure.accept(builder);
        KernelReplayer replayer = KernelReplayer.start(builder.build(), local, 1, warnings::add);
        resources.add(replayer);
        return replayer;
    }

    private static String response(ExchangeResult result) {
        return new String(result.response(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void shouldReplayEveryExchangeOkAndCloseWithFinWhenTheServerAnswersAsRecorded() throws Exception {
        RecordedSession session = clientFin();
        LoopbackServer server = server(session, LoopbackServer.Behavior.ANSWER);
        KernelReplayer replayer = replayer(server.address(), List.of(), builder -> { });

        Collector run = new Collector(1);
        replayer.startSession(session, run);
        run.await();

        assertThat(run.outcomes()).containsExactly(Outcome.OK, Outcome.OK);
        ExchangeResult first = run.results.get(0);
        assertThat(response(first)).isEqualTo(PAGE_A);
        assertThat(response(run.results.get(1))).isEqualTo(PAGE_B);
        assertThat(first.connectEndNanos()).isGreaterThanOrEqualTo(first.startNanos());
        assertThat(first.firstByteNanos()).isGreaterThanOrEqualTo(first.connectEndNanos());
        assertThat(first.lastByteNanos()).isGreaterThanOrEqualTo(first.firstByteNanos());
        assertThat(run.results.get(1).connectEndNanos()).as("connect time on the first exchange only").isEqualTo(-1);
        assertThat(first.bytesSent()).isEqualTo(session.exchange(0).requestLength());
        assertThat(first.bytesReceived()).isEqualTo(PAGE_A.length());
        assertThat(run.ends).containsExactly("closed");
        LoopbackServer.Accepted accepted = server.accepted().get(0);
        assertThat(accepted.awaitEnd(5_000)).isTrue();
        assertThat(accepted.end).as("the recorded close: a FIN").isEqualTo("FIN");
        assertThat(new String(accepted.bytes(), StandardCharsets.ISO_8859_1))
            .isEqualTo("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
        assertThat(replayer.stats().openSessions()).isZero();
        assertThat(replayer.stats().results()).isEqualTo(2);
    }

    @Test
    void shouldResetTheConnectionWhenTheRecordedClientResetIt() throws Exception {
        RecordedSession session = session(new SessionClose(CloseKind.RST, Side.CLIENT, 0), 0);
        LoopbackServer server = server(session, LoopbackServer.Behavior.ANSWER);
        KernelReplayer replayer = replayer(server.address(), List.of(), builder -> { });

        Collector run = new Collector(1);
        replayer.startSession(session, run);
        run.await();

        assertThat(run.outcomes()).containsExactly(Outcome.OK, Outcome.OK);
        assertThat(run.ends).containsExactly("reset by the client as recorded");
        LoopbackServer.Accepted accepted = server.accepted().get(0);
        assertThat(accepted.awaitEnd(5_000)).isTrue();
        assertThat(accepted.end).as("SO_LINGER 0: a RST").isEqualTo("RST");
    }

    @Test
    void shouldCloseAfterTheServerWhenTheRecordedServerClosedFirst() throws Exception {
        RecordedSession session = session(new SessionClose(CloseKind.FIN, Side.SERVER, 0), 0);
        LoopbackServer server = server(session, LoopbackServer.Behavior.ANSWER);
        KernelReplayer replayer = replayer(server.address(), List.of(), builder -> { });

        Collector run = new Collector(1);
        replayer.startSession(session, run);
        run.await();

        assertThat(run.outcomes()).containsExactly(Outcome.OK, Outcome.OK);
        assertThat(run.ends).containsExactly("closed");
        assertThat(server.accepted().get(0).awaitEnd(5_000)).isTrue();
        assertThat(server.accepted().get(0).end).isEqualTo("FIN");
    }

    @Test
    void shouldReportRefusedWhenNothingListensOnTheTargetPort() throws Exception {
        InetSocketAddress closed = new InetSocketAddress(InetAddress.getLoopbackAddress(),
            LoopbackServer.closedPort());
        KernelReplayer replayer = replayer(closed, List.of(), builder -> { });

        Collector run = new Collector(1);
        replayer.startSession(clientFin(), run);
        run.await();

        assertThat(run.outcomes()).containsExactly(Outcome.REFUSED);
        assertThat(run.results.get(0).message())
            .startsWith("connection refused: RST in answer to the SYN from 127.0.0.1:");
        assertThat(run.results.get(0).connectEndNanos()).isEqualTo(-1);
        assertThat(run.ends).containsExactly("connection refused");
    }

    @Test
    void shouldReportResetWhenTheServerResetsDuringTheExchange() throws Exception {
        RecordedSession session = clientFin();
        LoopbackServer server = server(session, LoopbackServer.Behavior.RESET_AFTER_REQUEST);
        KernelReplayer replayer = replayer(server.address(), List.of(), builder -> { });

        Collector run = new Collector(1);
        replayer.startSession(session, run);
        run.await();

        assertThat(run.outcomes()).containsExactly(Outcome.RESET);
        assertThat(run.results.get(0).message()).isEqualTo("reset by the server during exchange 0 (0 response bytes "
            + "received)");
        assertThat(run.ends).containsExactly("reset by the server");
    }

    @Test
    void shouldReportTimeoutWhenTheServerStaysSilent() throws Exception {
        RecordedSession session = clientFin();
        LoopbackServer server = server(session, LoopbackServer.Behavior.SILENT);
        KernelReplayer replayer = replayer(server.address(), List.of(),
            builder -> builder.response(Duration.ofMillis(300), Duration.ofMillis(100)));

        Collector run = new Collector(1);
        long start = System.nanoTime();
        replayer.startSession(session, run);
        run.await();

        assertThat(run.outcomes()).containsExactly(Outcome.TIMEOUT);
        assertThat(run.results.get(0).message()).isEqualTo("response timeout: 0 of " + PAGE_A.length()
            + " response bytes after 300 ms");
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(300 * MS);
        assertThat(server.accepted().get(0).awaitEnd(5_000)).isTrue();
        assertThat(server.accepted().get(0).end).as("a failed exchange resets the connection").isEqualTo("RST");
    }

    @Test
    void shouldReportClosedEarlyWhenTheServerClosesBeforeResponding() throws Exception {
        RecordedSession session = clientFin();
        LoopbackServer server = server(session, LoopbackServer.Behavior.CLOSE_AFTER_REQUEST);
        KernelReplayer replayer = replayer(server.address(), List.of(), builder -> { });

        Collector run = new Collector(1);
        replayer.startSession(session, run);
        run.await();

        assertThat(run.outcomes()).containsExactly(Outcome.CLOSED_EARLY);
        assertThat(run.results.get(0).message()).isEqualTo("the server closed the connection before responding "
            + "(0 of " + PAGE_A.length() + " bytes)");
        assertThat(run.ends).containsExactly("closed");
    }

    @Test
    void shouldCompleteAShortResponseAfterTheQuietIntervalWhenLessThanRecordedArrives() throws Exception {
        RecordedSession session = clientFin();
        LoopbackServer server = server(session, LoopbackServer.Behavior.ANSWER_HALF);
        KernelReplayer replayer = replayer(server.address(), List.of(), builder -> { });

        Collector run = new Collector(1);
        replayer.startSession(session, run);
        run.await();

        assertThat(run.outcomes()).containsExactly(Outcome.OK, Outcome.OK);
        ExchangeResult first = run.results.get(0);
        assertThat(first.bytesReceived()).isEqualTo(PAGE_A.length() / 2);
        assertThat(first.message()).isEqualTo("response quiet after " + PAGE_A.length() / 2 + " of "
            + PAGE_A.length() + " recorded bytes");
    }

    @Test
    void shouldWaitTheRecordedThinkTimeDividedByTheSpeedFactorBeforeTheNextRequest() throws Exception {
        RecordedSession session = session(new SessionClose(CloseKind.FIN, Side.CLIENT, 0), 400 * MS);
        LoopbackServer server = server(session, LoopbackServer.Behavior.ANSWER);
        KernelReplayer replayer = replayer(server.address(), List.of(), builder -> builder.speedFactor(2));

        Collector run = new Collector(1);
        replayer.startSession(session, run);
        run.await();

        assertThat(run.outcomes()).containsExactly(Outcome.OK, Outcome.OK);
        long think = run.results.get(1).startNanos() - run.results.get(0).lastByteNanos();
        assertThat(think).as("400 ms recorded / speed 2").isBetween(199 * MS, 1_000 * MS);
    }

    @Test
    void shouldGiveResultsToTheWaitingUserWhenStartedWithoutListener() throws Exception {
        RecordedSession session = clientFin();
        LoopbackServer server = server(session, LoopbackServer.Behavior.ANSWER);
        KernelReplayer replayer = replayer(server.address(), List.of(), builder -> { });

        SessionHandle handle = replayer.startSession(session);

        ExchangeResult first = handle.awaitNext(Duration.ofSeconds(10));
        ExchangeResult second = handle.awaitNext(Duration.ofSeconds(10));
        assertThat(first.outcome()).isEqualTo(Outcome.OK);
        assertThat(second.exchangeIndex()).isEqualTo(1);
        assertThat(handle.awaitNext(Duration.ofSeconds(10))).isNull();
        assertThat(handle.endReason()).isEqualTo("closed");
    }

    @Test
    void shouldSendFromEachListedLocalAddressInTurnWhenBound() throws Exception {
        RecordedSession session = clientFin();
        LoopbackServer server = server(session, LoopbackServer.Behavior.ANSWER);
        List<InetAddress> local = List.of(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.3"));
        KernelReplayer replayer = replayer(server.address(), local, builder -> { });

        Collector run = new Collector(4);
        for (int copy = 0; copy < 4; copy++) {
            replayer.startSession(session, run);
        }
        run.await();

        assertThat(run.outcomes()).hasSize(8).containsOnly(Outcome.OK);
        assertThat(server.accepted().stream().map(accepted -> accepted.client.getAddress().getHostAddress())
            .collect(Collectors.groupingBy(address -> address, Collectors.counting())))
            .containsOnly(java.util.Map.entry("127.0.0.2", 2L), java.util.Map.entry("127.0.0.3", 2L));
    }

    @Test
    void shouldFailWithLocalLimitAndWarnOnceWhenNoLocalPortCanBeHad() throws Exception {
        RecordedSession session = clientFin();
        LoopbackServer server = server(session, LoopbackServer.Behavior.ANSWER);
        KernelReplayer replayer = replayer(server.address(), List.of(InetAddress.getByName("192.0.2.1")),
            builder -> { }); // TEST-NET-1: not an address of this host, bind() fails with EADDRNOTAVAIL

        Collector run = new Collector(3);
        for (int copy = 0; copy < 3; copy++) {
            replayer.startSession(session, run);
        }
        run.await();

        assertThat(run.outcomes()).containsExactly(Outcome.LOCAL_LIMIT, Outcome.LOCAL_LIMIT, Outcome.LOCAL_LIMIT);
        assertThat(run.results.get(0).message()).startsWith("no free local port (Cannot assign requested address)");
        assertThat(replayer.stats().localLimits()).isEqualTo(3);
        assertThat(warnings).hasSize(1);
        assertThat(server.accepted()).isEmpty();
    }

    @Test
    void shouldHoldCometSessionsUntilStoppedThenResetThem() throws Exception {
        RecordedSession session = clientFin();
        LoopbackServer server = server(session, LoopbackServer.Behavior.ANSWER);
        KernelReplayer replayer = replayer(server.address(), List.of(), builder -> builder.comet(true));

        Collector run = new Collector(2);
        replayer.startSession(session, run);
        replayer.startSession(session, run);
        long deadline = System.nanoTime() + 10_000 * MS;
        while (run.results.size() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(100);
        assertThat(replayer.stats().openSessions()).as("held").isEqualTo(2);

        assertThat(replayer.stop(Duration.ofSeconds(5))).isTrue();

        run.await();
        assertThat(run.ends).containsOnly("replayer stopped; connection reset");
        for (LoopbackServer.Accepted accepted : server.accepted()) {
            assertThat(accepted.awaitEnd(5_000)).isTrue();
            assertThat(accepted.end).isEqualTo("RST");
        }
        assertThat(replayer.stats().openSessions()).isZero();
        SessionHandle late = replayer.startSession(session);
        assertThat(late.isDone()).as("a session started after the stop ends at once").isTrue();
    }

    @Test
    void shouldReplayToAnIpv6TargetWhenTheTargetIsIpv6() throws Exception {
        RecordedSession session = clientFin();
        InetAddress ipv6Loopback = InetAddress.getByName("::1");
        LoopbackServer server;
        try {
            server = LoopbackServer.start(session, LoopbackServer.Behavior.ANSWER, ipv6Loopback);
        } catch (IOException e) {
            Assumptions.abort("no IPv6 loopback here: " + e.getMessage());
            return;
        }
        resources.add(server);
        KernelReplayer replayer = replayer(server.address(), List.of(), builder -> { });

        Collector run = new Collector(1);
        replayer.startSession(session, run);
        run.await();

        assertThat(run.outcomes()).containsExactly(Outcome.OK, Outcome.OK);
        assertThat(server.accepted().get(0).client.getAddress()).isEqualTo(ipv6Loopback);
    }

    @Test
    void shouldSpreadStartsAtTheStartRate() throws Exception {
        RecordedSession session = clientFin();
        LoopbackServer server = server(session, LoopbackServer.Behavior.ANSWER);
        KernelReplayer replayer = replayer(server.address(), List.of(), builder -> builder.pacing(20, 100));

        Collector run = new Collector(6);
        for (int copy = 0; copy < 6; copy++) {
            replayer.startSession(session, run);
        }
        run.await();

        List<Long> starts = run.results.stream().filter(result -> result.exchangeIndex() == 0)
            .map(ExchangeResult::startNanos).sorted().toList();
        assertThat(starts).hasSize(6);
        // 5 intervals of 50 ms; the first exchange starts after its connect, whose duration varies (first one cold)
        assertThat(starts.get(5) - starts.get(0)).as("6 starts at 20/s").isGreaterThanOrEqualTo(200 * MS);
    }
}
