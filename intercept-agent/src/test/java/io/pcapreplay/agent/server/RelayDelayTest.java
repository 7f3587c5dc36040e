package io.pcapreplay.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RelayDelayTest {

    @Test
    void shouldReportQuantilesWithinAQuarterWhenDelaysAreRecorded() {
        RelayDelay delay = new RelayDelay();
        for (int i = 1; i <= 100; i++) {
            delay.record(i * 10L);
        }

        RelayDelay.Snapshot snapshot = delay.snapshot();
        assertThat(snapshot.count()).isEqualTo(100);
        assertThat(snapshot.quantile(0.5)).isBetween(500L, 625L);
        assertThat(snapshot.quantile(0.99)).isBetween(990L, 1240L);
        assertThat(snapshot.quantile(1.0)).isBetween(1000L, 1250L);
    }

    @Test
    void shouldCountOnlyTheIntervalWhenSubtractingAnEarlierSnapshot() {
        RelayDelay delay = new RelayDelay();
        delay.record(5_000);
        RelayDelay.Snapshot earlier = delay.snapshot();
        delay.record(3);
        delay.record(-7);

        RelayDelay.Snapshot interval = delay.snapshot().since(earlier);

        assertThat(interval.count()).isEqualTo(2);
        assertThat(interval.quantile(1.0)).isEqualTo(3);
        assertThat(interval.quantile(0.5)).isZero();
        assertThat(RelayDelay.Snapshot.empty().format()).isEqualTo("no packets");
    }

    @Test
    void shouldKeepBucketBoundsOrderedWhenValuesGrow() {
        for (long value = 0; value < 1_000_000; value = value * 3 / 2 + 1) {
            assertThat(RelayDelay.upperBound(RelayDelay.bucket(value))).isGreaterThanOrEqualTo(value)
                    .isLessThanOrEqualTo(value + value / 4 + 1);
        }
    }
}
