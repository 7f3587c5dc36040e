package io.pcapreplay.tcp;

import static io.pcapreplay.tcp.EngineHarness.MS;
import static io.pcapreplay.tcp.EngineHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.pcap.RecordedSession;
import org.junit.jupiter.api.Test;

/**
 * A session start rate: the loop parks for a paced start instead of spinning, so it wakes late, and a round that reads
 * many packets takes long; the starts it missed go out in the next rounds (at most
 * {@link EngineLoop#PACED_STARTS_PER_ROUND} a round, up to {@link EngineLoop#START_CATCH_UP_NANOS} of the schedule),
 * keeping the rate on average; further behind, the schedule is pushed back and the slip counted.
 */
class EngineStartRateTest {

    @Test
    void shouldKeepTheStartRateOnAverageWhenTheLoopWakesLate() {
        EngineHarness harness = pending(10_000, 500); // one start every 100 µs

        harness.run(20); // the loop runs once a millisecond: every start but the first found 0-1 ms late

        assertThat(harness.server.count(TcpHeader.SYN)).as("10,000/s for 20 ms, the first at once")
            .isBetween(199L, 202L);
        assertThat(harness.engine.stats().startSlipNanos()).isZero();
    }

    @Test
    void shouldKeepTheStartRateWhenTheLoopRunsOnlyEveryTenMilliseconds() {
        EngineHarness harness = pending(10_000, 2_000);

        harness.run(100, 10); // rounds 10 ms apart, as when each reads a large batch of the target's packets

        assertThat(harness.server.count(TcpHeader.SYN)).as("10,000/s for 100 ms, the first at once")
            .isBetween(999L, 1_002L);
        assertThat(harness.engine.stats().startSlipNanos()).isZero();
    }

    @Test
    void shouldSpreadTheMissedStartsOverRoundsWhenTheLoopWasLate() {
        EngineHarness harness = pending(10_000, 2_000);
        harness.settle();
        harness.clock.now += 20 * MS; // 200 starts due

        harness.engine.runOnce(harness.clock.now);

        assertThat(harness.server.count(TcpHeader.SYN)).as("the first, then one round's most")
            .isEqualTo(1L + EngineLoop.PACED_STARTS_PER_ROUND);
        harness.settle();
        assertThat(harness.server.count(TcpHeader.SYN)).as("all made up in the next rounds").isBetween(200L, 202L);
    }

    @Test
    void shouldPushTheScheduleBackAndCountTheSlipWhenTheLoopStalled() {
        EngineHarness harness = pending(10_000, 2_000);
        harness.settle();
        assertThat(harness.server.count(TcpHeader.SYN)).isEqualTo(1);

        harness.clock.now += 500 * MS; // a stall: a GC pause, a suspended process
        harness.settle();

        assertThat(harness.server.count(TcpHeader.SYN)).as("at most 50 ms of the schedule made up")
            .isBetween(500L, 503L);
        assertThat(harness.engine.stats().startSlipNanos()).as("the rest pushed back")
            .isBetween(449 * MS, 451 * MS);
    }

    private static EngineHarness pending(double startRate, int sessions) {
        RecordedSession session = EngineHarness.builder().exchange(text("GET"), text("OK"), 0).build();
        EngineHarness harness = new EngineHarness(session, config -> config.pacing(startRate, 10_000));
        for (int index = 0; index < sessions; index++) {
            harness.start();
        }
        return harness;
    }
}
