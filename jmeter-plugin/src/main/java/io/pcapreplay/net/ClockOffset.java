package io.pcapreplay.net;

import java.util.Locale;

/**
 * An estimate of the offset between the agent's clock and the replayer's: the true offset lies within
 * {@code offsetNanos +/- uncertaintyNanos}, assuming the clocks drift apart no faster than the estimator's bound.
 *
 * @param offsetNanos agent clock minus replayer clock (both as wall clocks), nanoseconds
 * @param uncertaintyNanos half the width of the interval the offset lies in, at least 0
 * @param probes heartbeat probes whose bounds made the estimate
 * @param handshakes replayed handshakes whose SYN-ACKs bounded it from above (causality)
 * @param bestRoundTripNanos the shortest probe round trip among them (agent's processing excluded)
 */
public record ClockOffset(long offsetNanos, long uncertaintyNanos, int probes, long handshakes,
        long bestRoundTripNanos) {

    /** @return e.g. "+12.3 us +/- 40.5 us (8 probes, 120 handshakes, best round trip 81.0 us)" */
    public String describe() {
        return String.format(Locale.ROOT, "%+.1f us +/- %.1f us (%d probes, %d handshakes, best round trip %.1f us)",
            offsetNanos / 1e3, uncertaintyNanos / 1e3, probes, handshakes, bestRoundTripNanos / 1e3);
    }
}
