package io.pcapreplay.tcp;

import static io.pcapreplay.tcp.EngineHarness.MS;
import static io.pcapreplay.tcp.EngineHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.pcap.RecordedSession;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Results are timed from the wire, not from when the loop got round to a packet, and a first request the replayer
 * sent late after its SYN-ACK does not count as the server's time; think times are honoured to the microsecond the
 * loop wakes at, not to a timer tick. Manual clock: a server that answers every packet 200 µs after it got it, with
 * a relay that hands its packets to the engine 3 ms late.
 */
class EngineTimingTest {

    private static final long US = 1_000;
    private static final long SERVER_NANOS = 200 * US;
    private static final long RELAY_NANOS = 3 * MS;

    @Test
    void shouldTimeEachExchangeFromWireTimesWhenThePacketsReachTheEngineLate() {
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(), config -> { });
        harness.server.wireDelay = SERVER_NANOS;
        harness.server.holdOutgoing = true;
        long synSent = harness.clock.now;
        harness.start();
        harness.settle(); // SYN sent; SYN-ACK on the wire 200 µs later, in the relay
        relay(harness); // the engine sees it 3 ms after the SYN: ACK and request go out now
        long requestSent = harness.clock.now;
        relay(harness); // the response was on the wire 200 µs after the request
        long thinkStart = requestSent + SERVER_NANOS; // the recorded 5 ms think time counts from there
        harness.clock.now = thinkStart + 5 * MS - 1;
        harness.settle();
        assertThat(harness.server.dataSegments()).hasSize(1);
        harness.clock.now = thinkStart + 5 * MS;
        harness.settle();
        assertThat(harness.server.dataSegments()).as("second request, sent at the think time's end").hasSize(2);
        relay(harness);
        harness.run(10);

