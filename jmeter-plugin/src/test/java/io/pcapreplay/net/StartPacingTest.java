package io.pcapreplay.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.tcp.EngineStats;
import org.junit.jupiter.api.Test;

/**
 * The end-of-test lines: a start rate kept, or how far the engine fell behind and what it offered instead; first
 * requests the replayer sent late.
 */
class StartPacingTest {

    @Test
    void shouldSayTheRateWasKeptWhenTheScheduleNeverSlipped() {
        assertThat(StartPacing.pacedEnd(40_000, 200_000, 0))
            .isEqualTo("start pacing: 200000 sessions started at 40000.0/s as asked (the engine was never more than "
                + "50 ms behind the schedule)");
    }

    @Test
    void shouldSayHowLateTheFirstRequestsLeftAndThatTheSamplesLeaveItOut() {
        EngineStats stats = new EngineStats(0, 0, 4, 4, 4, 0, 0, 16, 8, 16, 0, 0, 0, 0, 0, 0, 0, 256, 256, 0, 0, 0,
            2, 3_000_000, 2_500_000);

        assertThat(StartPacing.lateFirstRequests(stats)).contains("2 first request(s)", "by 1.50 ms on average",
            "at most 2.50 ms", "left out of their samples");
    }

    @Test
    void shouldSayWhatWasOfferedWhenTheSchedulePushedBack() {
        String line = StartPacing.pacedEnd(40_000, 200_000, 5_000_000_000L); // 5 s of schedule + 5 s of slip

        assertThat(line).contains("200000 sessions started, 40000.0/s asked", "pushed back by 5000 ms in all",
            "about 20000.0/s offered", "could not keep up with the rate");
    }
}
