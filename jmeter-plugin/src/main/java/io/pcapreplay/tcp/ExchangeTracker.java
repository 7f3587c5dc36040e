package io.pcapreplay.tcp;

import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.packet.TcpSequence;
import io.pcapreplay.pcap.CloseKind;
import io.pcapreplay.pcap.Exchange;
import io.pcapreplay.pcap.SessionClose;
import io.pcapreplay.pcap.Side;
import java.util.Arrays;

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

    /** Starts the current exchange after its scaled think time. */
    private void next(Connection connection, long now) {
        Exchange exchange = connection.exchange();
        long think = thinkNanos(exchange);
        RequestPacer pacer = connection.handle.pacer();
        if (pacer != null && connection.exchangeIndex > 0 && exchange.requestLength() > 0) {
            think = Math.max(think, pacer.reserve(now + think) - now); // a requests-per-second limit
        }
        if (think > 0) {
            connection.state = ConnectionState.THINKING;
            connection.phaseAt = now + think;
        } else {
            begin(connection, now);
        }
    }

    private long thinkNanos(Exchange exchange) {
        if (config.speedFactor() == 0 || exchange.requestLength() == 0) {
            return 0;
        }
        return (long) (exchange.thinkTimeNanos() / config.speedFactor());
    }

    /** Think time is over: send the request (an empty request waits for a greeting). */
    void begin(Connection connection, long now) {
        connection.state = ConnectionState.EXCHANGING;
        if (connection.exchangeIndex > 0) {
            connection.startNanos = now;
            connection.resetResponse(); // stragglers of the previous response are not this one's
        }
        connection.requestStart = connection.sendNext;
        connection.requestEnd = TcpSequence.add(connection.sendNext, connection.exchange().requestLength());
        loop.sender().trySend(connection, now);
        checkComplete(connection, now);
    }

    /** After an ACK or response bytes: completes the exchange when its rules are met, else updates its deadline. */
    void checkComplete(Connection connection, long now) {
        if (connection.state != ConnectionState.EXCHANGING) {
            return;
        }
        int expected = expectedLength(connection);
        boolean acknowledged = requestAcknowledged(connection);
        if (acknowledged && (expected == 0 || connection.received >= expected)) {
            complete(connection, now, "");
            return;
        }
        long deadline = connection.startNanos + responseTimeoutNanos;
        if (acknowledged && connection.received > 0) {
            deadline = Math.min(deadline, connection.lastByteNanos + quietNanos);
        }
        connection.phaseAt = deadline;
    }

    /**
     * The response length that completes the exchange: the replayed response's own framing when the
     * {@link ResponseFraming} tells it, else the recorded length.
     */
    private int expectedLength(Connection connection) {
        int recorded = connection.exchange().responseLength();
        ResponseFraming responseFraming = framing;
        if (responseFraming == null || recorded == 0 || connection.received == 0) {
            return recorded;
        }
        byte[] kept = connection.capture;
        if (kept == null || connection.received > kept.length) {
            connection.framedLength = ResponseFraming.NOT_APPLICABLE; // the start is not all kept: cannot tell
            return recorded;
        }
        if (connection.framedLength == ResponseFraming.NOT_YET) {
            connection.framedLength = responseFraming.frame(connection.exchange(), kept, connection.received);
        }
        int framed = connection.framedLength;
        if (framed >= 0) {
            return framed;
        }
        if (framed == ResponseFraming.CHUNKED) {
            if (endsLikeLastChunk(kept, connection.received)) {
                int end = responseFraming.chunkedEnd(kept, connection.received);
                if (end >= 0) {
                    return end;
                }
            }
            return Integer.MAX_VALUE; // until the last chunk, or the quiet interval
        }
        return recorded;
    }

    private static boolean endsLikeLastChunk(byte[] bytes, int length) {
        return length >= 5 && bytes[length - 1] == '\n' && bytes[length - 2] == '\r' && bytes[length - 3] == '\n'
            && bytes[length - 4] == '\r';
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
            case SYN_SENT -> fail(connection, Outcome.TIMEOUT, "connect timeout: no SYN-ACK from "
                + loop.describeServer(connection) + " within " + config.connectTimeout().toMillis() + " ms", now);
            case THINKING -> begin(connection, now);
            case EXCHANGING -> exchangeTimer(connection, now);
            case HOLDING -> {
                writer.control(connection, TcpHeader.RST, connection.sendNext, now);
                loop.finish(connection, "idle timeout: the server did not close within "
                    + config.idleTimeout().toMillis() + " ms as recorded; reset");
            }
            case CLOSING -> {
                writer.control(connection, TcpHeader.RST, connection.sendNext, now);
                loop.finish(connection, "close timeout: the FIN exchange did not finish within "
                    + config.closeTimeout().toMillis() + " ms; reset");
            }
            default -> {
            }
        }
    }

    private void exchangeTimer(Connection connection, long now) {
        int expected = connection.exchange().responseLength();
        if (requestAcknowledged(connection) && connection.received > 0
            && now - connection.lastByteNanos >= quietNanos) {
            complete(connection, now, "response quiet after " + connection.received + " of " + expected
                + " recorded bytes");
        } else if (now - connection.startNanos >= responseTimeoutNanos) {
            String what = requestAcknowledged(connection) ? "response timeout: " + connection.received + " of "
                + expected + " response bytes" : "response timeout: request not acknowledged";
            fail(connection, Outcome.TIMEOUT, what + " after " + config.responseTimeout().toMillis() + " ms", now);
        } else {
            checkComplete(connection, now);
        }
    }

    /** Reports the current exchange OK and moves on: next exchange, or the recorded close. */
    private void complete(Connection connection, long now, String message) {
        report(connection, Outcome.OK, message);
        advance(connection, now);
        connection.phaseAt = Connection.NONE;
        if (connection.exchangeIndex < connection.session.exchangeCount()) {
            next(connection, now);
        } else {
            afterLastExchange(connection, now);
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
        SessionClose close = connection.session.close();
        if (connection.finReceived) {
            sendFin(connection, now);
        } else if (config.comet()) {
            connection.state = ConnectionState.HOLDING;
        } else if (close.by() == Side.SERVER) {
            connection.state = ConnectionState.HOLDING;
            connection.phaseAt = now + config.idleTimeout().toNanos();
        } else if (close.kind() == CloseKind.RST) {
            writer.control(connection, TcpHeader.RST, connection.sendNext, now);
            loop.finish(connection, "reset by the client as recorded");
        } else {
            sendFin(connection, now);
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
                if (connection.received > 0 && requestAcknowledged(connection)) {
                    report(connection, Outcome.OK, "response ended by the server's FIN");
                    advance(connection, now);
                    closedBeforeNext(connection, now);
                } else {
                    report(connection, Outcome.CLOSED_EARLY, "the server closed the connection before responding ("
                        + connection.received + " of " + connection.exchange().responseLength() + " bytes)");
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
            report(connection, Outcome.CLOSED_EARLY, "the server closed the connection before exchange "
                + connection.exchangeIndex);
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
        if (state == ConnectionState.EXCHANGING || state == ConnectionState.THINKING) {
            String when = state == ConnectionState.EXCHANGING ? "during exchange " : "before exchange ";
            report(connection, Outcome.RESET, "reset by the server " + when + connection.exchangeIndex + " ("
                + connection.received + " response bytes received)");
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
        byte[] response = ExchangeResult.NO_BYTES;
        if (connection.capture != null) {
            response = Arrays.copyOf(connection.capture, Math.min(connection.received, connection.capture.length));
        }
        ExchangeResult result = new ExchangeResult(connection.handle.id(), connection.exchangeIndex,
            connection.startNanos, connection.exchangeIndex == 0 ? connection.connectEndNanos : -1,
            connection.firstByteNanos, connection.lastByteNanos, acknowledged, connection.received, response,
            outcome, message);
        loop.publish(connection, result);
    }
}
