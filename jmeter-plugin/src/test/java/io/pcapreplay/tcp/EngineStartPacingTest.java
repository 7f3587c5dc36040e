package io.pcapreplay.tcp;

import static io.pcapreplay.tcp.EngineHarness.MS;
import static io.pcapreplay.tcp.EngineHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.pcap.RecordedSession;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The default start pacing against a target that takes at most {@value #SYNS_PER_MILLISECOND} SYNs a millisecond
 * (more are lost, like SYNs beyond a full backlog or a capture that cannot keep up) with a 1 ms round trip: users
 * started all at once, with no start rate set.
 */
@Timeout(60)
class EngineStartPacingTest {

    private static final int USERS = 2_000;
    private static final int SYNS_PER_MILLISECOND = 300;

    @Test
    void shouldCompleteEverySessionWithoutAStartRateWhenTheTargetCannotTakeABurstOfSyns() {
        Run run = new Run(builder -> { });

        run.startAll();

        assertThat(run.synsAt(0)).as("the first round trip's SYNs: the initial window")
            .isEqualTo(StartWindow.INITIAL);
        run.runMillis(12_000);
        assertThat(run.harness.results).hasSize(USERS);
        assertThat(run.harness.results).extracting(ExchangeResult::outcome).containsOnly(Outcome.OK);
        EngineStats stats = run.harness.engine.stats();
        assertThat(stats.halfOpenLimit()).as("grown with the SYN-ACKs").isGreaterThan(StartWindow.INITIAL);
        assertThat(stats.startBackOffs()).as("halved on the lost SYNs").isPositive();
    }

    @Test
    void shouldLoseSessionsToConnectTimeoutsWithoutTheWindow() {
        Run run = new Run(builder -> builder.adaptiveStarts(false));

        run.startAll();

        assertThat(run.synsAt(0)).as("every SYN at once").isEqualTo(USERS);
        run.runMillis(12_000);
        assertThat(run.harness.results).extracting(ExchangeResult::outcome).contains(Outcome.TIMEOUT);
        assertThat(run.harness.engine.stats().startBackOffs()).isZero();
    }

    /** The harness with a 1 ms round trip (every packet of the server held until the next millisecond). */
    private static final class Run {
        final EngineHarness harness;
        final Map<Long, Integer> synsPerMillisecond = new HashMap<>();

        Run(Consumer<EngineConfig.Builder> configure) {
            RecordedSession session = EngineHarness.builder()
                .exchange(text("GET /a HTTP/1.0\r\n\r\n"), text("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na"), 0)
                .build();
            harness = new EngineHarness(session, builder -> {
                builder.expectedSessions(USERS);
                configure.accept(builder);
            });
            harness.server.holdOutgoing = true;
            harness.server.drop = seen -> seen.has(TcpHeader.SYN)
                && synsPerMillisecond.merge(seen.time() / MS, 1, Integer::sum) > SYNS_PER_MILLISECOND;
        }

        void startAll() {
            for (int user = 0; user < USERS; user++) {
                harness.start();
            }
            harness.settle();
        }

        int synsAt(long millis) {
            return (int) harness.server.seen.stream()
                .filter(seen -> seen.has(TcpHeader.SYN) && seen.time() / MS == harness.clock.now / MS + millis)
                .count();
        }

        void runMillis(long millis) {
            for (long elapsed = 0; elapsed < millis && harness.results.size() < USERS; elapsed++) {
                harness.clock.now += MS;
                harness.server.release(false);
                harness.settle();
            }
        }
    }
}
