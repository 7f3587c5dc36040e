package io.pcapreplay.tcp;

import java.nio.ByteBuffer;

/**
 * The session logic of a kernel-socket replay, the engine's ({@link ExchangeTracker}) over a socket: think time,
 * when an exchange is complete, results, and closing as recorded, with the rules both share ({@link ExchangeRules}).
 * A request counts as delivered once the socket took all of it (the kernel's ACKs are not visible here). Loop only.
 */
final class KernelExchanges {


    private final KernelLoop loop;
    private final EngineConfig config;
    private final long responseTimeoutNanos;
    private final long quietNanos;
    private volatile ResponseFraming framing;

    KernelExchanges(KernelLoop loop, EngineConfig config) {
        this.loop = loop;
        this.config = config;
        this.responseTimeoutNanos = config.responseTimeout().toNanos();
        this.quietNanos = config.responseQuiet().toNanos();
    }

    /** Sets how replayed responses are framed (null: by the recorded length); any thread, read on the loop. */
    void framing(ResponseFraming value) {
        framing = value;
    }

    /** The connect finished: start the first exchange (after its think time). */
    void established(KernelSession session, long now) {
        next(session, now);
    }

    private void next(KernelSession session, long now) {
        long think = ExchangeRules.pacedThinkNanos(session.exchange(), session.exchangeIndex, config.speedFactor(),
            session.handle.pacer(), now);
        if (think > 0) {
            session.state = ConnectionState.THINKING;
            session.phaseAt = now + think;
        } else {
            begin(session, now);
        }
    }

    /** Think time is over: write the request (an empty request waits for a greeting). */
    private void begin(KernelSession session, long now) {
        if (!session.handle.mayBegin(session.exchangeIndex)) {
            session.state = ConnectionState.THINKING; // held by the causal gate: asked again soon
            session.phaseAt = now + ExchangeGate.POLL_NANOS;
            return;
        }
        session.state = ConnectionState.EXCHANGING;
        if (session.exchangeIndex > 0) {
            session.startNanos = now;
            session.resetResponse(); // stragglers of the previous response are not this one's
        }
        session.requestWritten = 0;
        loop.writeRequest(session, now);
        checkComplete(session, now);
    }

    /** After response bytes or the end of the request: completes the exchange, else updates its deadline. */
    void checkComplete(KernelSession session, long now) {
        if (session.state != ConnectionState.EXCHANGING) {
            return;
        }
        boolean written = session.requestDelivered();
        ResponseFraming responseFraming = framing;
        session.framedLength = ExchangeRules.framedState(responseFraming, session.exchange(), session.capture,
            session.received, session.framedLength);
        int expected = ExchangeRules.expectedLength(responseFraming, session.exchange(), session.capture,
            session.received, session.framedLength);
        if (written && ExchangeRules.responseComplete(expected, session.received)) {
            complete(session, now, "");
            return;
        }
        session.phaseAt = ExchangeRules.deadline(session.startNanos, session.lastByteNanos, session.received,
            written, responseTimeoutNanos, quietNanos);
    }

    /** Response bytes, in {@code buffer} from its position; counted in any state, kept while exchanging. */
    void onBytes(KernelSession session, ByteBuffer buffer, int count, long now) {
        int limit = config.responseCaptureBytes();
        if (limit > 0 && session.received < limit && session.state == ConnectionState.EXCHANGING) {
            int copied = Math.min(count, limit - session.received);
            session.capture = ResponseCapture.ensure(session.capture, session.received, session.received + copied,
                limit, session.exchange().responseLength());
            buffer.get(session.capture, session.received, copied);
        }
        session.received += count;
        if (session.firstByteNanos < 0) {
            session.firstByteNanos = now;
        }
        session.lastByteNanos = now;
        checkComplete(session, now);
    }

    /** The session's phase deadline passed. */
    void onPhaseTimer(KernelSession session, long now) {
        switch (session.state) {
            case SYN_SENT -> fail(session, Outcome.TIMEOUT, ExchangeRules.connectTimeoutMessage(
                KernelFailures.describe(session.target), config.connectTimeout()), now);
            case THINKING -> resume(session, now);
            case EXCHANGING -> exchangeTimer(session, now);
            case HOLDING -> {
                loop.reset(session);
                loop.finish(session, ExchangeRules.idleTimeoutReason(config.idleTimeout()));
            }
            case CLOSING -> {
                loop.reset(session);
                loop.finish(session, ExchangeRules.closeTimeoutReason(config.closeTimeout()));
            }
            default -> {
            }
        }
    }

    private void exchangeTimer(KernelSession session, long now) {
        int expected = session.exchange().responseLength();
        boolean written = session.requestDelivered();
        if (ExchangeRules.quiet(now, session.lastByteNanos, session.received, written, quietNanos)) {
            complete(session, now, ExchangeRules.quietMessage(session.received, expected));
        } else if (now - session.startNanos >= responseTimeoutNanos) {
            String pending = written ? null : "request not fully sent (" + session.requestWritten + " of "
                + session.exchange().requestLength() + " bytes: the server stopped reading)";
            fail(session, Outcome.TIMEOUT, ExchangeRules.responseTimeoutMessage(pending, session.received,
                expected, config.responseTimeout()), now);
        } else {
            checkComplete(session, now);
        }
    }

