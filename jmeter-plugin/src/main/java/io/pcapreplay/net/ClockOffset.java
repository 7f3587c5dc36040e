package io.pcapreplay.net;

import java.util.Locale;

/**
 * An estimate of the offset between the agent's clock and the replayer's: the true offset lies within
 * {@code offsetNanos +/- uncertaintyNanos}, assuming the clocks drift apart no faster than the estimator's bound.
 *
 * @param offsetNanos agent clock minus replayer clock (both as wall clocks), nanoseconds
 * @param uncertaintyNanos half the width of the interval the offset lies in, at least 0
 * @param probes probes whose bounds made the estimate
 * @param bestRoundTripNanos the shortest probe round trip among them (agent's processing excluded)
 */
public record ClockOffset(long offsetNanos, long uncertaintyNanos, int probes, long bestRoundTripNanos) {

    /** @return e.g. "+12.3 us +/- 40.5 us (8 probes, best round trip 81.0 us)" */
    public String describe() {
        return String.format(Locale.ROOT, "%+.1f us +/- %.1f us (%d probes, best round trip %.1f us)",
            offsetNanos / 1e3, uncertaintyNanos / 1e3, probes, bestRoundTripNanos / 1e3);
    }
}
