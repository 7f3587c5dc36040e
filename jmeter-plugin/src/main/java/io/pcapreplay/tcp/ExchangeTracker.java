package io.pcapreplay.tcp;

import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.packet.TcpSequence;

/**
 * The session logic above TCP: think time, when an exchange is complete, results, and closing as recorded. Event
 * loop only.
 */
final class ExchangeTracker {

    private final EngineLoop loop;
    private final EngineConfig config;
    private final SegmentWriter writer;
    private final long responseTimeoutNanos;
    private final long quietNanos;
    private volatile ResponseFraming framing;

    ExchangeTracker(EngineLoop loop, EngineConfig config, SegmentWriter writer) {
        this.loop = loop;
        this.config = config;
        this.writer = writer;
        this.responseTimeoutNanos = config.responseTimeout().toNanos();
        this.quietNanos = config.responseQuiet().toNanos();
    }

    /** The handshake is done: start the first exchange (after its think time). */
    void established(Connection connection, long now) {
        next(connection, now);
    }

    /**
     * Starts the current exchange after its scaled think time, counted from when the packet that ended the previous
     * step (the SYN-ACK, or the response's last segment) was on the wire, as a client would: the relay's delay is not
     * added to it.
     */
    private void next(Connection connection, long now) {
        // the first exchange counts from its SYN-ACK as timed (never before the SYN)
        long base = connection.exchangeIndex == 0 ? connection.connectEndNanos : loop.eventNanos(now);
        long think = ExchangeRules.pacedThinkNanos(connection.exchange(), connection.exchangeIndex,
            config.speedFactor(), connection.handle.pacer(), base);
        long due = base + think;
        if (connection.exchangeIndex == 0 && connection.exchange().requestLength() == 0) {
            leaveOutLateness(connection, now - base); // the server speaks once our handshake ACK (sent now) is in
        } else if (connection.exchangeIndex == 0) {
            connection.requestDueNanos = due;
        }
        if (due > now) {
            connection.state = ConnectionState.THINKING;
            connection.phaseAt = due;
        } else {
            begin(connection, now);
        }
    }

    /** Think time is over: send the request (an empty request waits for a greeting). */
    void begin(Connection connection, long now) {
        if (!connection.handle.mayBegin(connection.exchangeIndex)) {
            connection.state = ConnectionState.THINKING; // held by the causal gate: asked again soon
            connection.heldByGate = true;
            connection.phaseAt = now + ExchangeGate.POLL_NANOS;
            return;
        }
        connection.heldByGate = false;
        connection.state = ConnectionState.EXCHANGING;
        if (connection.exchangeIndex > 0) {
            connection.startNanos = now;
            connection.resetResponse(); // stragglers of the previous response are not this one's
        }
        connection.requestStart = connection.sendNext;
        connection.requestEnd = TcpSequence.add(connection.sendNext, connection.exchange().requestLength());
        long sent = loop.sender().trySend(connection, now);
        if (connection.exchangeIndex > 0 && sent >= 0) {
            connection.startNanos = sent; // a later exchange starts when its first request segment left
        } else if (sent >= 0 && connection.requestDueNanos >= 0) {
            leaveOutLateness(connection, sent - connection.requestDueNanos);
        }
        connection.requestDueNanos = -1;
        checkComplete(connection, now);
    }

    /**
     * The first request left later than it was due (the SYN-ACK on the wire plus the recorded think time), or, when
     * the server speaks first, the handshake's ACK left after the SYN-ACK was on the wire: that time was the
     * replayer's (the relay, its loop, a causal gate), not the server's, so the exchange's start and connect end move
     * by it and its latency and elapsed leave it out (see {@link ExchangeResult}); counted.
     */
    private void leaveOutLateness(Connection connection, long lateNanos) {
        if (lateNanos <= 0) {
            return;
        }
        connection.startNanos += lateNanos;
        connection.connectEndNanos += lateNanos;
        loop.counters().firstRequestLate(lateNanos);
    }

