package io.pcapreplay.tcp;

import static io.pcapreplay.tcp.EngineHarness.MS;
import static io.pcapreplay.tcp.EngineHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.pcap.RecordedSession;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnginePacingTest {

    @Test
    void shouldHoldRequestsAfterTheFirstToThePacersSlotsWhenARateIsSet() {
        RecordedSession session = EngineHarness.builder()
            .exchange(text("a"), text("1"), 0)
            .exchange(text("b"), text("2"), 0)
            .exchange(text("c"), text("3"), 0).build();
        EngineHarness harness = new EngineHarness(session, config -> { });
        RatePacer pacer = new RatePacer(10); // one request per 100 ms

        harness.engine.startSession(session, null, harness.listener, pacer);
        harness.run(400);

        List<SimulatedServer.Seen> data = harness.server.dataSegments();
        assertThat(data).hasSize(3);
        assertThat(data.get(2).time() - data.get(1).time()).as("100 ms apart").isBetween(100 * MS, 101 * MS);
        assertThat(harness.results).extracting(ExchangeResult::outcome).containsOnly(Outcome.OK);
    }

    @Test
    void shouldHandOutSlotsOneIntervalApartWhenRequestsComeTogether() {
        RatePacer pacer = new RatePacer(4);

        assertThat(pacer.reserve(1_000)).isEqualTo(1_000);
        assertThat(pacer.reserve(1_000)).isEqualTo(1_000 + 250 * MS);
        assertThat(pacer.reserve(1_000)).isEqualTo(1_000 + 500 * MS);
        assertThat(pacer.reserve(2_000 * MS)).as("after a pause: no burst credit, no wait").isEqualTo(2_000 * MS);
    }
}
