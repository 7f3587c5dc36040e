package io.pcapreplay.tcp;

import static io.pcapreplay.tcp.EngineHarness.MS;
import static io.pcapreplay.tcp.EngineHarness.filled;
import static io.pcapreplay.tcp.EngineHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.pcap.CloseKind;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.pcap.SessionClose;
import io.pcapreplay.pcap.Side;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineTransferTest {

    private static int sentBytes(EngineHarness harness) {
        return harness.server.dataSegments().stream().mapToInt(segment -> segment.payload().length).sum();
    }

    @Test
    void shouldSplitTheRequestAtTheLiveMssWhenItIsLarge() {
        byte[] request = filled(5_000, 1);
        RecordedSession session = EngineHarness.builder().exchange(request, text("done"), 0).build();
        EngineHarness harness = new EngineHarness(session, config -> { });
        harness.server.mss = 1_000; // with timestamps: 988 payload bytes per segment
        harness.start();
        harness.run(20);

        List<SimulatedServer.Seen> data = harness.server.dataSegments();
        assertThat(data).extracting(segment -> segment.payload().length).containsExactly(988, 988, 988, 988, 988, 60);
        assertThat(data.get(4).has(TcpHeader.PSH)).isFalse();
        assertThat(data.get(5).has(TcpHeader.PSH)).isTrue();
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        data.forEach(segment -> sent.writeBytes(segment.payload()));
        assertThat(sent.toByteArray()).isEqualTo(request);
        assertThat(harness.results.get(0).outcome()).isEqualTo(Outcome.OK);
    }

    @Test
    void shouldStayWithinTheScaledWindowWhenTheServerHoldsItsAcks() {
        byte[] request = filled(10_000, 2);
        RecordedSession session = EngineHarness.builder().exchange(request, text("done"), 0).build();
        EngineHarness harness = new EngineHarness(session, config -> { });
        harness.server.windowScale = 2;
        harness.server.window = 4_000; // field 1000, scaled by 4
        harness.server.autoAck = false;
        harness.start();
        harness.run(5);
        assertThat(sentBytes(harness)).isEqualTo(4_000);

        harness.server.ack(harness.server.onlyPeer());
        harness.run(5);
        assertThat(sentBytes(harness)).isEqualTo(8_000);

        harness.server.autoAck = true;
        harness.server.ack(harness.server.onlyPeer());
        harness.run(5);
        assertThat(sentBytes(harness)).isEqualTo(10_000);
        assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK);
        assertThat(harness.results.get(0).bytesSent()).isEqualTo(10_000);
    }

    @Test
    void shouldResumeSendingWhenAWindowUpdateOpensAZeroWindow() {
        RecordedSession session = EngineHarness.builder().exchange(filled(3_000, 4), text("ok"), 0).build();
        EngineHarness harness = new EngineHarness(session, config -> { });
        harness.server.windowScale = -1;
        harness.server.window = 1_000;
        harness.server.autoAck = false;
        harness.start();
        harness.run(5);
        assertThat(sentBytes(harness)).isEqualTo(1_000);

        harness.server.window = 0;
        harness.server.ack(harness.server.onlyPeer()); // everything acknowledged, window closed
        harness.run(5);
        assertThat(sentBytes(harness)).isEqualTo(1_000);

        harness.server.window = 2_000;
        harness.server.autoAck = true;
        harness.server.ack(harness.server.onlyPeer()); // window update
        harness.run(5);
        assertThat(sentBytes(harness)).isEqualTo(3_000);
        assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK);
    }

    @Test
    void shouldStartTheNextRequestOnlyWhenTheRecordedResponseLengthArrived() {
        RecordedSession session = EngineHarness.twoExchanges();
        EngineHarness harness = new EngineHarness(session, config -> config.speedFactor(0));
        harness.server.holdOutgoing = true;
        harness.start();
        harness.run(2);
        harness.server.release(false); // SYN-ACK
        harness.run(2);
        harness.server.release(false); // ACK of request 0 + response 0
        harness.run(2);
        assertThat(harness.results).hasSize(1);
        assertThat(harness.server.dataSegments()).hasSize(2);
        harness.server.holdOutgoing = false;
        harness.server.release(false);
        harness.run(5);
        assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK, Outcome.OK);
        assertThat(harness.results.get(1).bytesReceived()).isEqualTo(session.exchange(1).responseLength());
    }

    @Test
    void shouldCompleteAShorterResponseWhenTheStreamStaysQuiet() {
        RecordedSession session = EngineHarness.twoExchanges();
        EngineHarness harness = new EngineHarness(session,
            config -> config.speedFactor(0).response(Duration.ofSeconds(30), Duration.ofMillis(300)));
        harness.server.responses.put(0, text("HTTP/1.1 204"));
        harness.start();
        harness.run(1_000);

        assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK, Outcome.OK);
        ExchangeResult first = harness.results.get(0);
        assertThat(first.bytesReceived()).isEqualTo(12);
        assertThat(first.message()).contains("quiet").contains("12 of ");
        assertThat(harness.resultTimes.get(0) - first.lastByteNanos()).isBetween(300 * MS, 302 * MS);
        SimulatedServer.Seen secondRequest = harness.server.dataSegments().get(1);
        assertThat(secondRequest.time()).isGreaterThanOrEqualTo(first.lastByteNanos() + 300 * MS);
    }

    @Test
    void shouldWaitForTheGreetingWhenTheServerSpeaksFirst() {
        RecordedSession session = EngineHarness.builder()
            .exchange(new byte[0], text("220 smtp ready\r\n"), 0)
            .exchange(text("QUIT\r\n"), text("221 bye\r\n"), 2 * MS)
            .close(new SessionClose(CloseKind.FIN, Side.SERVER, 0)).build();
        EngineHarness harness = new EngineHarness(session, config -> { });
        harness.server.actions.put(1, SimulatedServer.Action.RESPOND_THEN_CLOSE);
        harness.start();
        harness.run(50);

        assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK, Outcome.OK);
        assertThat(harness.results.get(0).bytesSent()).isZero();
        assertThat(harness.results.get(0).bytesReceived()).isEqualTo(16);
        assertThat(harness.server.dataSegments()).singleElement()
            .satisfies(segment -> assertThat(new String(segment.payload())).isEqualTo("QUIT\r\n"));
        assertThat(harness.ends).containsExactly("closed");
    }

    @Test
    void shouldScaleTheRecordedThinkTimeBySpeedFactor() {
        RecordedSession session = EngineHarness.builder()
            .exchange(text("a"), text("1"), 0)
            .exchange(text("b"), text("2"), 1_000 * MS).build();
        for (double speed : new double[] {1.0, 2.0, 0.0}) {
            EngineHarness harness = new EngineHarness(session, config -> config.speedFactor(speed));
            harness.start();
            harness.run(1_200);
            List<SimulatedServer.Seen> data = harness.server.dataSegments();
            assertThat(data).hasSize(2);
            long gap = data.get(1).time() - harness.results.get(0).lastByteNanos();
            long expected = speed == 0 ? 0 : (long) (1_000 * MS / speed);
            assertThat(gap).as("think time at speed %s", speed).isBetween(expected, expected + MS);
        }
    }

    @Test
    void shouldDelayAcksForResponseDataButAckEverySecondSegment() {
        RecordedSession single = EngineHarness.builder().exchange(text("GET"), text("one segment"), 0).build();
        EngineHarness harness = new EngineHarness(single, config -> config.comet(true).ackDelay(Duration.ofMillis(40)));
        harness.start();
        harness.run(100);
        List<SimulatedServer.Seen> acks = harness.server.seen.stream()
            .filter(packet -> packet.flags() == TcpHeader.ACK && packet.payload().length == 0).toList();
        assertThat(acks).hasSize(2); // the handshake's, then the delayed one
        long responseTime = harness.results.get(0).lastByteNanos();
        assertThat(acks.get(1).time() - responseTime).isBetween(40 * MS, 41 * MS);

        RecordedSession four = EngineHarness.builder().exchange(text("GET"), filled(4 * 1_460, 1), 0).build();
        EngineHarness full = new EngineHarness(four, config -> config.comet(true));
        full.start();
        full.run(100);
        List<SimulatedServer.Seen> fullAcks = full.server.seen.stream()
            .filter(packet -> packet.flags() == TcpHeader.ACK && packet.payload().length == 0).toList();
        assertThat(fullAcks).hasSize(3);
        assertThat(fullAcks.get(1).acknowledgment() - full.server.serverIsn - 1).isEqualTo(2 * 1_460);
        assertThat(fullAcks.get(2).acknowledgment() - full.server.serverIsn - 1).isEqualTo(4 * 1_460);
        assertThat(fullAcks.get(2).time()).isEqualTo(full.results.get(0).lastByteNanos());
    }

    @Test
    void shouldCaptureResponseBytesUpToTheCapWhenConfigured() {
        RecordedSession session = EngineHarness.builder().exchange(text("GET"), text("0123456789"), 0).build();
        EngineHarness capped = new EngineHarness(session, config -> config.responseCaptureBytes(4));
        capped.start();
        capped.run(20);
        assertThat(capped.results.get(0).response()).isEqualTo(text("0123"));

        EngineHarness none = new EngineHarness(session, config -> { });
        none.start();
        none.run(20);
        assertThat(none.results.get(0).response()).isEmpty();
        assertThat(none.results.get(0).bytesReceived()).isEqualTo(10);
    }

    @Test
    void shouldTimeOutTheResponseWhenTheServerStaysSilent() {
        RecordedSession session = EngineHarness.twoExchanges();
        EngineHarness harness = new EngineHarness(session,
            config -> config.response(Duration.ofSeconds(2), Duration.ofMillis(100)));
        harness.server.actions.put(0, SimulatedServer.Action.SILENT);
        harness.start();
        harness.run(3_000, 5);

        assertThat(harness.results).singleElement().satisfies(result -> {
            assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(result.message()).contains("response timeout").contains("0 of ").contains("2000 ms");
        });
        assertThat(harness.server.count(TcpHeader.RST)).isEqualTo(1);
    }
}
