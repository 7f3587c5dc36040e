package io.pcapreplay.tcp;

import static io.pcapreplay.tcp.EngineHarness.MS;
import static io.pcapreplay.tcp.EngineHarness.filled;
import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.packet.TcpSequence;
import io.pcapreplay.pcap.HandshakeOptions;
import io.pcapreplay.pcap.RecordedSession;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineHandshakeTest {

    @Test
    void shouldSendRecordedOptionsWithMssClampedToThePathWhenConnecting() {
        RecordedSession session = EngineHarness.builder()
            .handshake(new HandshakeOptions(8_960, 9, true, true, 29_200), HandshakeOptions.ABSENT)
            .exchange(EngineHarness.text("hello"), EngineHarness.text("world"), 0).build();
        EngineHarness harness = new EngineHarness(session, config -> config.pathMtu(1_400).initialSequence(1_000));
        harness.start();
        harness.run(20);

        SimulatedServer.Seen syn = harness.server.seen.get(0);
        assertThat(syn.has(TcpHeader.SYN)).isTrue();
        assertThat(syn.has(TcpHeader.ACK)).isFalse();
        assertThat(syn.sequence()).isEqualTo(1_000);
        assertThat(syn.mss()).isEqualTo(1_360);
        assertThat(syn.windowScale()).isEqualTo(9);
        assertThat(syn.sackPermitted()).isTrue();
        assertThat(syn.timestamps()).isTrue();
        assertThat(syn.window()).isEqualTo(29_200);
        assertThat(syn.clientAddress() >>> 17).isEqualTo(0xC612 >>> 1); // 198.18.0.0/15
        SimulatedServer.Seen ack = harness.server.seen.get(1);
        assertThat(ack.flags()).isEqualTo(TcpHeader.ACK);
        assertThat(ack.sequence()).isEqualTo(1_001);
        assertThat(ack.acknowledgment()).isEqualTo(harness.server.serverIsn + 1);
        SimulatedServer.Seen data = harness.server.dataSegments().get(0);
        assertThat(data.sequence()).isEqualTo(1_001);
        assertThat(data.timestamps()).isTrue();
        assertThat(harness.results).hasSize(1);
        ExchangeResult result = harness.results.get(0);
        assertThat(result.outcome()).isEqualTo(Outcome.OK);
        assertThat(result.connectEndNanos()).isGreaterThanOrEqualTo(result.startNanos());
        assertThat(result.bytesSent()).isEqualTo(5);
        assertThat(result.bytesReceived()).isEqualTo(5);
    }

    @Test
    void shouldAckTheSynAckAtOnceInItsOwnSegmentWhateverTheFirstRequestsThinkTime() {
        for (long think : new long[] {10 * MS, 100 * MS}) { // within and beyond the ACK delay
            EngineHarness harness = connected(EngineHarness.text("hello"), think);

            List<SimulatedServer.Seen> seen = harness.server.seen;
            assertBareAckRightAfterTheSyn(seen); // a lost request must not leave the server half open
            assertThat(seen.get(2).payload()).isEqualTo(EngineHarness.text("hello"));
            assertThat(seen.get(2).time() - seen.get(0).time()).as("think %d ns", think).isBetween(think, think + MS);
            assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK);
        }
    }

    @Test
    void shouldAckTheSynAckAtOnceWhenTheServerSpeaksFirst() {
        EngineHarness harness = connected(new byte[0], 0);

        List<SimulatedServer.Seen> seen = harness.server.seen;
        assertBareAckRightAfterTheSyn(seen);
        assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK);
        assertThat(harness.results.get(0).lastByteNanos() - seen.get(0).time()).isLessThan(MS);
    }

    /** One session of one exchange, its request {@code think} ns after the handshake, run for 200 ms. */
    private static EngineHarness connected(byte[] request, long think) {
        RecordedSession session = EngineHarness.builder()
            .exchange(request, EngineHarness.text("220 ready\r\n"), think).build();
        EngineHarness harness = new EngineHarness(session, config -> config.ackDelay(Duration.ofMillis(40)));
        harness.start();
        harness.run(200);
        return harness;
    }

    private static void assertBareAckRightAfterTheSyn(List<SimulatedServer.Seen> seen) {
        assertThat(seen.get(1).flags()).isEqualTo(TcpHeader.ACK);
        assertThat(seen.get(1).time() - seen.get(0).time()).isLessThan(MS);
    }

    @Test
    void shouldSynthesizeDefaultOptionsWhenNoSynWasRecorded() {
        RecordedSession session = EngineHarness.builder().synSeen(false)
            .handshake(HandshakeOptions.ABSENT, HandshakeOptions.ABSENT)
            .exchange(EngineHarness.text("ping"), EngineHarness.text("pong"), 0).build();
        EngineHarness harness = new EngineHarness(session, config -> { });
        harness.start();
        harness.run(20);

        SimulatedServer.Seen syn = harness.server.seen.get(0);
        assertThat(syn.mss()).isEqualTo(1_460);
        assertThat(syn.windowScale()).isEqualTo(Handshake.DEFAULT_WINDOW_SCALE);
        assertThat(syn.sackPermitted()).isTrue();
        assertThat(syn.timestamps()).isTrue();
        assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK);
    }

    @Test
    void shouldNotUseWindowScalingOrTimestampsWhenTheServerDoesNot() {
        RecordedSession session = EngineHarness.builder()
            .exchange(filled(3_000, 1), EngineHarness.text("ok"), 0).build();
        EngineHarness harness = new EngineHarness(session, config -> { });
        harness.server.windowScale = -1;
        harness.server.timestamps = false;
        harness.server.window = 65_535;
        harness.start();
        harness.run(20);

        List<SimulatedServer.Seen> data = harness.server.dataSegments();
        assertThat(data).allSatisfy(segment -> assertThat(segment.timestamps()).isFalse());
        assertThat(data.get(0).payload()).hasSize(1_460);
        assertThat(harness.server.seen.get(1).window()).isEqualTo(65_535); // 1 MiB unscaled, capped
        assertThat(harness.results.get(0).outcome()).isEqualTo(Outcome.OK);
    }

    @Test
    void shouldKeepSequenceMathRightWhenBothSidesWrapAround() {
        byte[] request = filled(3_000, 3);
        byte[] response = filled(5_000, 5);
        RecordedSession session = EngineHarness.builder().exchange(request, response, 0)
            .exchange(filled(10, 9), filled(20, 9), 0).build();
        EngineHarness harness = new EngineHarness(session,
            config -> config.initialSequence(0xFFFF_FF00L).responseCaptureBytes(8_192));
        harness.server.serverIsn = 0xFFFF_FFF0;
        harness.server.mss = 1_000;
        harness.start();
        harness.run(50);

        assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK, Outcome.OK);
        ExchangeResult first = harness.results.get(0);
        assertThat(first.bytesSent()).isEqualTo(3_000);
        assertThat(first.bytesReceived()).isEqualTo(5_000);
        assertThat(first.response()).isEqualTo(response);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        harness.server.dataSegments().forEach(segment -> sent.writeBytes(segment.payload()));
        assertThat(sent.toByteArray()).startsWith(request);
        SimulatedServer.Peer peer = harness.server.onlyPeer();
        assertThat(TcpSequence.toUnsigned(peer.receiveNext)).isLessThan(0x1_0000L); // wrapped past 2^32
        assertThat(harness.ends).containsExactly("closed");
    }

    @Test
    void shouldRetrySynWithBackOffThenTimeOutWhenNoSynAckComes() {
        RecordedSession session = EngineHarness.twoExchanges();
        EngineHarness harness = new EngineHarness(session, config -> config.connect(Duration.ofSeconds(60), 2));
        harness.server.answerSyn = false;
        harness.start();
        harness.run(10_000, 10);

        List<SimulatedServer.Seen> syns = harness.server.seen.stream()
            .filter(packet -> packet.has(TcpHeader.SYN)).toList();
        assertThat(syns).hasSize(3);
        assertThat(syns.get(1).time() - syns.get(0).time()).isBetween(1_000 * MS, 1_010 * MS);
        assertThat(syns.get(2).time() - syns.get(1).time()).isBetween(2_000 * MS, 2_010 * MS);
        assertThat(harness.results).hasSize(1);
        ExchangeResult result = harness.results.get(0);
        assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(result.message()).contains("connect timeout").contains("198.19.0.2:80").contains("3 SYNs");
        assertThat(harness.resultTimes.get(0) - syns.get(0).time()).isBetween(7_000 * MS, 7_010 * MS);
        assertThat(harness.server.count(TcpHeader.RST)).isEqualTo(1);
        assertThat(harness.engine.stats().openSessions()).isZero();
        assertThat(harness.engine.stats().halfOpen()).isZero();
    }

    @Test
    void shouldTimeOutOnTheConnectTimeoutWhenItComesFirst() {
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(),
            config -> config.connect(Duration.ofMillis(1_500), 10));
        harness.server.answerSyn = false;
        harness.start();
        harness.run(3_000, 10);

        assertThat(harness.results).singleElement().satisfies(result -> {
            assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(result.message()).contains("connect timeout").contains("within 1500 ms");
        });
    }

    @Test
    void shouldResetAStaleConnectionThenConnectWhenTheSynIsAnsweredWithAnOldAck() {
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(), config -> { });
        harness.server.staleAcks = 1;
        harness.start();
        harness.run(1_100);

        List<SimulatedServer.Seen> resets = harness.server.seen.stream().filter(seen -> seen.has(TcpHeader.RST))
            .toList();
        assertThat(resets).singleElement().satisfies(reset -> {
            assertThat(reset.flags()).isEqualTo(TcpHeader.RST);
            assertThat(reset.sequence()).isEqualTo(12_345);
        });
        assertThat(harness.server.count(TcpHeader.SYN)).isEqualTo(2);
        assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK, Outcome.OK);
    }

    @Test
    void shouldReportRefusedWhenTheSynIsAnsweredWithRst() {
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(), config -> { });
        harness.server.refuse = true;
        harness.start();
        harness.run(10);

        assertThat(harness.results).singleElement().satisfies(result -> {
            assertThat(result.outcome()).isEqualTo(Outcome.REFUSED);
            assertThat(result.exchangeIndex()).isZero();
            assertThat(result.message()).contains("refused").contains("198.19.0.2:80");
        });
        assertThat(harness.server.count(TcpHeader.SYN)).isEqualTo(1);
        assertThat(harness.engine.stats().openSessions()).isZero();
    }
}