    /** After an ACK or response bytes: completes the exchange when its rules are met, else updates its deadline. */
    void checkComplete(Connection connection, long now) {
        if (connection.state != ConnectionState.EXCHANGING) {
            return;
        }
        int expected = expectedLength(connection);
        boolean acknowledged = requestAcknowledged(connection);
        if (acknowledged && ExchangeRules.responseComplete(expected, connection.received)) {
            complete(connection, now, "");
            return;
        }
        connection.phaseAt = ExchangeRules.deadline(connection.startNanos, connection.lastByteNanos,
            connection.received, acknowledged && !connection.responseGap(), responseTimeoutNanos, quietNanos);
    }

    /** The response length that completes the exchange (see {@link ExchangeRules#expectedLength}). */
    private int expectedLength(Connection connection) {
        ResponseFraming responseFraming = framing;
        connection.framedLength = ExchangeRules.framedState(responseFraming, connection.exchange(),
            connection.capture, connection.received, connection.framedLength);
        return ExchangeRules.expectedLength(responseFraming, connection.exchange(), connection.capture,
            connection.received, connection.framedLength);
    }

    /**
     * Sets how replayed responses are framed (null: by the recorded length only). Any thread; read on the loop.
     *
     * @param value the framing
     */
    void framing(ResponseFraming value) {
        framing = value;
    }

    private static boolean requestAcknowledged(Connection connection) {
        return TcpSequence.afterOrEqual(connection.sendUnacknowledged, connection.requestEnd);
    }

    /** The connection's phase deadline passed. */
    void onPhaseTimer(Connection connection, long now) {
        switch (connection.state) {
            case SYN_SENT -> fail(connection, Outcome.TIMEOUT, ExchangeRules.connectTimeoutMessage(
                loop.describeServer(connection), config.connectTimeout()), now);
            case THINKING -> resume(connection, now);
            case EXCHANGING -> exchangeTimer(connection, now);
            case HOLDING -> {
                writer.control(connection, TcpHeader.RST, connection.sendNext, now);
                loop.finish(connection, ExchangeRules.idleTimeoutReason(config.idleTimeout()));
            }
            case CLOSING -> {
                writer.control(connection, TcpHeader.RST, connection.sendNext, now);
                loop.finish(connection, ExchangeRules.closeTimeoutReason(config.closeTimeout()));
            }
            default -> {
            }
        }
    }

    private void exchangeTimer(Connection connection, long now) {
        int expected = connection.exchange().responseLength();
        boolean acknowledged = requestAcknowledged(connection);
        if (ExchangeRules.quiet(now, connection.lastByteNanos, connection.received,
                acknowledged && !connection.responseGap(), quietNanos)) {
            complete(connection, now, ExchangeRules.quietMessage(connection.received, expected));
        } else if (now - connection.startNanos >= responseTimeoutNanos) {
            fail(connection, Outcome.TIMEOUT, ExchangeRules.responseTimeoutMessage(
                acknowledged ? null : "request not acknowledged", connection.received, expected,
                config.responseTimeout()), now);
        } else {
            checkComplete(connection, now);
        }
    }

    /** Reports the current exchange OK and moves on: next exchange, or the recorded close. */
    private void complete(Connection connection, long now, String message) {
        report(connection, Outcome.OK, message);
        advance(connection, now);
        connection.phaseAt = Connection.NONE;
        switch (ExchangeRules.afterExchange(connection.session, connection.exchangeIndex)) {
            case NEXT -> next(connection, now);
            case AWAIT_LIVE -> awaitLive(connection, now);
            case LAST -> afterLastExchange(connection, now);
        }
    }

    /** A live session's next exchange is not captured yet: look again soon (its think time already passed live). */
    private void awaitLive(Connection connection, long now) {
        connection.state = ConnectionState.THINKING;
        connection.phaseAt = now + ExchangeRules.LIVE_POLL_NANOS;
    }

    /** The think time is over, or a live session was waited for: begin, wait on, or close. */
    private void resume(Connection connection, long now) {
        switch (ExchangeRules.afterExchange(connection.session, connection.exchangeIndex)) {
            case NEXT -> begin(connection, now);
            case AWAIT_LIVE -> awaitLive(connection, now);
            case LAST -> afterLastExchange(connection, now);
        }
    }

    /** Moves to the next exchange index; until it begins, its start is now and nothing of it was sent. */
    private static void advance(Connection connection, long now) {
        connection.exchangeIndex++;
        connection.resetResponse();
        connection.startNanos = now;
        connection.requestStart = connection.sendNext;
        connection.requestEnd = connection.sendNext;
    }