    /** Reports the current exchange OK and moves on: next exchange, or the recorded close. */
    private void complete(KernelSession session, long now, String message) {
        report(session, Outcome.OK, message);
        advance(session, now);
        session.phaseAt = KernelSession.NONE;
        switch (ExchangeRules.afterExchange(session.session, session.exchangeIndex)) {
            case NEXT -> next(session, now);
            case AWAIT_LIVE -> awaitLive(session, now);
            case LAST -> afterLastExchange(session, now);
        }
    }

    /** A live session's next exchange is not captured yet: look again soon (its think time already passed live). */
    private static void awaitLive(KernelSession session, long now) {
        session.state = ConnectionState.THINKING;
        session.phaseAt = now + ExchangeRules.LIVE_POLL_NANOS;
    }

    /** The think time is over, or a live session was waited for: begin, wait on, or close. */
    private void resume(KernelSession session, long now) {
        switch (ExchangeRules.afterExchange(session.session, session.exchangeIndex)) {
            case NEXT -> begin(session, now);
            case AWAIT_LIVE -> awaitLive(session, now);
            case LAST -> afterLastExchange(session, now);
        }
    }

    private static void advance(KernelSession session, long now) {
        session.exchangeIndex++;
        session.resetResponse();
        session.startNanos = now;
        session.requestWritten = 0;
    }

    private void afterLastExchange(KernelSession session, long now) {
        session.capture = null; // nothing is reported any more
        switch (ExchangeRules.afterLastExchange(session.session.close(), config.comet(), session.finReceived)) {
            case HOLD -> session.state = ConnectionState.HOLDING;
            case AWAIT_SERVER_CLOSE -> {
                session.state = ConnectionState.HOLDING;
                session.phaseAt = now + config.idleTimeout().toNanos();
            }
            case RST -> {
                loop.reset(session);
                loop.finish(session, "reset by the client as recorded");
            }
            case FIN -> sendFin(session, now);
        }
    }

    /** Our FIN; the session ends once the server's FIN came too (at once when it already did). */
    private void sendFin(KernelSession session, long now) {
        if (!session.finSent) {
            loop.shutdownOutput(session);
            session.finSent = true;
        }
        if (session.finReceived) {
            loop.finish(session, "closed");
            return;
        }
        session.state = ConnectionState.CLOSING;
        session.phaseAt = now + config.closeTimeout().toNanos();
    }

    /** The server closed its side: the socket read its end of stream. */
    void serverClosed(KernelSession session, long now) {
        session.finReceived = true;
        switch (session.state) {
            case EXCHANGING -> {
                if ((session.received > 0 || session.exchange().responseLength() == 0)
                        && session.requestDelivered()) { // no response was recorded: none is missing
                    report(session, Outcome.OK, ExchangeRules.ENDED_BY_SERVER_FIN);
                    advance(session, now);
                    closedBeforeNext(session, now);
                } else {
                    report(session, Outcome.CLOSED_EARLY, ExchangeRules.closedBeforeResponse(session.received,
                        session.exchange().responseLength()));
                    sendFin(session, now);
                }
            }
            case THINKING -> closedBeforeNext(session, now);
            case HOLDING, CLOSING -> sendFin(session, now);
            default -> {
            }
        }
    }

    private void closedBeforeNext(KernelSession session, long now) {
        if (session.exchangeIndex < session.session.exchangeCount()) {
            report(session, Outcome.CLOSED_EARLY, ExchangeRules.closedBeforeExchange(session.exchangeIndex));
        }
        sendFin(session, now);
    }

    /** A read or write failed: a reset by the server, or the kernel gave up on the connection. */
    void ioFailed(KernelSession session, KernelFailures.Failure failure, long now) {
        if (failure.outcome() != Outcome.RESET) {
            fail(session, failure.outcome(), failure.message(), now);
            return;
        }
        ConnectionState state = session.state;
        if (state == ConnectionState.EXCHANGING || state == ConnectionState.THINKING
                && session.exchangeIndex < session.session.exchangeCount()) {
            report(session, Outcome.RESET, ExchangeRules.resetMessage(state == ConnectionState.EXCHANGING,
                session.exchangeIndex, session.received));
        }
        loop.finish(session, "reset by the server");
    }

    /** Reports the current exchange failed, resets the connection and ends the session. */
    void fail(KernelSession session, Outcome outcome, String message, long now) {
        if (session.state != ConnectionState.CLOSED && session.exchangeIndex < session.session.exchangeCount()) {
            report(session, outcome, message);
        }
        loop.reset(session);
        loop.finish(session, message);
    }

    /** Builds and publishes the result of the current exchange. */
    void report(KernelSession session, Outcome outcome, String message) {
        byte[] response = ResponseCapture.take(session.capture, session.received);
        session.capture = null; // the result owns it; an idle session holds no buffer
        ExchangeResult result = new ExchangeResult(session.handle.id(), session.exchangeIndex, session.startNanos,
            session.exchangeIndex == 0 ? session.connectEndNanos : -1, session.firstByteNanos,
            session.lastByteNanos, session.requestWritten, session.received, response, outcome, message);
        loop.publish(session, result);
    }
}
