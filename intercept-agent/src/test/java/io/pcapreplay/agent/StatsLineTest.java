package io.pcapreplay.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsLineTest {

    @Test
    void shouldShowCountersRateAndReplayersWhenPreviousLineIsGiven() {
        StatsLine previous = new StatsLine(0, 100, 90, 10, 0, 0, List.of());
        StatsLine now = new StatsLine(2_000_000_000L, 2100, 2000, 100, 5, -1,
                List.of("engine-1: 2000 pkts 80000 B dropped 5"));

        assertThat(now.format(previous)).isEqualTo("captured 2100 routed 2000 unrouted 100 dropped 5 kernel-drops ?"
                + " (1000 pkt/s) replayers 1 [engine-1: 2000 pkts 80000 B dropped 5]");
        assertThat(now.format(null)).doesNotContain("pkt/s");
    }
}
