package io.pcapreplay.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.agent.server.RelayDelay;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsLineTest {

    @Test
    void shouldShowCountersRateAndReplayersWhenPreviousLineIsGiven() {
        StatsLine previous = new StatsLine(0, 100, 90, 10, 0, 0, 0, "handshakes failed 0", RelayDelay.Snapshot.empty(),
                List.of());
        RelayDelay delay = new RelayDelay();
        delay.record(12);
        delay.record(3000);
        StatsLine now = new StatsLine(2_000_000_000L, 2100, 2000, 100, 5, -1, 1, "handshakes failed 2",
                delay.snapshot(), List.of("'engine-1': 2000 pkts 80000 B dropped 5"));

        assertThat(now.format(previous)).isEqualTo("captured 2100 routed 2000 unrouted 100 dropped 5 kernel-drops ?"
                + " truncated 1 (1000 pkt/s); relay delay p50 13 p90 3071 p99 3071 max 3071 us (2 pkts); handshakes "
                + "failed 2; replayers 1 ['engine-1': 2000 pkts 80000 B dropped 5]");
        assertThat(now.format(null)).doesNotContain("pkt/s");
    }
}
