package io.pcapreplay.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The offset estimate against a simulated agent clock: skewed (an epoch-based clock against a replayer clock near
 * zero), drifting (20 ppm), with jittery, asymmetric transits and occasional long stalls. Every estimate must hold
 * the true offset within its uncertainty; with good probes the uncertainty is about half the best round trip.
 */
class ClockOffsetEstimatorTest {

    private static final long US = 1_000;
    private static final long SECOND = 1_000_000_000L;
    /** e.g. NTP stepped the agent's clock by 10 ms. */
    private static final long STEP = 10_000 * US;

    /** A simulated pair of clocks and a network between them; time is the replayer's clock. */
    private static final class Simulation {
        final SplittableRandom random = new SplittableRandom(7);
        final long skew;
        final double driftPpm;
        final long forwardMinimum;
        final long returnMinimum;
        long now = 5 * SECOND;

        Simulation(long skew, double driftPpm, long forwardMinimum, long returnMinimum) {
            this.skew = skew;
            this.driftPpm = driftPpm;
            this.forwardMinimum = forwardMinimum;
            this.returnMinimum = returnMinimum;
        }

        long agentClock(long replayerTime) {
            return skew + replayerTime + (long) (replayerTime * driftPpm / 1e6);
        }

        long trueOffset(long replayerTime) {
            return agentClock(replayerTime) - replayerTime;
        }

        long transit(long minimum) {
            long jitter = (long) (-Math.log(1 - random.nextDouble()) * 150 * US); // exponential, mean 150 us
            return minimum + jitter + (random.nextInt(20) == 0 ? 5_000 * US : 0); // and 1 in 20 stalls 5 ms
        }

        /** One probe through the network; returns false when the estimator refused it. */
        boolean probe(ClockOffsetEstimator estimator) {
            long sent = now;
            long arrived = sent + transit(forwardMinimum);
            long answered = arrived + 5 * US + random.nextLong(40 * US);
            long received = answered + transit(returnMinimum);
            now = received;
            return estimator.add(sent, agentClock(arrived), agentClock(answered), received);
        }
    }

    @Test
    void shouldHoldTheTrueOffsetWithinTheUncertaintyWhenTheAgentClockIsSkewedDriftingAndJittery() {
        Simulation simulation = new Simulation(1_764_000_000_000_000_000L, 20, 30 * US, 30 * US);
        ClockOffsetEstimator estimator = new ClockOffsetEstimator(32, 50);
        for (int probe = 0; probe < 400; probe++) {
            assertThat(simulation.probe(estimator)).isTrue();
            ClockOffset estimate = estimator.estimate(simulation.now);
            long error = estimate.offsetNanos() - simulation.trueOffset(simulation.now);
            assertThat(Math.abs(error)).as("probe %d: %s", probe, estimate.describe())
                .isLessThanOrEqualTo(estimate.uncertaintyNanos());
            if (probe >= 8) {
                assertThat(estimate.uncertaintyNanos()).as("probe %d: %s", probe, estimate.describe())
                    .isLessThan(200 * US);
            }
            simulation.now += probe < 8 ? 3_000_000L : SECOND / 4; // a burst at connect, then 4 a second
        }
        assertThat(estimator.restarts()).isZero();
    }

    @Test
    void shouldStayWithinTheUncertaintyWhenTheTransitsAreAsymmetric() {
        // NTP's midpoint is off by half the difference of the two transits: 0.5 ms out, 0.1 ms back
        Simulation simulation = new Simulation(-2 * SECOND, -10, 500 * US, 100 * US);
        ClockOffsetEstimator estimator = new ClockOffsetEstimator(32, 50);
        for (int probe = 0; probe < 50; probe++) {
            simulation.probe(estimator);
            ClockOffset estimate = estimator.estimate(simulation.now);
            long error = estimate.offsetNanos() - simulation.trueOffset(simulation.now);
            assertThat(Math.abs(error)).as(estimate.describe()).isLessThanOrEqualTo(estimate.uncertaintyNanos());
            assertThat(estimate.uncertaintyNanos()).as("at least half the minimum round trip")
                .isGreaterThanOrEqualTo(300 * US);
            simulation.now += 100 * 1_000_000L;
        }
    }

