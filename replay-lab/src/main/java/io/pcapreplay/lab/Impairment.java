package io.pcapreplay.lab;

/**
 * What {@link Lab#impair} does to a link without netem: random loss and reordering, each a percentage of the
 * packets, in both directions. Build with {@code Impairment.loss(5).reorder(25)}.
 *
 * <p>Loss: nftables drops {@code numgen random mod 100 < lossPercent} of the packets leaving each end (netdev egress,
 * after the sender's stack, before any capture on the link: the sender sees no error, the receiver nothing).
 * Reordering: nftables marks {@code reorderPercent} of the packets leaving each end, and a policy-routing rule ({@code
 * ip rule fwmark}) sends them over a second veth pair between the same two hosts, shaped by a tbf qdisc at {@code
 * slowPathRate}: they wait behind the slow path's backlog and arrive after packets sent later on the direct path. The
 * delay is the backlog's, so it grows with the traffic (no delay when the slow path is idle).
 *
 * @param lossPercent share of packets dropped, 0-100
 * @param reorderPercent share of packets sent over the slow path, 0-100
 * @param slowPathRate the slow path's tbf rate, in tc(8) syntax, e.g. "1mbit"
 */
public record Impairment(int lossPercent, int reorderPercent, String slowPathRate) {
    /** The slow path's default rate. */
    public static final String DEFAULT_SLOW_PATH_RATE = "1mbit";

    public Impairment {
        requirePercent("loss", lossPercent);
        requirePercent("reorder", reorderPercent);
        if (slowPathRate == null || !slowPathRate.matches("\\d+(\\.\\d+)?[kmg]?(bit|bps)")) {
            throw new IllegalArgumentException("impairment slow path rate: " + slowPathRate
                    + " (expected: a tc rate such as 1mbit or 500kbit)");
        }
    }

    /** Drops {@code percent} of the packets each way. */
    public static Impairment loss(int percent) {
        return new Impairment(percent, 0, DEFAULT_SLOW_PATH_RATE);
    }

    /** Reorders {@code percent} of the packets each way (no loss). */
    public static Impairment reorderOnly(int percent) {
        return new Impairment(0, percent, DEFAULT_SLOW_PATH_RATE);
    }

    /** This impairment, also reordering {@code percent} of the packets. */
    public Impairment reorder(int percent) {
        return new Impairment(lossPercent, percent, slowPathRate);
    }

    /** This impairment with another slow-path rate (lower: longer delays under the same traffic). */
    public Impairment slowPathRate(String rate) {
        return new Impairment(lossPercent, reorderPercent, rate);
    }

    private static void requirePercent(String what, int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("impairment " + what + ": " + percent + "% (expected: 0-100)");
        }
    }
}
