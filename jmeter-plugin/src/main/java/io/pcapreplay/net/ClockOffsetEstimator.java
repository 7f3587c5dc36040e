package io.pcapreplay.net;

/**
 * Bounds the offset between the agent's clock and the replayer's from heartbeat probes, the way NTP's on-wire
 * protocol does (RFC 5905), keeping what the best probes say. A probe leaves the replayer at t1 (replayer clock),
 * reaches the agent at t2, its answer leaves at t3 (agent clock) and arrives at t4 (replayer clock). Transit times
 * are never negative, so the offset (agent minus replayer) lies in [t3 - t4, t2 - t1]: an interval as wide as the
 * round trip minus the agent's processing, centred on NTP's offset. Each probe's interval is widened by the most
 * the clocks can have drifted since ({@code maxDriftPpm} of its age), and the estimate is the intersection of the
 * kept intervals: its middle is the offset, half its width the uncertainty. The intersection is never wider than
 * the best probe's interval, and narrower when the shortest forward and return transits come from different probes.
 * When the window is full, a new probe replaces the kept one whose aged interval is the widest, if it is narrower:
 * the window keeps the best probes, not the latest, so that a load which makes every round trip long (CAPTURED data
 * queued ahead of the answers) cannot push the good ones out; they only age. A probe that disagrees with the kept
 * ones is always kept. An empty intersection (a clock stepped, or drifted faster than assumed) restarts from the
 * newest probe.
 *
 * <p>Replayed traffic adds upper bounds ({@link #addUpperBound}): a SYN-ACK captured at c (agent clock) answers our
 * SYN sent at s (replayer clock), so c - offset >= s, the offset is at most c - s. The tightest such bound (aged by
 * the drift bound like the probes') usually beats the probes' upper bounds by far: the path from our raw socket
 * through the target to the agent's capture is a few kernel hops, while a probe's forward transit goes through two
 * JVMs' event loops. Heartbeat round trips are rarely symmetric, so this removes most of the bias of NTP's middle.
 *
 * <p>Pure and not thread-safe: {@link AgentClock} feeds it on one thread. Tests inject every time value.
 */
public final class ClockOffsetEstimator {

    private static final long PARTS_PER_MILLION = 1_000_000;

    private final long[] lowers;
    private final long[] uppers;
    private final long[] times;
    private final long maxDriftPpm;
    private int count;
    private long newestLower;
    private long newestUpper;
    private long newestTime;
    private long causalUpper = Long.MAX_VALUE;
    private long causalTime;
    private long handshakes;
    private long rejected;
    private long restarts;

    /**
     * @param window how many recent probes to keep, at least 1
     * @param maxDriftPpm how fast the two clocks may drift apart, in parts per million (e.g. 50)
     */
    public ClockOffsetEstimator(int window, long maxDriftPpm) {
        if (window < 1) {
            throw new IllegalArgumentException("clock probe window: " + window + " (expected: at least 1)");
        }
        if (maxDriftPpm < 0) {
            throw new IllegalArgumentException("clock drift bound: " + maxDriftPpm + " ppm (expected: >= 0)");
        }
        this.lowers = new long[window];
        this.uppers = new long[window];
        this.times = new long[window];
        this.maxDriftPpm = maxDriftPpm;
    }

    /**
     * Adds one probe's four times.
     *
     * @param sent t1: the probe left the replayer (replayer clock)
     * @param agentReceived t2: it reached the agent (agent clock)
     * @param agentSent t3: the answer left the agent (agent clock)
     * @param received t4: the answer arrived (replayer clock)
     * @return false when the probe is impossible (the answer arrived before the probe left, or the agent claims to
     *     have held it longer than the round trip) and was ignored
     */
    public boolean add(long sent, long agentReceived, long agentSent, long received) {
        long lower = agentSent - received;
        long upper = agentReceived - sent;
        if (received < sent || agentSent < agentReceived || upper < lower) {
            rejected++;
            return false;
        }
        newestLower = lower;
        newestUpper = upper;
        newestTime = received;
        if (count < lowers.length) {
            keep(count++, lower, upper, received);
            return true;
        }
        int widest = 0;
        long widestWidth = Long.MIN_VALUE;
        for (int index = 0; index < count; index++) {
            long width = uppers[index] - lowers[index] + 2 * drift(received - times[index]);
            if (width > widestWidth) {
                widest = index;
                widestWidth = width;
            }
        }
        long[] kept = intersect(received);
        boolean disagrees = lower > kept[1] || upper < kept[0]; // a clock stepped: kept, estimate() restarts
        if (upper - lower < widestWidth || disagrees) {
            keep(widest, lower, upper, received);
        }
        return true;
    }

    private void keep(int index, long lower, long upper, long time) {
        lowers[index] = lower;
        uppers[index] = upper;
        times[index] = time;
    }

    /**
     * Adds an upper bound on the offset from causality (e.g. a SYN-ACK captured after our SYN left).
     *
     * @param upper the offset is at most this (agent capture time minus replayer send time)
     * @param at when it was learned (replayer clock)
     * @return true when it is the tightest upper bound now (the estimate may change)
     */
    public boolean addUpperBound(long upper, long at) {
        handshakes++;
        if (causalUpper == Long.MAX_VALUE || upper < causalUpper + drift(at - causalTime)) {
            causalUpper = upper; // the tightest now stays the tightest: all bounds age at the same rate
            causalTime = at;
            return true;
        }
        return false;
    }

    /**
     * The estimate at a given time.
     *
     * @param now the replayer's clock now (ages the probes' intervals)
     * @return the estimate, or null before the first probe
     */
    public ClockOffset estimate(long now) {
        if (count == 0) {
            return null;
        }
        long[] bounds = intersect(now);
        if (bounds[0] > bounds[1] && causalUpper != Long.MAX_VALUE) {
            causalUpper = Long.MAX_VALUE; // the clocks moved: causal bounds learned before no longer hold
            restarts++;
            bounds = intersect(now);
        }
        if (bounds[0] > bounds[1]) {
            restarts++;
            keep(0, newestLower, newestUpper, newestTime);
            count = 1;
            bounds = intersect(now);
        }
        long width = bounds[1] - bounds[0];
        return new ClockOffset(bounds[0] + width / 2, (width + 1) / 2, count, handshakes, bounds[2]);
    }

    /** Returns {lower, upper, best probe round trip} of the aged intervals' intersection. */
    private long[] intersect(long now) {
        long lower = Long.MIN_VALUE;
        long upper = Long.MAX_VALUE;
        long bestRoundTrip = Long.MAX_VALUE;
        for (int index = 0; index < count; index++) {
            long widen = drift(now - times[index]);
            lower = Math.max(lower, lowers[index] - widen);
            upper = Math.min(upper, uppers[index] + widen);
            bestRoundTrip = Math.min(bestRoundTrip, uppers[index] - lowers[index]);
        }
        if (causalUpper != Long.MAX_VALUE) {
            upper = Math.min(upper, causalUpper + drift(now - causalTime));
        }
        return new long[] {lower, upper, bestRoundTrip};
    }

    /** @return probes ignored as impossible */
    public long rejected() {
        return rejected;
    }

    /** @return how often the intervals disagreed and the estimate restarted from the newest probe */
    public long restarts() {
        return restarts;
    }

    private long drift(long age) {
        return Math.max(0, age) / PARTS_PER_MILLION * maxDriftPpm
            + Math.max(0, age) % PARTS_PER_MILLION * maxDriftPpm / PARTS_PER_MILLION;
    }
}
