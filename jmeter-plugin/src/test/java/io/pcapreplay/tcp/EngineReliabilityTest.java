package io.pcapreplay.tcp;

import static io.pcapreplay.tcp.EngineHarness.MS;
import static io.pcapreplay.tcp.EngineHarness.filled;
import static io.pcapreplay.tcp.EngineHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.pcap.RecordedSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineReliabilityTest {

    @Test
    void shouldRetransmitWithExponentialBackOffWhenSegmentsAreDropped() {
        RecordedSession session = EngineHarness.builder().exchange(text("GET /"), text("200"), 0).build();
        EngineHarness harness = new EngineHarness(session, config -> { });
        int[] dropped = {0};
        harness.server.drop = seen -> seen.payload().length > 0 && dropped[0]++ < 3;
        harness.start();
        harness.run(3_000);

        List<SimulatedServer.Seen> data = harness.server.dataSegments();
        assertThat(data).hasSize(4);
        assertThat(data).extracting(SimulatedServer.Seen::sequence).containsOnly(data.get(0).sequence());
        long first = data.get(1).time() - data.get(0).time();
        long second = data.get(2).time() - data.get(1).time();
        long third = data.get(3).time() - data.get(2).time();
        assertThat(first).isBetween(200 * MS, 202 * MS); // min RTO 200 ms (RTT ~0), doubled on each expiry
        assertThat(second).isBetween(2 * first - MS, 2 * first + MS);
        assertThat(third).isBetween(2 * second - MS, 2 * second + MS);
        assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK);
        assertThat(harness.engine.stats().retransmissions()).isEqualTo(3);
    }

    @Test
    void shouldEndTheBackOffWhenNewDataIsAcknowledged() {
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(), config -> config.speedFactor(0));
        int[] dataSegments = {0};
        harness.server.drop = seen -> seen.payload().length > 0 && List.of(1, 2, 4).contains(++dataSegments[0]);
        harness.start();
        harness.run(3_000);

        List<SimulatedServer.Seen> data = harness.server.dataSegments();
        assertThat(data).hasSize(5); // request 0 three times, request 1 twice
        assertThat(data.get(2).time() - data.get(1).time()).isBetween(400 * MS, 402 * MS); // backed off
        assertThat(data.get(4).time() - data.get(3).time()).isBetween(200 * MS, 202 * MS); // back-off over
        assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK, Outcome.OK);
    }

    @Test
    void shouldFastRetransmitWhenThreeDuplicateAcksArrive() {
        byte[] request = filled(3_000, 7);
        RecordedSession session = EngineHarness.builder().exchange(request, text("ok"), 0).build();
        EngineHarness harness = new EngineHarness(session, config -> { });
        harness.server.mss = 512; // 500 payload bytes: six segments
        boolean[] droppedOnce = {false};
        harness.server.drop = seen -> {
            if (seen.payload().length > 0 && !droppedOnce[0]) {
                droppedOnce[0] = true;
                return true;
            }
            return false;
        };
        harness.start();
        harness.run(50);

        List<SimulatedServer.Seen> data = harness.server.dataSegments();
        assertThat(data).hasSize(7);
        assertThat(data.get(6).sequence()).isEqualTo(data.get(0).sequence());
        assertThat(data.get(6).time() - data.get(0).time()).isLessThan(200 * MS); // before any RTO
        assertThat(harness.engine.stats().fastRetransmissions()).isEqualTo(1);
        assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK);
        assertThat(harness.server.onlyPeer().exchangeIndex).isEqualTo(1);
        assertThat(harness.results.get(0).bytesSent()).isEqualTo(3_000);
    }

    @Test
    void shouldRetransmitEveryHoleWhenSeveralSegmentsAreLost() {
        byte[] request = filled(4_000, 8);
        RecordedSession session = EngineHarness.builder().exchange(request, text("ok"), 0).build();
        EngineHarness harness = new EngineHarness(session, config -> { });
        harness.server.mss = 512;
        List<Integer> droppedSequences = new ArrayList<>();
        harness.server.drop = seen -> {
            int length = seen.payload().length;
            boolean firstTime = !droppedSequences.contains(seen.sequence());
            int index = (seen.sequence() - harness.server.seen.get(0).sequence() - 1) / 500;
            if (length > 0 && firstTime && (index == 1 || index == 4)) {
                droppedSequences.add(seen.sequence());
                return true;
            }
            return false;
        };
        harness.start();
        harness.run(2_000);

        assertThat(droppedSequences).hasSize(2);
        assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK);
        assertThat(harness.engine.stats().retransmissions()).isEqualTo(2);
    }

    @Test
    void shouldGiveUpWithTimeoutWhenRetransmissionsAreExhausted() {
        RecordedSession session = EngineHarness.twoExchanges();
        EngineHarness harness = new EngineHarness(session,
            config -> config.retransmission(3, 200_000, 2_000_000).response(Duration.ofSeconds(60),
                Duration.ofMillis(100)));
        harness.server.drop = seen -> seen.payload().length > 0;
        harness.start();
        harness.run(10_000, 5);

        assertThat(harness.server.dataSegments()).hasSize(4);
        assertThat(harness.results).singleElement().satisfies(result -> {
            assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(result.message()).contains("retransmission timeout").contains("3 retransmissions");
            assertThat(result.bytesSent()).isZero();
        });
        assertThat(harness.server.count(TcpHeader.RST)).isEqualTo(1);
        assertThat(harness.ends).hasSize(1);
    }

    @Test
    void shouldIgnoreReorderedServerSegmentsUntilTheGapIsFilled() {
        byte[] response = filled(4_000, 9);
        RecordedSession session = EngineHarness.builder().exchange(text("GET"), response, 0).build();
        EngineHarness harness = new EngineHarness(session, config -> config.responseCaptureBytes(4_000));
        harness.server.holdOutgoing = true;
        harness.start();
        harness.run(1);
        harness.server.release(false); // SYN-ACK
        harness.run(1); // request sent; three response segments held
        assertThat(harness.server.held).hasSize(3);
        harness.server.release(true); // last segment first
        harness.run(2);
        assertThat(harness.results).isEmpty();
        assertThat(harness.engine.stats().outOfOrder()).isEqualTo(2);
        // the server retransmits the two segments the engine dropped
        harness.server.holdOutgoing = false;
        SimulatedServer.Peer peer = harness.server.onlyPeer();
        peer.sendNext = peer.sendNext - 4_000 + 1_460;
        harness.server.sendData(peer, java.util.Arrays.copyOfRange(response, 1_460, 4_000));
        harness.run(2);
        assertThat(harness.results).singleElement().satisfies(result -> {
            assertThat(result.outcome()).isEqualTo(Outcome.OK);
            assertThat(result.response()).isEqualTo(response);
        });
    }
    @Test
    void shouldPutOffTheSynRetransmissionOnceWhenTheLoopReadsPacketsOlderThanItsTimeout() {
        EngineHarness harness = behindAtTheSynTimeout();
        byte[] late = harness.server.held.remove(0); // the second SYN-ACK, not read yet when the timer came
        long lateWire = harness.server.heldTimes.remove(0);
        assertThat(harness.server.count(TcpHeader.SYN)).isEqualTo(2);
        assertThat(harness.engine.stats().deferredRetransmissions()).isEqualTo(1);
        assertThat(harness.engine.stats().startBackOffs()).as("the loop is behind: fewer starts").isEqualTo(1);

        harness.server.holdOutgoing = false;
        harness.engine.deliver(late, 0, late.length, lateWire);
        harness.server.release(false); // the first session's response
        harness.run(50);
        assertThat(harness.server.count(TcpHeader.SYN)).as("no spurious SYN").isEqualTo(2);
        assertThat(harness.engine.stats().retransmissions()).isZero();
        assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK, Outcome.OK);
    }

    @Test
    void shouldRetransmitTheSynAfterThePutOffWhenItsAnswerWasLost() {
        EngineHarness harness = behindAtTheSynTimeout();
        harness.server.dropHeld(); // the second SYN-ACK was lost
        harness.server.holdOutgoing = false;
        harness.clock.now += 999 * MS;
        harness.settle();
        assertThat(harness.server.count(TcpHeader.SYN)).isEqualTo(2);
        harness.clock.now += 2 * MS;
        harness.settle();
        assertThat(harness.server.count(TcpHeader.SYN)).as("retransmitted once the put-off passed").isEqualTo(3);
        harness.run(50);
        assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK, Outcome.OK);
    }

    /**
     * Two sessions whose SYN-ACKs (on the wire 200 us after the SYNs) reach the loop 1 s later: the first is read in
     * the round where both SYN timers are due; the second is still held by the server.
     */
    private static EngineHarness behindAtTheSynTimeout() {
        RecordedSession session = EngineHarness.builder()
            .exchange(EngineHarness.text("GET"), EngineHarness.text("OK"), 0).build();
        EngineHarness harness = new EngineHarness(session, config -> { });
        harness.server.wireDelay = 200_000;
        harness.server.holdOutgoing = true;
        harness.start();
        harness.start();
        harness.settle();
        assertThat(harness.server.held).hasSize(2);
        byte[] first = harness.server.held.remove(0);
        long firstWire = harness.server.heldTimes.remove(0);
        harness.clock.now += 1_000 * MS; // both SYN timers due
        harness.engine.deliver(first, 0, first.length, firstWire);
        harness.settle();
        return harness;
    }
}
