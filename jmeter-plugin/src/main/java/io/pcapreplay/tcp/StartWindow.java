package io.pcapreplay.tcp;

/**
 * The automatic start pacing of a {@link ReplayEngine} without a start rate: a window on the handshakes in flight
 * (SYN sent, no SYN-ACK yet) that grows and shrinks like TCP's congestion window, clocked by the target's answers,
 * so that a test that starts many users at once sends no burst of SYNs the target, the network or the intercept
 * agent cannot take. It starts at {@value #INITIAL} handshakes, grows by one per SYN-ACK (doubling every round trip,
 * slow start) up to the configured cap, and is halved when a SYN goes unanswered (its retransmission timer fired:
 * the SYN, or the SYN-ACK on its way to the agent, was lost) at most once per {@value #BACK_OFF_MILLIS} ms (the
 * first SYN timeout: the losses of one burst show within it); after a cut it grows by one per window's worth of
 * SYN-ACKs (congestion avoidance). Never below {@value #MINIMUM}. Event loop only.
 */
final class StartWindow {

    /** The window at the start: handshakes in flight. */
    static final int INITIAL = 256;
    /** The smallest window. */
    static final int MINIMUM = 32;
    static final long BACK_OFF_MILLIS = 1_000;
    private static final long BACK_OFF_NANOS = BACK_OFF_MILLIS * 1_000_000L;

    private final int ceiling;
    private double window;
    private double threshold;
    private long lastCut;
    private boolean cut;
    private int lowest;
    private long backOffs;

    /** @param ceiling the largest window (the configured half-open cap) */
    StartWindow(int ceiling) {
        this.ceiling = ceiling;
        this.window = Math.min(INITIAL, ceiling);
        this.threshold = ceiling;
        this.lowest = (int) window;
    }

    /** Returns the handshakes allowed in flight now. */
    int limit() {
        return (int) window;
    }

    /** A SYN was answered (SYN-ACK): the window grows. */
    void onAnswered() {
        window = Math.min(ceiling, window + (window < threshold ? 1 : 1 / window));
    }

    /** A SYN went unanswered at {@code now}: the window is halved, at most once per back-off interval. */
    void onLost(long now) {
        if (cut && now - lastCut < BACK_OFF_NANOS) {
            return;
        }
        cut = true;
        lastCut = now;
        threshold = Math.max(MINIMUM, Math.min(ceiling, window / 2));
        window = threshold;
        lowest = Math.min(lowest, (int) window);
        backOffs++;
    }

    /** Returns the smallest window so far. */
    int lowest() {
        return lowest;
    }

    /** Returns how often the window was halved. */
    long backOffs() {
        return backOffs;
    }
}
