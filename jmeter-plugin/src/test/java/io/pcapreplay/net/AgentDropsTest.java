package io.pcapreplay.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.protocol.StatsMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AgentDropsTest {

    private Instant now = Instant.parse("2026-01-01T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final AgentDrops drops = new AgentDrops("198.19.0.3:36524", clock);

    @Test
    void shouldTakeTheFirstStatsAsTheKernelBaselineAndWarnWhenDropsGrow() {
        int connection = drops.connected();
        assertThat(drops.onStats(connection, stats(0, 1_000))).as("drops before this run are not ours").isNull();
        assertThat(drops.onStats(connection, stats(0, 1_000))).isNull();

        now = now.plusSeconds(5);
        String line = drops.onStats(connection, stats(3, 1_250));

        assertThat(line).isEqualTo("agent 198.19.0.3:36524 dropped 250 packets (kernel) / 3 (queue for this "
            + "replayer) since 10:00:00; the engine retransmits (fewer with a larger agent --buffer-mib / "
            + "--queue-mib, or a lower session start rate)");
        assertThat(drops.kernelDrops()).isEqualTo(250);
        assertThat(drops.queueDrops()).isEqualTo(3);
        assertThat(drops.any()).isTrue();
    }

    @Test
    void shouldWarnAtMostOncePerIntervalAndCarryTheRestToTheNextWarning() {
        int connection = drops.connected();
        drops.onStats(connection, stats(0, 0));
        assertThat(drops.onStats(connection, stats(0, 10))).contains("dropped 10 packets (kernel)");

        now = now.plus(AgentDrops.WARN_INTERVAL.minusSeconds(1));
        assertThat(drops.onStats(connection, stats(0, 30))).as("rate-limited").isNull();
        assertThat(drops.onStats(connection, stats(0, 30))).isNull();
        now = now.plusSeconds(1);
        assertThat(drops.onStats(connection, stats(0, 30))).as("the 20 held back, since the last warning")
            .contains("dropped 20 packets (kernel) / 0 (queue", "since 10:00:00");
        now = now.plus(Duration.ofMinutes(5));
        assertThat(drops.onStats(connection, stats(0, 30))).as("no change: no line").isNull();
        assertThat(drops.summary("")).isEqualTo("agent 198.19.0.3:36524 dropped 30 packets (kernel) / 0 (queue for "
            + "this replayer) during the test since 10:00:00");
    }

    @Test
    void shouldStartCountingAgainOnANewConnectionAndIgnoreTheOldOnesStats() {
        int first = drops.connected();
        drops.onStats(first, stats(0, 100));
        drops.onStats(first, stats(2, 140));
        int second = drops.connected();
        assertThat(drops.onStats(first, stats(9, 900))).as("a late STATS of the old connection").isNull();

        now = now.plus(Duration.ofMinutes(1));
        assertThat(drops.onStats(second, stats(0, 5))).as("the restarted agent's counter is a new baseline")
            .isNull();
        assertThat(drops.onStats(second, stats(1, 12))).contains("dropped 7 packets (kernel) / 1 (queue");

        assertThat(drops.kernelDrops()).isEqualTo(47);
        assertThat(drops.queueDrops()).isEqualTo(3);
    }

    @Test
    void shouldSayWhenNothingWasDroppedOrNothingIsKnown() {
        assertThat(drops.summary("engine: 0 retransmission(s)")).isEqualTo("agent 198.19.0.3:36524: no STATS "
            + "received since 10:00:00 (is its --stats-interval 0?): its drops are unknown; engine: 0 "
            + "retransmission(s)");
        int connection = drops.connected();
        drops.onStats(connection, stats(0, 7));
        drops.onStats(connection, stats(0, 7));
        assertThat(drops.any()).isFalse();
        assertThat(drops.summary("")).isEqualTo("agent 198.19.0.3:36524: no packet dropped during the test since "
            + "10:00:00 (kernel 0, queue for this replayer 0)");

        AgentDrops unknown = new AgentDrops("198.19.0.3:1", clock);
        int only = unknown.connected();
        unknown.onStats(only, stats(0, -1));
        assertThat(unknown.summary("")).isEqualTo("agent 198.19.0.3:1 dropped an unknown number of (its capture "
            + "gives no count) packets (kernel) / 0 (queue for this replayer) during the test since 10:00:00");
    }

    private static StatsMessage stats(long queueDrops, long kernelDrops) {
        return new StatsMessage(100, 90, 10, 90 - queueDrops, queueDrops, 9_000, kernelDrops);
    }
}
