package io.pcapreplay.pcap;

import io.pcapreplay.packet.IpTcpView;
import io.pcapreplay.packet.TcpHeader;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sliding window over a capture: the connections started and not yet handed out, in start order (order of
 * their first packet in the file). A connection is complete when it closed (RST, or FIN both ways, with no hole
 * left to fill), when it was idle for {@link CaptureOptions#idleNanos()}, or at the end of the file; the first
 * connection of the window is handed out once complete, so later-started ones never overtake it. A closed
 * connection's 4-tuple stays known for {@link #LINGER_NANOS} of capture time (like TCP's TIME_WAIT, at most
 * {@link #MAX_LINGERING} of them), so its late packets (last ACK, retransmitted FIN) are absorbed, not taken for a
 * new connection.
 *
 * <p>Memory: each connection's held bytes are counted. One holding more than
 * {@link CaptureOptions#maxSessionBytes()} drops its bytes and is left out when complete (TOO_LARGE). When the
 * window holds more than {@link CaptureOptions#maxOpenSessions()} connections or
 * {@link CaptureOptions#maxWindowBytes()} bytes, its first connection is completed if it was closed or had no
 * payload, else left out (WINDOW_FULL); the rest of a left-out connection is then ignored (its 4-tuple is
 * remembered, at most {@link #MAX_REMEMBERED} of them, until a new SYN reuses it). Not thread-safe.
 */
final class ConnectionWindow {

    /** Capture time a closed connection is kept for late packets (retransmitted FIN, last ACK): 2 s. */
    static final long LINGER_NANOS = 2_000_000_000L;
    /** Most closed connections kept for late packets. */
    static final int MAX_LINGERING = 65_536;
    /** Most 4-tuples of left-out connections remembered. */
    static final int MAX_REMEMBERED = 65_536;

    private final CaptureOptions options;
    private final SessionOutcomes outcomes;
    private final Map<ConnectionKey, CapturedConnection> open = new HashMap<>();
    private final ConnectionKey probe = new ConnectionKey();
    private final ArrayDeque<CapturedConnection> started = new ArrayDeque<>();
    private final ConnectionList active = new ConnectionList();
    private final ConnectionList closing = new ConnectionList();
    private final Map<ConnectionKey, Boolean> leftOutTuples = new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<ConnectionKey, Boolean> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };
    private long clock;
    private long heldBytes;
    private long connections;
    private long ignoredSegments;
    private int lingering;

    ConnectionWindow(CaptureOptions options, SessionOutcomes outcomes) {
        this.options = options;
        this.outcomes = outcomes;
    }

    /**
     * Takes one TCP segment.
     *
     * @param view the decoded segment
     * @param wirePayload its payload length on the wire
     * @param timestampNanos its capture time, not negative
     */
    void segment(IpTcpView view, int wirePayload, long timestampNanos) {
        clock = Math.max(clock, timestampNanos);
        CapturedConnection connection = open.get(probe.set(view));
        if (connection != null && connection.isReopenedBy(view)) {
            complete(connection);
            forget(connection);
            connection = null;
        }
        if (connection != null && connection.complete) {
            expire();
            return;
        }
        if (connection == null) {
            if (!leftOutTuples.isEmpty() && leftOutTuples.containsKey(probe)) {
                if ((view.flags() & (TcpHeader.SYN | TcpHeader.ACK)) != TcpHeader.SYN) {
                    ignoredSegments++;
                    return;
                }
                leftOutTuples.remove(probe);
            }
            ConnectionKey key = probe.copy();
            connection = new CapturedConnection(key, view, timestampNanos, options.maxBufferedBytes());
            open.put(key, connection);
            started.addLast(connection);
            connections++;
        }
        connection.accept(view, wirePayload, timestampNanos);
        count(connection);
        if (connection.isCloseOver() && !connection.hasHoles()) {
            complete(connection);
            linger(connection);
        } else if (connection.isClosed()) {
            linger(connection);
        } else {
            active.moveToEnd(connection);
        }
        expire();
        while ((started.size() > options.maxOpenSessions() || heldBytes > options.maxWindowBytes())
                && !started.isEmpty() && !started.peekFirst().complete) {
            evictFirst();
        }
    }

    /** Counts what a connection holds now; one over the session limit drops its bytes. */
    private void count(CapturedConnection connection) {
        long held = connection.heldBytes();
        if (held > options.maxSessionBytes() && connection.forcedReason == null) {
            connection.forcedReason = LeftOutReason.TOO_LARGE;
            connection.discard();
            held = connection.heldBytes();
        }
        heldBytes += held - connection.countedBytes;
        connection.countedBytes = held;
    }

    /** Keeps a closed connection known for late packets (not complete yet while the last ACK or holes are due). */
    private void linger(CapturedConnection connection) {
        if (connection.list != closing) {
            lingering++;
        }
        closing.moveToEnd(connection);
    }

    /**
     * Completes the connections idle for too long; completes and forgets the closed ones after the linger time.
     */
    private void expire() {
        long idleBefore = clock - options.idleNanos();
        for (CapturedConnection first = active.first(); first != null && first.lastTimestamp() < idleBefore;
                first = active.first()) {
            complete(first);
            forget(first);
        }
        long closedBefore = clock - LINGER_NANOS;
        for (CapturedConnection first = closing.first(); first != null
                && (first.lastTimestamp() < closedBefore || lingering > MAX_LINGERING); first = closing.first()) {
            complete(first);
            forget(first);
        }
    }

    /** The window is full and its first connection is still open. */
    private void evictFirst() {
        CapturedConnection first = started.peekFirst();
        if (!first.isClosed() && first.hasPayload() && first.forcedReason == null) {
            first.forcedReason = LeftOutReason.WINDOW_FULL;
            leftOutTuples.put(first.key, Boolean.TRUE);
        }
        complete(first);
        forget(first);
    }

    /** Decides the outcome of a connection and lets its reassembly state go (it may stay known, lingering). */
    private void complete(CapturedConnection connection) {
        if (connection.complete) {
            return;
        }
        connection.finish();
        outcomes.decide(connection);
        connection.release();
        connection.complete = true;
        long held = connection.session != null ? footprint(connection.session) : 0;
        heldBytes += held - connection.countedBytes;
        connection.countedBytes = held;
    }

    /** Drops a connection's 4-tuple: a later packet on it starts a new connection. */
    private void forget(CapturedConnection connection) {
        if (open.get(connection.key) == connection) {
            open.remove(connection.key);
        }
        if (connection.list == closing) {
            lingering--;
        }
        if (connection.list != null) {
            connection.list.remove(connection);
        }
    }

    /** Tells whether the first connection of the window is complete (its outcome can be taken). */
    boolean ready() {
        CapturedConnection first = started.peekFirst();
        return first != null && first.complete;
    }

    /** Tells whether no connection is in the window. */
    boolean isEmpty() {
        return started.isEmpty();
    }

    /** What became of a connection: a session, a left-out session, or neither (no payload, another port). */
    record Outcome(RecordedSession session, LeftOutSession leftOut) {
        static final Outcome NOTHING = new Outcome(null, null);
    }

    /**
     * Takes the outcome of the first connection once it is complete (a lingering connection keeps only its
     * 4-tuple, not its session).
     *
     * @return the outcome, or null when the first connection is not complete (or there is none)
     */
    Outcome poll() {
        if (!ready()) {
            return null;
        }
        CapturedConnection first = started.pollFirst();
        heldBytes -= first.countedBytes;
        first.countedBytes = 0;
        Outcome outcome = first.session == null && first.leftOut == null ? Outcome.NOTHING
            : new Outcome(first.session, first.leftOut);
        first.session = null;
        first.leftOut = null;
        return outcome;
    }

    /** Completes every connection (end of the file). */
    void finishAll() {
        for (CapturedConnection connection : started) {
            complete(connection);
        }
    }

    /** Approximate heap of a built session: its bytes and about 64 bytes per exchange. */
    static long footprint(RecordedSession session) {
        return (long) session.requestBytes() + session.responseBytes() + 64L * session.exchangeCount() + 256;
    }

    long connections() {
        return connections;
    }

    /** Returns the segments ignored because their connection was left out while still open: the count. */
    long ignoredSegments() {
        return ignoredSegments;
    }

    /** Returns the bytes held by the window now: the count. */
    long heldBytes() {
        return heldBytes;
    }

    /** Returns the connections in the window now: the count. */
    int size() {
        return started.size();
    }
}
