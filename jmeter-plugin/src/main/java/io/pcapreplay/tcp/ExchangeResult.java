package io.pcapreplay.tcp;

import java.util.Objects;

/**
 * What happened to one replayed exchange. Times are engine clock nanoseconds ({@link NanoClock}); -1 when the event
 * did not happen. They are times on the wire, not when the engine got round to a packet:
 * <ul>
 *   <li>a packet sent is timed right before it is handed to the packet sender (raw socket, datalink), encoded and
 *   ready: it cannot be on the wire earlier, and the call may return after the target already answered (veth) or
 *   late (preempted);</li>
 *   <li>a packet received is timed with the wire time given to {@link ReplayEngine#deliver(byte[], int, int, long)}:
 *   the agent's capture timestamp mapped onto the engine clock (see {@code io.pcapreplay.net.AgentClock}), or, when
 *   none is known (no trusted clock offset estimate), when the engine took the packet, which adds the relay delay;
 *   never before the exchange's start, never after the engine saw it.</li>
 * </ul>
 * The first exchange's request can only leave once the replayer has the SYN-ACK (relayed by the agent) and its
 * loop gets round to it; when it leaves later than due (the SYN-ACK on the wire plus the recorded think time; where
 * the server speaks first, the handshake's ACK after the SYN-ACK on the wire), the difference is the replayer's
 * time, not the server's: the exchange's start and connect end are moved later by it,
 * so that connect stays the handshake's and latency and elapsed leave it out (under a saturated replayer this was
 * hundreds of milliseconds). A transport that reads the kernel's own timestamps (e.g. a kernel socket) times its
 * results the same way.
 * JMeter's samples are made of them as its HTTP sampler does (see {@code ExchangeSamples}): connect =
 * {@code connectEndNanos - startNanos}, latency = {@code firstByteNanos - startNanos}, elapsed =
 * {@code lastByteNanos - startNanos}.
 *
 * @param sessionId the session ({@link SessionHandle#id()})
 * @param exchangeIndex the exchange in its recorded session, from 0
 * @param startNanos when the exchange started: exchange 0 when its first SYN left (so connect time and any think
 *     time after the handshake count in its latency, as in JMeter), moved later by how late its request left; a
 *     later exchange when the first segment of its request left (an exchange without request bytes: when it began,
 *     after its think time)
 * @param connectEndNanos when the SYN-ACK was on the wire (exchange 0 only; moved as its start is), else -1
 * @param firstByteNanos when the segment with the first response byte was on the wire, or -1
 * @param lastByteNanos when the segment with the last response byte was on the wire, or -1
 * @param bytesSent request bytes acknowledged by the server
 * @param bytesReceived response bytes received
 * @param response the first response bytes, up to the configured cap (empty when the cap is 0); not copied
 * @param outcome how it ended
 * @param message details, e.g. which timeout; "" for OK
 */
public record ExchangeResult(long sessionId, int exchangeIndex, long startNanos, long connectEndNanos,
                             long firstByteNanos, long lastByteNanos, long bytesSent, long bytesReceived,
                             byte[] response, Outcome outcome, String message) {

    /** Shared empty response. */
    static final byte[] NO_BYTES = new byte[0];

    /** Validates the fields. */
    public ExchangeResult {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(message, "message");
    }

    /** Returns the captured response bytes: a copy. */
    @Override
    public byte[] response() {
        return response.clone();
    }

    /**
     * Returns the captured response bytes themselves, not a copy, for a consumer that owns the result (the sample
     * made of it): read them, never change them.
     */
    public byte[] keptResponse() {
        return response;
    }

    /** Returns how many response bytes the result kept (no copy). */
    public int keptLength() {
        return response.length;
    }

    /** Tells whether the outcome is OK: whether it is. */
    public boolean ok() {
        return outcome == Outcome.OK;
    }

    @Override
    public String toString() {
        return "session " + sessionId + " exchange " + exchangeIndex + ": " + outcome
            + (message.isEmpty() ? "" : " (" + message + ")") + ", sent " + bytesSent + ", received "
            + bytesReceived;
    }
}
