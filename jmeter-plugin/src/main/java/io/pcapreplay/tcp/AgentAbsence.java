package io.pcapreplay.tcp;

import java.time.Duration;

/**
 * Whether the intercept agent is away, since when and why: while it is, sessions not started yet wait for it, each at
 * most the connect timeout (counted from when it was queued or the agent left, whichever is later), then end with
 * {@link Outcome#AGENT_LOST}. A load test keeps its pace through a short agent restart instead of failing every
 * session started meanwhile at once. Touched only by the event loop.
 */
final class AgentAbsence {

    private final Duration limit;
    private boolean away;
    private long sinceNanos;
    private String reason = "";

    AgentAbsence(Duration limit) {
        this.limit = limit;
    }

    /** The agent left at {@code now} (a second loss keeps the first time). */
    void lost(String why, long now) {
        if (!away) {
            sinceNanos = now;
        }
        away = true;
        reason = why;
    }

    /** The agent is back. */
    void restored() {
        away = false;
    }

    boolean away() {
        return away;
    }

    /** Returns when a session queued at {@code queuedNanos} stops waiting for the agent. */
    long deadline(long queuedNanos) {
        return Math.max(queuedNanos, sinceNanos) + limit.toNanos();
    }

    /** Returns the result message of a session that waited in vain. */
    String gaveUpMessage() {
        return "agent lost: " + reason + "; the session did not start: the agent was not back within the connect "
            + "timeout (" + limit.toMillis() + " ms)";
    }
}
