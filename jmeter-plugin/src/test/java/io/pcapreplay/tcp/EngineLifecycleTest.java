package io.pcapreplay.tcp;

import static io.pcapreplay.tcp.EngineHarness.MS;
import static io.pcapreplay.tcp.EngineHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.pcap.CloseKind;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.pcap.SessionClose;
import io.pcapreplay.pcap.Side;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineLifecycleTest {

    private static RecordedSession closedBy(CloseKind kind, Side side) {
        return EngineHarness.builder().exchange(text("GET /"), text("200 OK"), 0)
            .close(new SessionClose(kind, side, 0)).build();
    }

    @Test
    void shouldSendFinAfterTheLastExchangeWhenTheClientClosedWithFin() {
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(), config -> { });
        harness.start();
        harness.run(50);

        assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK, Outcome.OK);
        assertThat(harness.server.count(TcpHeader.FIN)).isEqualTo(1);
        assertThat(harness.server.count(TcpHeader.RST)).isZero();
        SimulatedServer.Seen fin = harness.server.seen.stream().filter(seen -> seen.has(TcpHeader.FIN)).findFirst()
            .orElseThrow();
        assertThat(fin.time()).isGreaterThanOrEqualTo(harness.results.get(1).lastByteNanos());
        assertThat(harness.server.onlyPeer().finReceived).isTrue();
        assertThat(harness.ends).containsExactly("closed");
        assertThat(harness.engine.stats().openSessions()).isZero();
        assertThat(harness.engine.stats().completed()).isEqualTo(1);
    }

    @Test
    void shouldResetAfterTheLastExchangeWhenTheClientClosedWithRst() {
        EngineHarness harness = new EngineHarness(closedBy(CloseKind.RST, Side.CLIENT), config -> { });
        harness.start();
        harness.run(20);

        assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK);
        assertThat(harness.server.count(TcpHeader.RST)).isEqualTo(1);
        assertThat(harness.server.count(TcpHeader.FIN)).isZero();
        assertThat(harness.ends).containsExactly("reset by the client as recorded");
    }

    @Test
    void shouldAnswerTheServersFinWhenTheServerClosedFirst() {
        EngineHarness harness = new EngineHarness(closedBy(CloseKind.FIN, Side.SERVER), config -> { });
        harness.server.actions.put(0, SimulatedServer.Action.RESPOND_THEN_CLOSE);
        harness.start();
        harness.run(20);

        assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK);
        assertThat(harness.server.count(TcpHeader.FIN)).isEqualTo(1);
        assertThat(harness.ends).containsExactly("closed");
    }

    @Test
    void shouldAcknowledgeTheServersFinWithOurFinWhenClosingAtOnce() {
        EngineHarness harness = new EngineHarness(closedBy(CloseKind.FIN, Side.SERVER), config -> { });
        harness.server.actions.put(0, SimulatedServer.Action.RESPOND_THEN_CLOSE);
        harness.start();
        harness.run(20);

        List<SimulatedServer.Seen> seen = harness.server.seen;
        assertThat(seen).extracting(SimulatedServer.Seen::flags).containsExactly(TcpHeader.SYN, TcpHeader.ACK,
            TcpHeader.ACK | TcpHeader.PSH, TcpHeader.FIN | TcpHeader.ACK); // no bare ACK of their FIN
        SimulatedServer.Peer peer = harness.server.peers.values().iterator().next();
        assertThat(seen.get(3).acknowledgment()).isEqualTo(peer.sendNext); // their FIN included
        assertThat(harness.ends).containsExactly("closed");
    }

    @Test
    void shouldResetAfterTheIdleTimeoutWhenTheRecordedServerCloseNeverComes() {
        EngineHarness harness = new EngineHarness(closedBy(CloseKind.FIN, Side.SERVER),
            config -> config.closing(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        harness.start();
        harness.run(3_000, 10);

        assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK);
        assertThat(harness.server.count(TcpHeader.RST)).isEqualTo(1);
        assertThat(harness.ends).singleElement().asString().contains("idle timeout");
    }

    @Test
    void shouldReportResetWhenTheServerResetsMidExchange() {
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(), config -> { });
        harness.server.actions.put(1, SimulatedServer.Action.RESET);
        harness.start();
        harness.run(50);

        assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK, Outcome.RESET);
        assertThat(harness.results.get(1).message()).contains("during exchange 1");
        assertThat(harness.ends).containsExactly("reset by the server");
        assertThat(harness.server.count(TcpHeader.RST)).isZero(); // no RST answers a RST
    }

    @Test
    void shouldReportClosedEarlyWhenTheServerClosesBeforeResponding() {
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(), config -> { });
        harness.server.actions.put(0, SimulatedServer.Action.CLOSE);
        harness.start();
        harness.run(50);

        assertThat(harness.results).singleElement().satisfies(result -> {
            assertThat(result.outcome()).isEqualTo(Outcome.CLOSED_EARLY);
            assertThat(result.message()).contains("before responding");
            assertThat(result.bytesSent()).isEqualTo(EngineHarness.twoExchanges().exchange(0).requestLength());
        });
        assertThat(harness.server.count(TcpHeader.FIN)).isEqualTo(1);
        assertThat(harness.ends).containsExactly("closed");
    }

    @Test
    void shouldReportTheNextExchangeClosedEarlyWhenTheServerClosesAfterAResponse() {
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(), config -> { });
        harness.server.actions.put(0, SimulatedServer.Action.RESPOND_THEN_CLOSE);
        harness.start();
        harness.run(50);

        assertThat(harness.results).extracting(ExchangeResult::outcome)
            .containsExactly(Outcome.OK, Outcome.CLOSED_EARLY);
        assertThat(harness.results.get(1).message()).contains("before exchange 1");
        assertThat(harness.server.dataSegments()).hasSize(1);
    }

    @Test
    void shouldHoldTheConnectionInCometModeUntilTheEngineStops() {
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(), config -> config.comet(true));
        SessionHandle handle = harness.start();
        harness.run(600_000, 1_000);

        assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK, Outcome.OK);
        assertThat(harness.server.count(TcpHeader.FIN)).isZero();
        assertThat(harness.server.count(TcpHeader.RST)).isZero();
        assertThat(harness.engine.stats().openSessions()).isEqualTo(1);
        assertThat(handle.isDone()).isFalse();

        assertThat(harness.engine.stop(Duration.ofSeconds(1))).isTrue();
        assertThat(harness.server.count(TcpHeader.RST)).isEqualTo(1);
        assertThat(handle.isDone()).isTrue();
        assertThat(handle.endReason()).contains("engine stopped");
        assertThat(harness.engine.stats().openSessions()).isZero();
    }

    @Test
    void shouldCloseInCometModeWhenTheServerCloses() {
        EngineHarness harness = new EngineHarness(closedBy(CloseKind.FIN, Side.CLIENT), config -> config.comet(true));
        harness.start();
        harness.run(20);
        SimulatedServer.Peer peer = harness.server.onlyPeer();
        harness.server.fin(peer);
        harness.run(20);

        assertThat(harness.ends).containsExactly("closed");
        assertThat(harness.server.count(TcpHeader.FIN)).isEqualTo(1);
    }

    @Test
    void shouldAckARepeatedServerFinWhenItsFirstAckWasLost() {
        EngineHarness harness = new EngineHarness(closedBy(CloseKind.FIN, Side.CLIENT), config -> config.comet(true));
        harness.start();
        harness.run(20);
        SimulatedServer.Peer peer = harness.server.onlyPeer();
        harness.server.holdOutgoing = true;
        harness.server.fin(peer);
        harness.server.release(false);
        harness.run(1); // the engine ACKs the FIN and sends its own; the server's ACK of that is held (lost)
        harness.server.dropHeld();
        long acksBefore = harness.server.seen.stream().filter(seen -> seen.flags() == TcpHeader.ACK).count();
        peer.receiveNext--; // the repeated FIN does not acknowledge our FIN either
        harness.server.segment(peer, TcpHeader.FIN | TcpHeader.ACK, peer.sendNext - 1, new byte[0]);
        harness.server.release(false);
        harness.run(1);

        long acksAfter = harness.server.seen.stream().filter(seen -> seen.flags() == TcpHeader.ACK).count();
        assertThat(acksAfter).isEqualTo(acksBefore + 1);
        assertThat(harness.engine.stats().openSessions()).isEqualTo(1); // our FIN is still unacknowledged
    }

    @Test
    void shouldResetEveryOpenSessionWhenStopped() {
        RecordedSession session = EngineHarness.builder().exchange(text("a"), text("1"), 0)
            .exchange(text("b"), text("2"), 60_000 * MS).build();
        EngineHarness harness = new EngineHarness(session, config -> { });
        SessionHandle first = harness.start();
        SessionHandle second = harness.start();
        harness.run(20);
        assertThat(harness.engine.stats().openSessions()).isEqualTo(2);

        harness.engine.stop(Duration.ofSeconds(1));
        List<SimulatedServer.Seen> resets = harness.server.seen.stream().filter(seen -> seen.has(TcpHeader.RST))
            .toList();
        assertThat(resets).extracting(seen -> ConnectionTable.ipv4Key(seen.clientAddress(), seen.clientPort()))
            .doesNotHaveDuplicates().hasSize(2);
        assertThat(first.isDone()).isTrue();
        assertThat(second.isDone()).isTrue();
        SessionHandle late = harness.engine.startSession(session, harness.listener);
        harness.settle();
        assertThat(late.isDone()).isTrue();
    }

    @Test
    void shouldCapHalfOpenHandshakesAndPaceStarts() {
        EngineHarness capped = new EngineHarness(EngineHarness.twoExchanges(),
            config -> config.pacing(0, 3).connect(Duration.ofSeconds(60), 10));
        capped.server.answerSyn = false;
        for (int index = 0; index < 10; index++) {
            capped.start();
        }
        capped.run(100);
        assertThat(capped.server.count(TcpHeader.SYN)).isEqualTo(3);
        assertThat(capped.engine.stats().halfOpen()).isEqualTo(3);
        assertThat(capped.engine.stats().openSessions()).isEqualTo(10);
        capped.server.answerSyn = true;
        capped.run(5_000);
        assertThat(capped.results).hasSize(20).allSatisfy(result -> assertThat(result.ok()).isTrue());

        EngineHarness paced = new EngineHarness(EngineHarness.twoExchanges(), config -> config.pacing(100, 1_000));
        for (int index = 0; index < 10; index++) {
            paced.start();
        }
        paced.run(45);
        assertThat(paced.engine.stats().started()).isEqualTo(5); // at 0, 10, 20, 30 and 40 ms
    }

    @Test
    void shouldReportAgentLostForTheCurrentExchange() {
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(), config -> { });
        harness.server.actions.put(1, SimulatedServer.Action.SILENT);
        harness.start();
        harness.run(20);
        harness.engine.agentLost("connection to 198.19.0.3:7777 closed");
        harness.run(1);

        assertThat(harness.results).extracting(ExchangeResult::outcome)
            .containsExactly(Outcome.OK, Outcome.AGENT_LOST);
        assertThat(harness.results.get(1).message()).contains("198.19.0.3:7777");
        assertThat(harness.server.count(TcpHeader.RST)).isEqualTo(1);
    }

    @Test
    void shouldHoldNewSessionsWhileTheAgentIsAwayAndStartThemWhenItIsBack() {
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(),
            config -> config.connect(Duration.ofSeconds(2), 3));
        harness.engine.agentLost("agent 198.19.0.3:7777 closed the connection");
        harness.start();
        harness.run(1_500);

        assertThat(harness.server.count(TcpHeader.SYN)).as("no SYN while the agent is away").isZero();
        assertThat(harness.results).isEmpty();
        assertThat(harness.engine.stats().openSessions()).isEqualTo(1);

        harness.engine.agentRestored();
        harness.run(50);

        assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK, Outcome.OK);
        ExchangeResult first = harness.results.get(0);
        assertThat(first.connectEndNanos() - first.startNanos()).as("timed from its SYN, not from the wait")
            .isLessThan(10 * MS);
    }

    @Test
    void shouldEndAWaitingSessionWithAgentLostWhenTheAgentIsNotBackWithinTheConnectTimeout() {
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(),
            config -> config.connect(Duration.ofSeconds(2), 3));
        long queued = harness.clock.now;
        harness.start();
        harness.engine.agentLost("agent 198.19.0.3:7777 closed the connection");
        harness.run(1_999);
        assertThat(harness.results).as("waits up to the connect timeout").isEmpty();
        harness.run(2);

        assertThat(harness.results).singleElement().satisfies(result -> {
            assertThat(result.outcome()).isEqualTo(Outcome.AGENT_LOST);
            assertThat(result.message()).contains("198.19.0.3:7777").contains("connect timeout (2000 ms)");
            assertThat(result.startNanos()).as("starts when the user started it").isEqualTo(queued);
        });
        assertThat(harness.ends).singleElement().asString().contains("did not start");
        assertThat(harness.server.count(TcpHeader.SYN)).isZero();
        assertThat(harness.engine.stats().openSessions()).isZero();
    }
}
