package io.pcapreplay.pcap;

/**
 * One client session of a live capture while it is replayed: the latest snapshot of its exchanges (rebuilt by the
 * capture thread when a request completes and when a response completes) and whether the connection ended.
 * Replayers see it as one {@link RecordedSession} ({@link #session()}) whose reads go to the latest snapshot.
 * Written by the capture thread only; read by any thread (volatile snapshots).
 */
final class LiveSession {

    private volatile RecordedSession latest;
    private volatile boolean ended;
    private final RecordedSession session;

    LiveSession(RecordedSession first) {
        this.latest = first;
        this.session = RecordedSession.growing(this, first);
    }

    /** Returns the session replayers are given: reads go to the latest snapshot. */
    RecordedSession session() {
        return session;
    }

    RecordedSession latest() {
        return latest;
    }

    boolean ended() {
        return ended;
    }

    /** Publishes a newer snapshot (capture thread). */
    void update(RecordedSession snapshot) {
        latest = snapshot;
    }

    /** Publishes the final snapshot: no exchange follows (capture thread). */
    void end(RecordedSession last) {
        latest = last;
        ended = true;
    }
}
