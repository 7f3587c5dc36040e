package io.pcapreplay.tcp;

import io.pcapreplay.pcap.CloseKind;
import io.pcapreplay.pcap.Exchange;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.pcap.SessionClose;
import io.pcapreplay.pcap.Side;
import java.time.Duration;

/**
 * The session rules every replayer shares, whatever carries the bytes (the engine's user-space TCP over raw IP, or
 * kernel sockets): the think time scaled by the speed factor (and held to a requests-per-second pacer), when an
 * exchange is complete (the replayed response's own framing or the recorded response length arrived, or the stream
 * stayed quiet), its deadline, what follows the last exchange (the close as recorded),
 * and the results' messages. Pure functions.
 */
final class ExchangeRules {

    /** The message of an exchange whose response the server's FIN ended (an OK result). */
    static final String ENDED_BY_SERVER_FIN = "response ended by the server's FIN";

    /** What a replayer does after the last exchange. */
    enum AfterLast {
        /** Close with a FIN (recorded client FIN, or the server already closed). */
        FIN,
        /** Reset the connection: the client reset it in the recording. */
        RST,
        /** Comet mode: hold the connection until the server closes it or the replayer stops. */
        HOLD,
        /** The server closed first in the recording: wait for its close, at most the idle timeout. */
        AWAIT_SERVER_CLOSE
    }

    /** How often a replayer that reached the end of a growing (live) session looks for its next exchange: 1 ms. */
    static final long LIVE_POLL_NANOS = 1_000_000L;

    private ExchangeRules() {
    }

    /** What a replayer does once an exchange is over. */
    enum AfterExchange {
        /** Start the next exchange (after its think time). */
        NEXT,
        /** A live session whose next exchange is not captured yet: look again after {@link #LIVE_POLL_NANOS}. */
        AWAIT_LIVE,
        /** The session has no more exchanges: its close. */
        LAST
    }

    /**
     * Tells what follows an exchange.
     *
     * @param session the session replayed
     * @param nextIndex the index of the next exchange
     * @return next, wait for a live session to grow, or the close
     */
    static AfterExchange afterExchange(RecordedSession session, int nextIndex) {
        boolean growing = session.isGrowing(); // first: once it reads false, the count read after it is final
        if (nextIndex < session.exchangeCount()) {
            return AfterExchange.NEXT;
        }
        return growing ? AfterExchange.AWAIT_LIVE : AfterExchange.LAST;
    }

    /** Returns the think time before an exchange's request, divided by the speed factor (0: none): nanoseconds. */
    static long thinkNanos(Exchange exchange, double speedFactor) {
        if (speedFactor == 0 || exchange.requestLength() == 0) {
            return 0;
        }
        return (long) (exchange.thinkTimeNanos() / speedFactor);
    }

    /**
     * Returns the wait before an exchange's request: its scaled think time, and, after the first exchange, at least
     * until the pacer's slot (a requests-per-second limit; the caller paces the first request before the start).
     */
    static long pacedThinkNanos(Exchange exchange, int index, double speedFactor, RequestPacer pacer, long now) {
        long think = thinkNanos(exchange, speedFactor);
        if (pacer != null && index > 0 && exchange.requestLength() > 0) {
            think = Math.max(think, pacer.reserve(now + think) - now);
        }
        return think;
    }

    /**
     * Returns what the framing says of the current response after more bytes came: the state to keep for it.
     *
     * @param framing the replayer's framing, or null
     * @param exchange the exchange
     * @param kept the kept response bytes (null: none kept)
     * @param received the response bytes received
     * @param state the state so far ({@link ResponseFraming#NOT_YET} at the start of each response)
     * @return the new state
     */
    static int framedState(ResponseFraming framing, Exchange exchange, byte[] kept, int received, int state) {
        if (framing == null || exchange.responseLength() == 0 && !exchange.responsePending() || received == 0
                || state != ResponseFraming.NOT_YET && state != ResponseFraming.CHUNKED) {
            return state;
        }
        if (kept == null || received > kept.length) {
            return ResponseFraming.NOT_APPLICABLE; // the start is not all kept: cannot tell
        }
        return state == ResponseFraming.NOT_YET ? framing.frame(exchange, kept, received) : state;
    }

