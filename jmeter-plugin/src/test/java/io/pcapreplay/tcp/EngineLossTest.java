package io.pcapreplay.tcp;

import static io.pcapreplay.tcp.EngineHarness.MS;
import static io.pcapreplay.tcp.EngineHarness.filled;
import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.pcap.RecordedSession;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many sessions at once with seeded random loss both ways (the simulated server retransmits after 200 ms): every
 * exchange still completes and nothing stays open. Limits are generous so that only a bug, not bad luck, fails
 * (explored: 40 seeds at 15% loss each way pass).
 */
class EngineLossTest {

    private static final int SESSIONS = 50;

    @Test
    @Timeout(60)
    void shouldCompleteEveryExchangeWhenPacketsAreLostBothWays() {
        RecordedSession session = EngineHarness.builder()
            .exchange(filled(3_000, 1), filled(5_000, 2), 0)
            .exchange(filled(200, 3), filled(9_000, 4), 20 * MS)
            .exchange(filled(5_000, 5), filled(100, 6), 0).build();
        for (long seed = 1; seed <= 10; seed++) {
            Random random = new Random(seed);
            EngineHarness harness = new EngineHarness(session, config -> config
                .connect(Duration.ofSeconds(600), 10).retransmission(15, 200_000, 60_000_000)
                .response(Duration.ofSeconds(300), Duration.ofMillis(500)));
            harness.server.drop = seen -> random.nextInt(100) < 10;
            harness.server.dropOutgoing = packet -> random.nextInt(100) < 10;
            for (int index = 0; index < SESSIONS; index++) {
                harness.start();
            }
            harness.runUntil(() -> harness.ends.size() == SESSIONS, 600_000);

            assertThat(harness.results).as("seed %d", seed).hasSize(3 * SESSIONS)
                .allSatisfy(result -> assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.OK));
            assertThat(harness.ends).as("seed %d", seed).hasSize(SESSIONS);
            assertThat(harness.engine.stats().openSessions()).isZero();
            assertThat(harness.engine.stats().retransmissions()).isPositive();
        }
    }
}