    @Test
    void shouldRemoveMostOfTheAsymmetryWhenReplayedHandshakesBoundTheOffsetFromAbove() {
        Simulation simulation = new Simulation(-2 * SECOND, 10, 500 * US, 100 * US);
        ClockOffsetEstimator estimator = new ClockOffsetEstimator(32, 50);
        for (int probe = 0; probe < 20; probe++) {
            simulation.probe(estimator);
            simulation.now += 100 * 1_000_000L;
        }
        ClockOffset probesOnly = estimator.estimate(simulation.now);
        for (int handshake = 0; handshake < 200; handshake++) {
            // a SYN leaves now; the target's SYN-ACK is captured 30 us (plus jitter) later, agent clock
            long synSent = simulation.now;
            long captured = simulation.agentClock(synSent + 30 * US + simulation.random.nextLong(200 * US));
            estimator.addUpperBound(captured - synSent, synSent);
            simulation.now += 2 * 1_000_000L;
        }

        ClockOffset estimate = estimator.estimate(simulation.now);
        long error = estimate.offsetNanos() - simulation.trueOffset(simulation.now);
        assertThat(Math.abs(error)).as(estimate.describe()).isLessThanOrEqualTo(estimate.uncertaintyNanos());
        assertThat(estimate.uncertaintyNanos()).as("was %s", probesOnly.describe())
            .isLessThan(probesOnly.uncertaintyNanos() / 2);
        assertThat(estimate.handshakes()).isEqualTo(200);
    }

    @Test
    void shouldForgetTheHandshakeBoundWhenTheAgentClockStepsForward() {
        ClockOffsetEstimator estimator = new ClockOffsetEstimator(8, 0);
        estimator.add(0, 50 * US, 50 * US, 100 * US); // offset in [-50, +50] us
        estimator.addUpperBound(10 * US, 100 * US);
        assertThat(estimator.estimate(100 * US).uncertaintyNanos()).isEqualTo(30 * US);

        estimator.add(SECOND, SECOND + 5_050 * US, SECOND + 5_050 * US, SECOND + 100 * US); // stepped by 5 ms

        ClockOffset estimate = estimator.estimate(SECOND + 100 * US);
        assertThat(estimator.restarts()).isEqualTo(2);
        assertThat(estimate.offsetNanos()).isEqualTo(5_000 * US);
    }

    @Test
    void shouldBeNarrowerThanTheBestProbeWhenTheShortestTransitsComeFromDifferentProbes() {
        ClockOffsetEstimator estimator = new ClockOffsetEstimator(8, 0);
        long offset = 1_000 * US;
        // probe 1: fast out (10 us), slow back (90 us); probe 2: slow out (90 us), fast back (10 us)
        estimator.add(0, offset + 10 * US, offset + 10 * US, 100 * US);
        estimator.add(200 * US, offset + 290 * US, offset + 290 * US, 300 * US);

        ClockOffset estimate = estimator.estimate(300 * US);
        assertThat(estimate.bestRoundTripNanos()).isEqualTo(100 * US);
        assertThat(estimate.offsetNanos()).isEqualTo(offset);
        assertThat(estimate.uncertaintyNanos()).as("intersection of two 100 us wide intervals").isEqualTo(10 * US);
        assertThat(estimate.probes()).isEqualTo(2);
    }

