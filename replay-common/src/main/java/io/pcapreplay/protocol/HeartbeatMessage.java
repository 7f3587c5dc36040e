package io.pcapreplay.protocol;

/**
 * Both directions: "I am alive", and a clock probe (type 0x13). The replayer sends probes; the agent answers each at
 * once with a heartbeat that echoes the probe's send time and adds its own receive and send times, so that the
 * replayer can bound the offset between the two clocks as NTP does (RFC 5905 on-wire protocol): with t1 = echoed,
 * t2 = received, t3 = sent (agent clock) and t4 = when the answer arrived (replayer clock), the offset
 * (agent clock - replayer clock) lies in [t3 - t4, t2 - t1]; its middle is NTP's offset, half its width is half the
 * round trip. The replayer's later probes carry its current estimate, for the agent's log.
 * <pre>
 * +--------+--------+--------+--------+--------+--------+--------+--------+
 * |  sent: the sender's clock when it wrote this heartbeat, ns (int64)    |
 * +--------+--------+--------+--------+--------+--------+--------+--------+
 * |  echoed: agent: the sent field of the probe answered; replayer: 0      |
 * +--------+--------+--------+--------+--------+--------+--------+--------+
 * |  received: agent: its clock when that probe arrived, ns; replayer: 0  |
 * +--------+--------+--------+--------+--------+--------+--------+--------+
 * |  offset: replayer: estimated agent clock - replayer clock, ns (int64); |
 * |  UNKNOWN_OFFSET when none (always so from the agent)                   |
 * +--------+--------+--------+--------+--------+--------+--------+--------+
 * |  uncertainty: replayer: the estimate is good to +/- this, ns (int64);  |
 * |  -1 when none (always so from the agent)                               |
 * +--------+--------+--------+--------+--------+--------+--------+--------+
 * </pre>
 * The agent's clock is its wall clock (nanoseconds since the epoch, the clock of its capture timestamps); the
 * replayer's is its own (the agent only echoes it).
 *
 * @param sentNanos the sender's clock when it wrote this heartbeat
 * @param echoedNanos agent: the {@code sentNanos} of the probe it answers; replayer: 0
 * @param receivedNanos agent: its clock when that probe arrived; replayer: 0
 * @param offsetNanos replayer: its estimate of agent clock minus replayer clock; {@link #UNKNOWN_OFFSET} when none
 * @param uncertaintyNanos replayer: the estimate's uncertainty (half the width of the interval the offset lies in),
 *     at least 0; -1 when none
 */
public record HeartbeatMessage(long sentNanos, long echoedNanos, long receivedNanos, long offsetNanos,
        long uncertaintyNanos) implements AgentMessage {

    /** The offset field's value when the sender has no estimate. */
    public static final long UNKNOWN_OFFSET = Long.MIN_VALUE;

    /** Validates the uncertainty. */
    public HeartbeatMessage {
        Limits.range("heartbeat uncertainty", uncertaintyNanos, -1, Long.MAX_VALUE);
    }

    /**
     * A replayer's probe.
     *
     * @param sentNanos the replayer's clock now
     * @param offsetNanos its current estimate, or {@link #UNKNOWN_OFFSET}
     * @param uncertaintyNanos the estimate's uncertainty, or -1
     * @return the probe
     */
    public static HeartbeatMessage probe(long sentNanos, long offsetNanos, long uncertaintyNanos) {
        return new HeartbeatMessage(sentNanos, 0, 0, offsetNanos, uncertaintyNanos);
    }

    /**
     * The agent's answer to a probe.
     *
     * @param probe the probe answered
     * @param receivedNanos the agent's clock when the probe arrived
     * @param sentNanos the agent's clock now, as the answer is written
     * @return the answer
     */
    public static HeartbeatMessage answer(HeartbeatMessage probe, long receivedNanos, long sentNanos) {
        return new HeartbeatMessage(sentNanos, probe.sentNanos(), receivedNanos, UNKNOWN_OFFSET, -1);
    }

    /** @return true when the sender had an offset estimate */
    public boolean hasOffset() {
        return offsetNanos != UNKNOWN_OFFSET && uncertaintyNanos >= 0;
    }

    @Override
    public MessageType type() {
        return MessageType.HEARTBEAT;
    }
}
