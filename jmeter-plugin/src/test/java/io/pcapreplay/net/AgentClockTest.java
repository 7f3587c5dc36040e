package io.pcapreplay.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.protocol.HeartbeatMessage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The agent clock's mapping of capture timestamps onto the engine clock, with injected clocks: an engine clock near
 * zero (like System.nanoTime), a replayer wall clock, and an agent whose wall clock is 2.5 s ahead.
 */
class AgentClockTest {

    private static final long US = 1_000;
    private static final long WALL_AT_ZERO = 1_764_000_000_000_000_000L;
    private static final long AGENT_AHEAD = 2_500_000_000L;

    private final AtomicLong engine = new AtomicLong(7_000_000_000L);

    private long wall() {
        return WALL_AT_ZERO + engine.get();
    }

    private long agentWall(long engineTime) {
        return WALL_AT_ZERO + engineTime + AGENT_AHEAD;
    }

    /** A probe out, answered by the agent after the given transits; the engine clock moves on. */
    private void probe(AgentClock clock, long out, long back) {
        HeartbeatMessage probe = clock.probe();
        long arrived = engine.addAndGet(out);
        HeartbeatMessage answer = HeartbeatMessage.answer(probe, agentWall(arrived), agentWall(arrived + 5 * US));
        engine.addAndGet(5 * US + back);
        clock.onAnswer(answer);
    }

    @Test
    void shouldMapCaptureTimestampsOntoTheEngineClockWhenTheEstimateIsTrusted() {
        AgentClock clock = new AgentClock(engine::get, this::wall, 500 * US);
        assertThat(clock.toEngineNanos(agentWall(engine.get()))).as("before any answer").isEqualTo(AgentClock.UNKNOWN);
        for (int index = 0; index < AgentClock.BURST_PROBES; index++) {
            probe(clock, 40 * US + index * 7 * US, 60 * US);
        }

        assertThat(clock.trusted()).isTrue();
        ClockOffset estimate = clock.estimate();
        assertThat(Math.abs(estimate.offsetNanos() - AGENT_AHEAD)).isLessThanOrEqualTo(estimate.uncertaintyNanos());
        long captured = engine.get() - 300 * US; // a packet the agent captured 300 us ago
        assertThat(clock.toEngineNanos(agentWall(captured)) - captured).as(estimate.describe())
            .isBetween(-estimate.uncertaintyNanos(), estimate.uncertaintyNanos());
        assertThat(clock.probe().offsetNanos()).as("the estimate goes to the agent").isEqualTo(estimate.offsetNanos());
        assertThat(clock.describe()).contains("(agent - replayer) +2499", "capture timestamps");
    }

    @Test
    void shouldForgetTheEstimateAndMeasureAgainWhenResetForANewAgentConnection() throws Exception {
        AgentClock clock = new AgentClock(engine::get, this::wall, 500 * US);
        for (int index = 0; index < AgentClock.BURST_PROBES; index++) {
            probe(clock, 40 * US, 60 * US);
        }
        clock.endBurst();
        assertThat(clock.trusted()).isTrue();

        clock.reset();

        assertThat(clock.trusted()).isFalse();
        assertThat(clock.estimate()).isNull();
        assertThat(clock.toEngineNanos(agentWall(engine.get()))).isEqualTo(AgentClock.UNKNOWN);
        assertThat(clock.burstDone()).isFalse();
        assertThat(clock.awaitBurst(java.time.Duration.ofMillis(1))).as("a new burst is awaited").isFalse();
        for (int index = 0; index < AgentClock.BURST_PROBES; index++) {
            probe(clock, 40 * US, 60 * US);
        }
        assertThat(clock.burstDone()).isTrue();
        assertThat(Math.abs(clock.estimate().offsetNanos() - AGENT_AHEAD))
            .isLessThanOrEqualTo(clock.estimate().uncertaintyNanos());
    }

    @Test
    void shouldNarrowTheEstimateWhenReplayedSynAcksBoundItFromAbove() {
        AgentClock clock = new AgentClock(engine::get, this::wall, 500 * US);
        for (int index = 0; index < AgentClock.BURST_PROBES; index++) {
            probe(clock, 300 * US, 60 * US); // slow out, fast back: NTP's middle is 120 us off
        }
        ClockOffset before = clock.estimate();
        long synSent = engine.get();
        clock.answered(synSent, agentWall(synSent + 25 * US)); // the SYN-ACK was captured 25 us after our SYN left

        ClockOffset after = clock.estimate();
        assertThat(Math.abs(before.offsetNanos() - AGENT_AHEAD)).isGreaterThan(100 * US);
        assertThat(Math.abs(after.offsetNanos() - AGENT_AHEAD)).as(after.describe())
            .isLessThanOrEqualTo(after.uncertaintyNanos()).isLessThan(50 * US);
        assertThat(after.handshakes()).isEqualTo(1);
    }

    @Test
    void shouldFallBackToLocalReceiveTimeWhenTheUncertaintyIsAboveTheLimit() {
        AgentClock clock = new AgentClock(engine::get, this::wall, 500 * US);
        for (int index = 0; index < AgentClock.BURST_PROBES; index++) {
            probe(clock, 3_000 * US, 2_000 * US); // a 5 ms round trip: +/- 2.5 ms
        }

        assertThat(clock.trusted()).isFalse();
        assertThat(clock.estimate().uncertaintyNanos()).isGreaterThan(500 * US);
        assertThat(clock.toEngineNanos(agentWall(engine.get()))).isEqualTo(AgentClock.UNKNOWN);
        assertThat(clock.describe()).contains("above the limit of 500 us", "local receive time");

        probe(clock, 30 * US, 30 * US); // one good probe later
        assertThat(clock.trusted()).isTrue();
    }

    @Test
    void shouldTimeFromTheCaptureWhenAPacketWaitedLongerThanTwiceTheUncertainty() {
        AgentClock clock = new AgentClock(engine::get, this::wall, 500 * US);
        for (int index = 0; index < AgentClock.BURST_PROBES; index++) {
            probe(clock, 3_000 * US, 2_000 * US); // +/- 2.5 ms: above the limit
        }
        long uncertainty = clock.estimate().uncertaintyNanos();
        long queued = engine.get() - 300_000 * US; // captured 300 ms ago: a relay backlog, far beyond 2 x 2.5 ms

        assertThat(clock.trusted()).isFalse();
        assertThat(clock.toEngineNanos(agentWall(queued)) - queued).as("the capture time, within the uncertainty")
            .isBetween(-uncertainty, uncertainty);
        assertThat(clock.toEngineNanos(agentWall(engine.get() - uncertainty))).as("waited less than 2 x uncertainty")
            .isEqualTo(AgentClock.UNKNOWN);
    }

    @Test
    void shouldStayTrustedWhenHeartbeatsSlowDownUnderLoad() {
        AgentClock clock = new AgentClock(engine::get, this::wall, 500 * US);
        for (int index = 0; index < AgentClock.BURST_PROBES; index++) {
            probe(clock, 40 * US, 60 * US);
        }
        for (int index = 0; index < AgentClock.WINDOW + 8; index++) { // 6 s of answers queued behind packets
            engine.addAndGet(50_000 * US);
            probe(clock, 2_000 * US, 100_000 * US);
        }

        assertThat(clock.trusted()).as(clock.describe()).isTrue();
        assertThat(Math.abs(clock.estimate().offsetNanos() - AGENT_AHEAD))
            .isLessThanOrEqualTo(clock.estimate().uncertaintyNanos());
    }
}
