package io.pcapreplay.tcp;

import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.packet.TcpSequence;

/**
 * The sending half of the user-space TCP: request segments within the MSS and the peer's window, ACK processing
 * with RTT sampling (Karn), RFC 6298 retransmission with back-off, fast retransmit on three duplicate ACKs and
 * NewReno-style partial-ACK retransmission. No congestion window: the receiver's window is the only limit.
 */
final class TcpSender {

    private static final int DUPLICATE_ACK_THRESHOLD = 3;

    private final EngineLoop loop;
    private final EngineConfig config;
    private final SegmentWriter writer;

    TcpSender(EngineLoop loop, EngineConfig config, SegmentWriter writer) {
        this.loop = loop;
        this.config = config;
        this.writer = writer;
    }

    /**
     * Sends as much of the current request as the window allows.
     *
     * @return when the first segment sent left (see {@link SegmentWriter}), or -1 when none was sent
     */
    long trySend(Connection connection, long now) {
        if (connection.state != ConnectionState.EXCHANGING) {
            return -1;
        }
        long first = -1;
        while (TcpSequence.before(connection.sendNext, connection.requestEnd)) {
            int windowEnd = TcpSequence.add(connection.sendUnacknowledged, connection.peerWindow);
            int usable = TcpSequence.distance(connection.sendNext, windowEnd);
            if (usable <= 0) {
                if (connection.retransmitAt == Connection.NONE) {
                    connection.retransmitAt = now + rtoNanos(connection); // persist timer: probe the zero window
                }
                return first;
            }
            int left = TcpSequence.distance(connection.sendNext, connection.requestEnd);
            long sent = sendNew(connection, Math.min(connection.sendMss, Math.min(left, usable)), now);
            first = first < 0 ? sent : first;
        }
        return first;
    }

    private long sendNew(Connection connection, int length, long now) {
        int sequence = connection.sendNext;
        int end = TcpSequence.add(sequence, length);
        long sent = writer.data(connection, sequence, length, end == connection.requestEnd, now);
        if (connection.rttSentNanos == 0 && !connection.recovering) {
            connection.rttSequence = end;
            connection.rttSentNanos = now;
        }
        connection.sendNext = end;
        if (connection.retransmitAt == Connection.NONE) {
            connection.retransmitAt = now + rtoNanos(connection);
        }
        return sent;
    }

    /**
     * Processes the ACK field and window of an established connection's segment.
     *
     * @return false when the segment acknowledges data never sent (it is answered with an ACK and dropped)
     */
    boolean onAck(Connection connection, int ack, int window, boolean pureAck, long now) {
        if (TcpSequence.after(ack, connection.sendNext)) {
            writer.control(connection, TcpHeader.ACK, connection.sendNext, now);
            return false;
        }
        if (TcpSequence.after(ack, connection.sendUnacknowledged)) {
            newlyAcknowledged(connection, ack, now);
            connection.peerWindow = window;
        } else if (ack == connection.sendUnacknowledged) {
            boolean outstanding = connection.sendUnacknowledged != connection.sendNext;
            if (pureAck && outstanding && window == connection.peerWindow) {
                duplicateAck(connection, now);
            }
            connection.peerWindow = window;
        }
        return true;
    }

    private void newlyAcknowledged(Connection connection, int ack, long now) {
        if (connection.rttSentNanos != 0 && TcpSequence.afterOrEqual(ack, connection.rttSequence)) {
            sample(connection, now);
        }
        connection.sendUnacknowledged = ack;
        if (connection.retries > 0) { // forward progress ends the back-off (as Linux does)
            connection.rto = connection.srtt > 0 ? RetransmissionTimeout.timeout(connection.srtt,
                connection.rttVariance, config.minRtoMicros(), config.maxRtoMicros())
                : RetransmissionTimeout.INITIAL_MICROS;
        }
        connection.retries = 0;
        connection.retransmitDeferred = false;
        connection.duplicateAcks = 0;
        boolean outstanding = ack != connection.sendNext;
        if (connection.recovering) {
            if (outstanding && TcpSequence.before(ack, connection.recoverSequence)) {
                retransmitFirst(connection, now); // partial ACK: the next hole
            } else {
                connection.recovering = false;
            }
        }
        connection.retransmitAt = outstanding ? now + rtoNanos(connection) : Connection.NONE;
    }

    private void duplicateAck(Connection connection, long now) {
        connection.duplicateAcks++;
        if (connection.duplicateAcks == DUPLICATE_ACK_THRESHOLD && !connection.recovering) {
            loop.counters().fastRetransmissions++;
            connection.recovering = true;
            connection.recoverSequence = connection.sendNext;
            retransmitFirst(connection, now);
            connection.retransmitAt = now + rtoNanos(connection);
        }
    }

    /** Takes an RTT sample (microseconds) and recomputes the RTO. */
    void sample(Connection connection, long now) {
        int sample = (int) Math.min(Integer.MAX_VALUE, Math.max(1, (now - connection.rttSentNanos) / 1_000));
        connection.rttVariance = RetransmissionTimeout.rttVariance(connection.srtt, connection.rttVariance, sample);
        connection.srtt = RetransmissionTimeout.smoothedRtt(connection.srtt, sample);
        connection.rto = RetransmissionTimeout.timeout(connection.srtt, connection.rttVariance,
            config.minRtoMicros(), config.maxRtoMicros());
        connection.rttSentNanos = 0;
    }

    /** The retransmission (or persist) timer expired on an established connection. */
    void onRetransmitTimer(Connection connection, long now) {
        boolean outstanding = connection.sendUnacknowledged != connection.sendNext;
        boolean pending = connection.state == ConnectionState.EXCHANGING
            && TcpSequence.before(connection.sendNext, connection.requestEnd);
        if (!outstanding && !pending) {
            return;
        }
        connection.retries++;
        if (connection.retries > config.maxRetransmissions()) {
            loop.tracker().fail(connection, Outcome.TIMEOUT, "retransmission timeout: sequence "
                + TcpSequence.toUnsigned(connection.sendUnacknowledged) + " unacknowledged after "
                + config.maxRetransmissions() + " retransmissions", now);
            return;
        }
        connection.rto = RetransmissionTimeout.backOff(connection.rto, config.maxRtoMicros());
        if (outstanding) {
            connection.recovering = true;
            connection.recoverSequence = connection.sendNext;
            connection.duplicateAcks = 0;
            retransmitFirst(connection, now);
        } else {
            sendNew(connection, 1, now); // zero-window probe: one new byte
        }
        connection.retransmitAt = now + rtoNanos(connection);
    }

    /** Resends the first unacknowledged segment (data, or our FIN). */
    private void retransmitFirst(Connection connection, long now) {
        loop.counters().retransmissions++;
        connection.rttSentNanos = 0;
        int first = connection.sendUnacknowledged;
        if (connection.finSent && TcpSequence.add(first, 1) == connection.sendNext) {
            writer.control(connection, TcpHeader.FIN, first, now);
            return;
        }
        int dataEnd = connection.finSent ? TcpSequence.add(connection.sendNext, -1) : connection.sendNext;
        int length = Math.min(connection.sendMss, TcpSequence.distance(first, dataEnd));
        if (length > 0) {
            writer.data(connection, first, length, TcpSequence.add(first, length) == connection.requestEnd, now);
        }
    }

    private static long rtoNanos(Connection connection) {
        return connection.rto * 1_000L;
    }
}