        assertThat(harness.results).hasSize(2);
        ExchangeResult first = harness.results.get(0);
        long late = RELAY_NANOS - SERVER_NANOS; // the request was due when the SYN-ACK was on the wire
        assertThat(first.startNanos()).as("the SYN's time, moved by the replayer's delay").isEqualTo(synSent + late);
        assertThat(first.connectEndNanos() - first.startNanos()).as("connect").isEqualTo(SERVER_NANOS);
        assertThat(first.firstByteNanos() - first.startNanos()).as("latency: the handshake and the server's answer, "
            + "not the SYN-ACK's relay delay").isEqualTo(2 * SERVER_NANOS);
        assertThat(first.lastByteNanos()).isEqualTo(first.firstByteNanos());
        EngineStats stats = harness.engine.stats();
        assertThat(stats.lateFirstRequests()).isEqualTo(1);
        assertThat(stats.firstRequestLateNanos()).isEqualTo(late);
        assertThat(stats.firstRequestLateMaxNanos()).isEqualTo(late);
        ExchangeResult second = harness.results.get(1);
        assertThat(second.startNanos()).isEqualTo(thinkStart + 5 * MS);
        assertThat(second.connectEndNanos()).isEqualTo(-1);
        assertThat(second.firstByteNanos() - second.startNanos()).as("latency: the server's time only")
            .isEqualTo(SERVER_NANOS);
        assertThat(second.lastByteNanos() - second.startNanos()).as("elapsed").isEqualTo(SERVER_NANOS);
    }

    @Test
    void shouldMapPacketTimesWithTheWireClockAndReportEachSynAckAgainstItsSyn() {
        long agentAhead = 5_000 * MS; // packet times on a clock 5 s ahead of the engine's
        List<long[]> answered = new ArrayList<>();
        WireClock wireClock = new WireClock() {
            @Override
            public long toEngineNanos(long packetNanos) {
                return packetNanos - agentAhead;
            }

            @Override
            public void answered(long synSentNanos, long synAckPacketNanos) {
                answered.add(new long[] {synSentNanos, synAckPacketNanos});
            }
        };
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(), config -> { }, wireClock);
        harness.server.wireDelay = SERVER_NANOS + agentAhead;
        harness.server.holdOutgoing = true;
        long synSent = harness.clock.now;
        harness.start();
        harness.settle();
        relay(harness);
        relay(harness);

        assertThat(answered).singleElement().satisfies(pair -> {
            assertThat(pair[0]).isEqualTo(synSent);
            assertThat(pair[1]).as("the SYN-ACK's own packet time").isEqualTo(synSent + SERVER_NANOS + agentAhead);
        });
        ExchangeResult first = harness.results.get(0);
        assertThat(first.connectEndNanos() - first.startNanos()).isEqualTo(SERVER_NANOS);
        assertThat(first.firstByteNanos() - first.startNanos()).isEqualTo(2 * SERVER_NANOS);
    }

    @Test
    void shouldLeaveTheLateHandshakeAckOutWhenTheServerSpeaksFirst() {
        EngineHarness harness = started(EngineHarness.builder()
            .exchange(new byte[0], text("220 smtp ready\r\n"), 0)
            .build());
        long synSent = harness.clock.now;
        relay(harness); // the SYN-ACK reaches the engine 3 ms after the SYN: the handshake's ACK leaves now
        relay(harness); // the greeting, on the wire 200 µs after the ACK came in

        ExchangeResult first = harness.results.get(0);
        assertThat(first.startNanos()).isEqualTo(synSent + RELAY_NANOS - SERVER_NANOS);
        assertThat(first.connectEndNanos() - first.startNanos()).isEqualTo(SERVER_NANOS);
        assertThat(first.firstByteNanos() - first.startNanos()).as("the handshake and the server's greeting")
            .isEqualTo(2 * SERVER_NANOS);
        assertThat(harness.engine.stats().lateFirstRequests()).isEqualTo(1);
    }

    @Test
    void shouldCountTheRecordedThinkTimeAndNoDelayWhenTheRelayWasShorterThanIt() {
        EngineHarness harness = started(EngineHarness.builder() // the client waited 5 ms after the handshake
            .exchange(text("GET /a HTTP/1.1\r\n\r\n"), text("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na"),
                5 * MS)
            .build());
        long synSent = harness.clock.now;
        relay(harness); // the SYN-ACK reaches the engine 3 ms after the SYN, before the think time's end
        harness.clock.now = synSent + SERVER_NANOS + 5 * MS;
        harness.settle();
        relay(harness);
        harness.run(10);

        ExchangeResult first = harness.results.get(0);
        assertThat(first.startNanos()).as("the request left when due: nothing moved").isEqualTo(synSent);
        assertThat(first.firstByteNanos() - first.startNanos()).as("connect, think time, server")
            .isEqualTo(SERVER_NANOS + 5 * MS + SERVER_NANOS);
        assertThat(harness.engine.stats().lateFirstRequests()).isZero();
    }

    @Test
    void shouldTimeAtLocalReceiveTimeWhenNoWireTimeIsKnown() {
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(), config -> { });
        harness.server.holdOutgoing = true;
        harness.start();
        harness.settle();
        relay(harness);
        relay(harness);
        harness.clock.now += 5 * MS; // the think time, counted from when the engine saw the response
        harness.settle();
        relay(harness);
        harness.run(10);

        assertThat(harness.results).hasSize(2);
        ExchangeResult first = harness.results.get(0);
        assertThat(first.connectEndNanos() - first.startNanos()).as("connect: the relay delay").isEqualTo(RELAY_NANOS);
        assertThat(first.firstByteNanos() - first.startNanos()).isEqualTo(2 * RELAY_NANOS);
        ExchangeResult second = harness.results.get(1);
        assertThat(second.firstByteNanos() - second.startNanos()).as("latency: the relay delay, not the server's")
            .isEqualTo(RELAY_NANOS);
    }

    @Test
    void shouldNeverTimeAResponseBeforeItsRequestWhenAWireTimeIsTooEarly() {
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(), config -> { });
        harness.server.wireDelay = 0;
        harness.server.holdOutgoing = true;
        harness.start();
        harness.settle();
        harness.clock.now += MS;
        harness.server.heldTimes.replaceAll(time -> time - 10 * MS); // e.g. a clock offset estimate gone wrong
        harness.server.release(false);
        harness.settle();

        assertThat(harness.server.dataSegments()).hasSize(1);
        harness.clock.now += MS;
        harness.server.heldTimes.replaceAll(time -> time + 10 * MS); // after the loop's own time: taken as now
        harness.server.release(false);
        harness.settle();

        ExchangeResult first = harness.results.get(0);
        assertThat(first.connectEndNanos()).isEqualTo(first.startNanos());
        assertThat(first.firstByteNanos()).isEqualTo(harness.clock.now);
    }

    @Test
    void shouldSendTheNextRequestAtTheRecordedThinkTimeToTheMicrosecondWhenTheLoopWakesThen() {
        long think = 370 * US; // between two 100 µs ticks of the wheel, well below a millisecond
        RecordedSession session = EngineHarness.builder()
            .exchange(text("a"), text("1"), 0)
            .exchange(text("b"), text("2"), think).build();
        EngineHarness harness = new EngineHarness(session, config -> { });
        harness.start();
        harness.settle(); // the simulated server answers at once: the response's wire time is now
        long response = harness.clock.now;
        for (int step = 0; step < 100 && harness.server.dataSegments().size() < 2; step++) {
            harness.clock.now += 10 * US;
            harness.settle();
        }

        List<SimulatedServer.Seen> data = harness.server.dataSegments();
        assertThat(data).hasSize(2);
        assertThat(data.get(1).time() - response).as("think time as replayed").isBetween(think, think + 10 * US);
    }

    /**
     * One session against the 200 µs server, its packets held for the relay; the SYN sent at the clock's time
     * (unchanged by the call).
     */
    private static EngineHarness started(RecordedSession session) {
        EngineHarness harness = new EngineHarness(session, config -> { });
        harness.server.wireDelay = SERVER_NANOS;
        harness.server.holdOutgoing = true;
        harness.start();
        harness.settle();
        return harness;
    }

    /** The relay hands the server's held packets over, 3 ms after the last hand-over. */
    private static void relay(EngineHarness harness) {
        harness.clock.now += RELAY_NANOS;
        harness.server.release(false);
        harness.settle();
    }
}
