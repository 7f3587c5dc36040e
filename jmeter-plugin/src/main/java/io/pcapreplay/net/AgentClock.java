package io.pcapreplay.net;

import io.pcapreplay.protocol.HeartbeatMessage;
import io.pcapreplay.tcp.NanoClock;
import io.pcapreplay.tcp.WireClock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps the agent's capture timestamps (its wall clock) onto the replayer's engine clock ({@link NanoClock},
 * monotonic), so that each exchange is timed from the wire rather than from when the engine got round to a packet:
 * the engine's {@link WireClock}.
 *
 * <p>The replayer's side of the heartbeat probes uses a wall clock that never jumps: a reference pair of wall and
 * engine clock read together (the tightest of a few tries) plus the engine clock's progress since. The offset
 * between the agent's clock and that one is bounded by a {@link ClockOffsetEstimator} from every probe answer
 * (window {@value #WINDOW} probes, drift bound {@value #MAX_DRIFT_PPM} ppm), and from above by every replayed
 * handshake ({@link #answered}: the SYN-ACK was captured after our SYN left). While its uncertainty is at most the
 * limit, {@link #toEngineNanos(long)} maps a capture timestamp onto the engine clock. Above it, a packet is still
 * timed from its capture timestamp when it spent longer than twice the uncertainty between capture and the engine
 * (then its receive time is later than any instant the estimate allows, and so the worse of the two); otherwise,
 * and before the first answer, {@link #UNKNOWN}: the engine times the packet when it receives it, which adds the
 * relay delay (capture, agent, network, hand-off). So a load that makes every heartbeat slow (the answers queue
 * behind captured packets) and lets the estimate's drift bound grow does not turn a relay backlog into the samples.
 * Thread-safe; the mapping is one volatile read.
 */
public final class AgentClock implements WireClock {

    /** {@link #toEngineNanos(long)}'s answer without a trusted estimate. */
    public static final long UNKNOWN = -1;
    /** System property: the largest uncertainty, in microseconds, at which capture timestamps are used. */
    public static final String MAX_UNCERTAINTY_PROPERTY = "pcapreplay.clockMaxUncertaintyMicros";
    /** Default of {@link #MAX_UNCERTAINTY_PROPERTY}: 500 us. */
    public static final long DEFAULT_MAX_UNCERTAINTY_MICROS = 500;
    /** Fewest probes answered in the burst at connect (a few milliseconds apart, before the first session). */
    public static final int BURST_PROBES = 8;
    static final int WINDOW = 32;
    static final long MAX_DRIFT_PPM = 50;

    private static final Logger LOG = LoggerFactory.getLogger(AgentClock.class);
    private static final int REFERENCE_TRIES = 7;

    private final NanoClock local;
    private final long referenceWall;
    private final long referenceLocal;
    private final long maxUncertaintyNanos;
    private ClockOffsetEstimator estimator = new ClockOffsetEstimator(WINDOW, MAX_DRIFT_PPM);
    private volatile Mapping mapping;
    private volatile ClockOffset estimate;
    private String agent = "agent";
    private int answers;
    private boolean burstOver;
    private Boolean lastTrusted;

    /**
     * @param local the engine's clock
     * @param wallNanos a wall clock, nanoseconds since the epoch
     * @param maxUncertaintyNanos above this uncertainty capture timestamps are not used
     */
    public AgentClock(NanoClock local, LongSupplier wallNanos, long maxUncertaintyNanos) {
        if (maxUncertaintyNanos < 0) {
            throw new IllegalArgumentException("clock uncertainty limit: " + maxUncertaintyNanos + " ns (expected: "
                + ">= 0)");
        }
        this.local = local;
        this.maxUncertaintyNanos = maxUncertaintyNanos;
        long bestBracket = Long.MAX_VALUE;
        long wall = 0;
        long middle = 0;
        for (int attempt = 0; attempt < REFERENCE_TRIES; attempt++) {
            long before = local.nanoTime();
            long reading = wallNanos.getAsLong();
            long after = local.nanoTime();
            if (after - before < bestBracket) {
                bestBracket = after - before;
                wall = reading;
                middle = before + (after - before) / 2;
            }
        }
        this.referenceWall = wall;
        this.referenceLocal = middle;
    }

    /**
     * The system's clocks: System.nanoTime and the wall clock at nanosecond resolution; the uncertainty limit from
     * {@value #MAX_UNCERTAINTY_PROPERTY} (default {@value #DEFAULT_MAX_UNCERTAINTY_MICROS} us).
     *
     * @return a new clock
     */
    public static AgentClock system() {
        long micros = Long.getLong(MAX_UNCERTAINTY_PROPERTY, DEFAULT_MAX_UNCERTAINTY_MICROS);
        return new AgentClock(NanoClock.SYSTEM, AgentClock::wallNanos, Math.max(0, micros) * 1_000);
    }

    private static long wallNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /**
     * Forgets the estimate, before connecting to the agent again (it may have restarted, or on another host): capture
     * timestamps are not used until a new burst of probes gives a trusted estimate.
     */
    synchronized void reset() {
        estimator = new ClockOffsetEstimator(WINDOW, MAX_DRIFT_PPM);
        mapping = null;
        estimate = null;
        answers = 0;
        burstOver = false;
        lastTrusted = null;
    }

    /** Names the agent in the log lines. */
    synchronized void agent(String name) {
        this.agent = name;
    }

    /** @return the replayer's probe clock now: a wall clock that advances with the engine clock */
    long now() {
        return referenceWall + (local.nanoTime() - referenceLocal);
    }

    /** @return a probe to send now, carrying the current estimate for the agent's log */
    HeartbeatMessage probe() {
        ClockOffset current = estimate;
        return current == null ? HeartbeatMessage.probe(now(), HeartbeatMessage.UNKNOWN_OFFSET, -1)
            : HeartbeatMessage.probe(now(), current.offsetNanos(), current.uncertaintyNanos());
    }

    /**
     * Takes the agent's answer to a probe; call it as soon as the answer is read.
     *
     * @param answer the agent's heartbeat
     */
    void onAnswer(HeartbeatMessage answer) {
        long received = now();
        synchronized (this) {
            if (!estimator.add(answer.echoedNanos(), answer.receivedNanos(), answer.sentNanos(), received)) {
                return;
            }
            answers++;
            update(received);
            notifyAll();
        }
    }

    /**
     * A replayed SYN-ACK, captured at {@code synAckPacketNanos} (agent clock), answered our SYN sent at
     * {@code synSentNanos} (engine clock): the offset is at most their difference. On the engine's loop.
     */
    @Override
    public void answered(long synSentNanos, long synAckPacketNanos) {
        long upper = synAckPacketNanos - (referenceWall + (synSentNanos - referenceLocal));
        long now = now();
        synchronized (this) {
            if (estimator.addUpperBound(upper, now) && answers > 0) {
                update(now);
            }
        }
    }

    /** Recomputes the estimate and the mapping; logs a change of trust after the burst. */
    private void update(long now) {
        ClockOffset current = estimator.estimate(now);
        estimate = current;
        boolean trusted = current.uncertaintyNanos() <= maxUncertaintyNanos;
        mapping = new Mapping(current.offsetNanos() + referenceWall - referenceLocal, current.uncertaintyNanos());
        if (burstOver && lastTrusted != null && lastTrusted != trusted) {
            if (trusted) {
                LOG.info("agent {} clock offset now {}: samples timed from capture timestamps again", agent,
                    current.describe());
            } else {
                LOG.warn("agent {} clock offset now {}: above the limit of {} us, a packet is timed at local "
                    + "receive time (adds the relay delay) unless it spent longer than twice the uncertainty in "
                    + "the relay", agent, current.describe(), maxUncertaintyNanos / 1_000);
            }
        }
        lastTrusted = trusted;
    }

    /**
     * Maps an agent capture timestamp onto the engine clock.
     *
     * @param agentNanos a capture timestamp, the agent's clock
     * @return the engine clock's value at that instant, or {@link #UNKNOWN} when the receive time is the better
     *     guess (no estimate yet, or one above the limit and a packet that did not wait twice its uncertainty)
     */
    @Override
    public long toEngineNanos(long agentNanos) {
        Mapping current = mapping;
        if (current == null) {
            return UNKNOWN;
        }
        long engine = agentNanos - current.shiftNanos();
        if (current.uncertaintyNanos() <= maxUncertaintyNanos
                || local.nanoTime() - engine > 2 * current.uncertaintyNanos()) {
            return engine;
        }
        return UNKNOWN;
    }

    /** @return the latest estimate, or null before the first answer */
    public ClockOffset estimate() {
        return estimate;
    }

    /** @return true when capture timestamps are used: an estimate within the uncertainty limit */
    public boolean trusted() {
        Mapping current = mapping;
        return current != null && current.uncertaintyNanos() <= maxUncertaintyNanos;
    }

    /** @return the uncertainty limit, nanoseconds */
    public long maxUncertaintyNanos() {
        return maxUncertaintyNanos;
    }

    /** Tells whether the burst at connect may end: enough answers and a trusted estimate. */
    synchronized boolean burstDone() {
        return answers >= BURST_PROBES && trusted();
    }

    /** The burst at connect is over (done, or out of time); wakes {@link #awaitBurst}. */
    synchronized void endBurst() {
        burstOver = true;
        notifyAll();
    }

    /**
     * Waits until the burst of probes at connect is over: the estimate is trusted after at least
     * {@value #BURST_PROBES} answers, or the burst ran out of time.
     *
     * @param timeout the longest wait
     * @return true when the burst ended in time
     * @throws InterruptedException when interrupted
     */
    public synchronized boolean awaitBurst(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!burstOver) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** @return a log line: the estimate and whether samples are timed from the wire */
    public String describe() {
        ClockOffset current = estimate;
        if (current == null) {
            return "no clock offset estimate (no heartbeat answered yet): samples are timed at local receive time "
                + "(adds the relay delay)";
        }
        return "clock offset (agent - replayer) " + current.describe() + (trusted()
            ? ": samples are timed from the agent's capture timestamps"
            : ": above the limit of " + maxUncertaintyNanos / 1_000 + " us (-D" + MAX_UNCERTAINTY_PROPERTY
                + "), samples are timed at local receive time (adds the relay delay) unless a packet spent longer "
                + "than twice the uncertainty in the relay");
    }

    /**
     * Capture timestamp minus this to get the engine clock, with the estimate's uncertainty.
     *
     * @param shiftNanos agent clock minus engine clock
     * @param uncertaintyNanos half the width of the offset's interval
     */
    private record Mapping(long shiftNanos, long uncertaintyNanos) {
    }
}
