package io.pcapreplay.tcp;

import io.pcapreplay.pcap.RecordedSession;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Replays recorded sessions, whatever carries the bytes: {@link ReplayEngine} (user-space TCP over raw IP from fake
 * client addresses, answers through the intercept agent) or {@link KernelReplayer} (ordinary kernel TCP sockets from
 * this host's own addresses). Both take the same {@link EngineConfig} settings and give the same results: one
 * {@link ExchangeResult} per exchange, to an {@link ExchangeListener} on the replayer's loop or to
 * {@link SessionHandle#awaitNext(Duration)}.
 */
public interface SessionReplayer extends AutoCloseable {

    /**
     * Starts replaying a session.
     *
     * @param session the recording (shared, never copied)
     * @param target the server to replay against; null: the configured target, else the recorded server
     * @param listener receives each exchange's result and the session's end on the replayer's loop; null: results
     *     are taken with {@link SessionHandle#awaitNext(Duration)}
     * @return the session's handle
     * @throws IllegalArgumentException when the session cannot be replayed (no exchange, wrong address family)
     */
    SessionHandle startSession(RecordedSession session, InetSocketAddress target, ExchangeListener listener);

    /**
     * Starts replaying a session whose requests after the first wait for a pacer's slot (a requests-per-second
     * limit; the first request is paced by the caller, before the session starts).
     *
     * @param session the recording (shared, never copied)
     * @param target the server to replay against; null: the configured target, else the recorded server
     * @param listener receives the results on the replayer's loop; null: use awaitNext
     * @param pacer the pacer, or null for none
     * @return the session's handle
     */
    default SessionHandle startSession(RecordedSession session, InetSocketAddress target, ExchangeListener listener,
            RequestPacer pacer) {
        return startSession(session, target, listener, pacer, null);
    }

    /**
     * Starts replaying a session whose requests wait for a pacer's slot (after the first) and for a gate (each
     * exchange, the first included: the recorded hand-out's causal order).
     *
     * @param session the recording (shared, never copied)
     * @param target the server to replay against; null: the configured target, else the recorded server
     * @param listener receives the results on the replayer's loop; null: use awaitNext
     * @param pacer the pacer, or null for none
     * @param gate the gate, or null for none; told of every finished exchange and of the session's end
     * @return the session's handle
     */
    SessionHandle startSession(RecordedSession session, InetSocketAddress target, ExchangeListener listener,
        RequestPacer pacer, ExchangeGate gate);

    /**
     * Frames replayed responses by their own protocol (HTTP), so that an exchange completes when the server's answer
     * is whole rather than when the recorded length arrived; null: by the recorded length and the quiet interval.
     * Set it before starting sessions.
     *
     * @param framing the framing, or null
     * @return this
     */
    SessionReplayer responseFraming(ResponseFraming framing);

    /**
     * Starts replaying a session against the configured target; results go to the listener.
     *
     * @param session the recording
     * @param listener receives each exchange's result and the session's end
     * @return the session's handle
     */
    default SessionHandle startSession(RecordedSession session, ExchangeListener listener) {
        return startSession(session, null, java.util.Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Starts replaying a session whose results a user thread takes with {@link SessionHandle#awaitNext(Duration)}.
     *
     * @param session the recording
     * @return the session's handle
     */
    default SessionHandle startSession(RecordedSession session) {
        return startSession(session, null, null);
    }

    /** Returns the sessions started and not finished: the count. */
    int openSessions();

    /**
     * Stops replaying: every open connection is reset and every session ends.
     *
     * @param timeout how long to wait for the loop thread(s)
     * @return whether it stopped within the timeout
     */
    boolean stop(Duration timeout);

    @Override
    default void close() {
        stop(Duration.ofSeconds(5));
    }
}