    private void afterLastExchange(Connection connection, long now) {
        switch (ExchangeRules.afterLastExchange(connection.session.close(), config.comet(),
            connection.finReceived)) {
            case HOLD -> connection.state = ConnectionState.HOLDING;
            case AWAIT_SERVER_CLOSE -> {
                connection.state = ConnectionState.HOLDING;
                connection.phaseAt = now + config.idleTimeout().toNanos();
            }
            case RST -> {
                writer.control(connection, TcpHeader.RST, connection.sendNext, now);
                loop.finish(connection, "reset by the client as recorded");
            }
            case FIN -> sendFin(connection, now);
        }
    }

    private void sendFin(Connection connection, long now) {
        if (!connection.finSent) {
            writer.control(connection, TcpHeader.FIN, connection.sendNext, now);
            connection.finSent = true;
            connection.sendNext = TcpSequence.add(connection.sendNext, 1);
            connection.retransmitAt = now + connection.rto * 1_000L;
        }
        connection.state = ConnectionState.CLOSING;
        connection.phaseAt = now + config.closeTimeout().toNanos();
    }

    /** The server's FIN arrived in order (already acknowledged). */
    void serverClosed(Connection connection, long now) {
        switch (connection.state) {
            case EXCHANGING -> {
                if ((connection.received > 0 || connection.exchange().responseLength() == 0)
                        && requestAcknowledged(connection)) { // no response was recorded: none is missing
                    report(connection, Outcome.OK, ExchangeRules.ENDED_BY_SERVER_FIN);
                    advance(connection, now);
                    closedBeforeNext(connection, now);
                } else {
                    report(connection, Outcome.CLOSED_EARLY, ExchangeRules.closedBeforeResponse(
                        connection.received, connection.exchange().responseLength()));
                    sendFin(connection, now);
                }
            }
            case THINKING -> closedBeforeNext(connection, now);
            case HOLDING -> sendFin(connection, now);
            case CLOSING -> finishIfClosed(connection);
            default -> {
            }
        }
    }

    private void closedBeforeNext(Connection connection, long now) {
        if (connection.exchangeIndex < connection.session.exchangeCount()) {
            report(connection, Outcome.CLOSED_EARLY, ExchangeRules.closedBeforeExchange(
                connection.exchangeIndex));
        }
        sendFin(connection, now);
    }

    /** In CLOSING: finishes when our FIN is acknowledged and the server's FIN arrived. */
    void finishIfClosed(Connection connection) {
        if (connection.state == ConnectionState.CLOSING && connection.finReceived
            && connection.sendUnacknowledged == connection.sendNext) {
            loop.finish(connection, "closed");
        }
    }

    /** The server reset the connection (an acceptable RST). */
    void serverReset(Connection connection) {
        ConnectionState state = connection.state;
        if (state == ConnectionState.EXCHANGING || state == ConnectionState.THINKING
                && connection.exchangeIndex < connection.session.exchangeCount()) {
            report(connection, Outcome.RESET, ExchangeRules.resetMessage(state == ConnectionState.EXCHANGING,
                connection.exchangeIndex, connection.received));
        }
        loop.finish(connection, "reset by the server");
    }

    /** Reports the current exchange failed, resets the connection and ends the session. */
    void fail(Connection connection, Outcome outcome, String message, long now) {
        if (connection.exchangeIndex < connection.session.exchangeCount()) {
            report(connection, outcome, message);
        }
        writer.control(connection, TcpHeader.RST, connection.sendNext, now);
        loop.finish(connection, message);
    }

    /** Builds and publishes the result of the current exchange. */
    void report(Connection connection, Outcome outcome, String message) {
        int acknowledged = Math.max(0, TcpSequence.distance(connection.requestStart,
            TcpSequence.min(connection.sendUnacknowledged, connection.requestEnd)));
        byte[] response = ResponseCapture.take(connection.capture, connection.received);
        connection.capture = null; // the result owns it; an idle connection holds no buffer
        ExchangeResult result = new ExchangeResult(connection.handle.id(), connection.exchangeIndex,
            connection.startNanos, connection.exchangeIndex == 0 ? connection.connectEndNanos : -1,
            connection.firstByteNanos, connection.lastByteNanos, acknowledged, connection.received, response,
            outcome, message);
        loop.publish(connection, result);
    }
}