    /**
     * Returns the response length that completes the exchange: the replayed response's own framing when the
     * {@link ResponseFraming} told it (for a chunked body: once its last chunk came), else the recorded length.
     */
    static int expectedLength(ResponseFraming framing, Exchange exchange, byte[] kept, int received, int state) {
        if (state >= 0) {
            return state;
        }
        if (state == ResponseFraming.CHUNKED) {
            if (kept != null && received <= kept.length && endsLikeLastChunk(kept, received)) {
                int end = framing.chunkedEnd(kept, received);
                if (end >= 0) {
                    return end;
                }
            }
            return Integer.MAX_VALUE; // until the last chunk, or the quiet interval
        }
        // a live response still being captured: until the framing tells, the quiet interval, or its capture ends
        return exchange.responsePending() ? Integer.MAX_VALUE : exchange.responseLength();
    }

    private static boolean endsLikeLastChunk(byte[] bytes, int length) {
        return length >= 5 && bytes[length - 1] == '\n' && bytes[length - 2] == '\r' && bytes[length - 3] == '\n'
            && bytes[length - 4] == '\r';
    }

    /**
     * Tells whether an exchange whose request is fully delivered has its whole response: the expected length arrived
     * (or none is expected).
     */
    static boolean responseComplete(int expected, int received) {
        return expected == 0 || received >= expected;
    }

    /**
     * Tells whether a response shorter than recorded is complete: the exchange is settled (its request delivered, no
     * response bytes known to be missing: a later segment arrived before an earlier one), bytes came, then quiet.
     */
    static boolean quiet(long now, long lastByteNanos, int received, boolean settled, long quietNanos) {
        return settled && received > 0 && now - lastByteNanos >= quietNanos;
    }

    /**
     * Returns when an open exchange must be looked at again: its response timeout, or its quiet deadline (once
     * settled, see {@link #quiet}).
     */
    static long deadline(long startNanos, long lastByteNanos, int received, boolean settled,
            long responseTimeoutNanos, long quietNanos) {
        long deadline = startNanos + responseTimeoutNanos;
        if (settled && received > 0) {
            deadline = Math.min(deadline, lastByteNanos + quietNanos);
        }
        return deadline;
    }

    /** Returns what follows the last exchange: the recorded close, comet's hold, or a FIN after the server's. */
    static AfterLast afterLastExchange(SessionClose close, boolean comet, boolean serverClosed) {
        if (serverClosed) {
            return AfterLast.FIN;
        }
        if (comet) {
            return AfterLast.HOLD;
        }
        if (close.by() == Side.SERVER) {
            return AfterLast.AWAIT_SERVER_CLOSE;
        }
        return close.kind() == CloseKind.RST ? AfterLast.RST : AfterLast.FIN;
    }

    /** The message of an OK exchange that the quiet interval completed. */
    static String quietMessage(int received, int expected) {
        return "response quiet after " + received + " of " + expected + " recorded bytes";
    }

    /**
     * The message of a response timeout.
     *
     * @param pending what was still missing of the request ("request not acknowledged"), or null when it was
     *     delivered
     */
    static String responseTimeoutMessage(String pending, int received, int expected, Duration timeout) {
        String what = pending == null ? "response timeout: " + received + " of " + expected + " response bytes"
            : "response timeout: " + pending;
        return what + " after " + timeout.toMillis() + " ms";
    }

    /** The message of a CLOSED_EARLY exchange: the server closed before responding. */
    static String closedBeforeResponse(int received, int expected) {
        return "the server closed the connection before responding (" + received + " of " + expected + " bytes)";
    }

    /** The message of a CLOSED_EARLY exchange: the server closed before it could start. */
    static String closedBeforeExchange(int index) {
        return "the server closed the connection before exchange " + index;
    }

    /** The message of a RESET exchange. */
    static String resetMessage(boolean exchanging, int index, int received) {
        return "reset by the server " + (exchanging ? "during exchange " : "before exchange ") + index + " ("
            + received + " response bytes received)";
    }

    /** The message of a connect timeout. */
    static String connectTimeoutMessage(String server, Duration timeout) {
        return "connect timeout: no SYN-ACK from " + server + " within " + timeout.toMillis() + " ms";
    }

    /** The end reason of a session that waited in vain for the recorded server close. */
    static String idleTimeoutReason(Duration timeout) {
        return "idle timeout: the server did not close within " + timeout.toMillis() + " ms as recorded; reset";
    }

    /** The end reason of a session whose FIN exchange did not finish. */
    static String closeTimeoutReason(Duration timeout) {
        return "close timeout: the FIN exchange did not finish within " + timeout.toMillis() + " ms; reset";
    }
}
