package io.pcapreplay.tcp;

import java.util.Objects;

/**
 * What happened to one replayed exchange. Times are engine clock nanoseconds ({@link NanoClock}); -1 when the event
 * did not happen.
 *
 * @param sessionId the session ({@link SessionHandle#id()})
 * @param exchangeIndex the exchange in its recorded session, from 0
 * @param startNanos when the exchange started: the first SYN for exchange 0, else the first request byte sent
 * @param connectEndNanos when the SYN-ACK arrived (exchange 0 only), else -1
 * @param firstByteNanos when the first response byte arrived, or -1
 * @param lastByteNanos when the last response byte arrived, or -1
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