    @Test
    void shouldWidenAnOldProbeByTheDriftBoundWhenTimePasses() {
        ClockOffsetEstimator estimator = new ClockOffsetEstimator(8, 50);
        estimator.add(0, 40 * US, 40 * US, 80 * US);

        assertThat(estimator.estimate(80 * US).uncertaintyNanos()).isEqualTo(40 * US);
        assertThat(estimator.estimate(80 * US + 10 * SECOND).uncertaintyNanos()).as("+ 50 ppm of 10 s")
            .isEqualTo(40 * US + 500 * US);
    }

    @Test
    void shouldRestartFromTheNewestProbeWhenTheAgentClockSteps() {
        Stepped stepped = stepAfterTenProbes(32, 30 * US);

        ClockOffset estimate = stepped.estimator().estimate(stepped.now());
        assertThat(stepped.estimator().restarts()).isEqualTo(1);
        assertThat(estimate.probes()).isEqualTo(1);
        assertThat(Math.abs(estimate.offsetNanos() - STEP)).isLessThanOrEqualTo(estimate.uncertaintyNanos());
    }

    /** The estimator after ten probes a second apart, then one after the agent's clock stepped by {@link #STEP}. */
    private static Stepped stepAfterTenProbes(int window, long transitAfterStep) {
        Simulation simulation = new Simulation(0, 0, 30 * US, 30 * US);
        ClockOffsetEstimator estimator = new ClockOffsetEstimator(window, 50);
        for (int probe = 0; probe < 10; probe++) {
            simulation.probe(estimator);
            simulation.now += SECOND;
        }
        Simulation after = new Simulation(STEP, 0, transitAfterStep, transitAfterStep);
        after.now = simulation.now;
        after.probe(estimator);
        return new Stepped(estimator, after.now);
    }

    private record Stepped(ClockOffsetEstimator estimator, long now) {
    }

    @Test
    void shouldKeepTheTightestProbesWhenLaterProbesAreWide() {
        ClockOffsetEstimator estimator = new ClockOffsetEstimator(4, 50);
        long offset = 2_000 * US;
        estimator.add(0, offset + 20 * US, offset + 20 * US, 40 * US); // a 40 us round trip
        long now = 40 * US;
        for (int probe = 0; probe < 10; probe++) { // then 10 ms round trips, e.g. answers behind captured packets
            now += 200_000 * US;
            estimator.add(now, offset + now + 1_000 * US, offset + now + 1_000 * US, now + 10_000 * US);
        }
        now += 10_000 * US;

        ClockOffset estimate = estimator.estimate(now);
        assertThat(estimate.uncertaintyNanos()).as("the tight probe, aged 2 s at 50 ppm")
            .isLessThanOrEqualTo(20 * US + 101 * US);
        assertThat(Math.abs(estimate.offsetNanos() - offset)).isLessThanOrEqualTo(estimate.uncertaintyNanos());
    }

    @Test
    void shouldRestartWhenTheAgentClockStepsAfterTheWindowFilledWithBetterProbes() {
        Stepped stepped = stepAfterTenProbes(4, 300 * US); // the new probe is wider than every kept one

        ClockOffset estimate = stepped.estimator().estimate(stepped.now());
        assertThat(stepped.estimator().restarts()).isEqualTo(1);
        assertThat(Math.abs(estimate.offsetNanos() - STEP)).isLessThanOrEqualTo(estimate.uncertaintyNanos());
    }

    @Test
    void shouldIgnoreAProbeWhenItsTimesAreImpossible() {
        ClockOffsetEstimator estimator = new ClockOffsetEstimator(8, 50);

        assertThat(estimator.add(100, 0, 0, 50)).as("answer before the probe").isFalse();
        assertThat(estimator.add(0, 10, 5, 100)).as("agent sent before it received").isFalse();
        assertThat(estimator.add(0, 10, 500, 100)).as("agent held it longer than the round trip").isFalse();
        assertThat(estimator.rejected()).isEqualTo(3);
        assertThat(estimator.estimate(100)).isNull();
        assertThatThrownBy(() -> new ClockOffsetEstimator(0, 50)).hasMessageContaining("clock probe window: 0");
    }
}
