package io.pcapreplay.tcp;

import static io.pcapreplay.tcp.EngineHarness.MS;
import static io.pcapreplay.tcp.EngineHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.pcap.RecordedSession;
import org.junit.jupiter.api.Test;

/**
 * A session start rate: the loop parks for a paced start instead of spinning, so it wakes late; the starts it missed
 * go out at once (up to {@link EngineLoop#START_CATCH_UP_NANOS} of the schedule), keeping the rate on average.
 */
class EngineStartRateTest {

    private static final int SESSIONS = 500;

    @Test
    void shouldKeepTheStartRateOnAverageWhenTheLoopWakesLate() {
        EngineHarness harness = pending(10_000); // one start every 100 µs

        harness.run(20); // the loop runs once a millisecond: every start but the first found 0-1 ms late

        assertThat(harness.server.count(TcpHeader.SYN)).as("10,000/s for 20 ms, the first at once")
            .isBetween(199L, 202L);
    }

    @Test
    void shouldNotMakeUpALongStallAsABurst() {
        EngineHarness harness = pending(10_000);
        harness.settle();
        assertThat(harness.server.count(TcpHeader.SYN)).isEqualTo(1);

        harness.clock.now += 500 * MS; // a stall: a GC pause, a suspended process
        harness.settle();

        assertThat(harness.server.count(TcpHeader.SYN)).as("at most a millisecond of the schedule made up")
            .isBetween(2L, 12L);
    }

    private static EngineHarness pending(double startRate) {
        RecordedSession session = EngineHarness.builder().exchange(text("GET"), text("OK"), 0).build();
        EngineHarness harness = new EngineHarness(session, config -> config.pacing(startRate, 10_000));
        for (int index = 0; index < SESSIONS; index++) {
            harness.start();
        }
        return harness;
    }
}
