package io.pcapreplay.tcp;

import io.pcapreplay.packet.IpTcpView;
import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.packet.TcpOptions;
import io.pcapreplay.packet.TcpSequence;
import io.pcapreplay.pcap.HandshakeOptions;
import io.pcapreplay.pcap.RecordedSession;

/**
 * The three-way handshake: the SYN with the recorded client options (MSS clamped to the path), SYN retries with
 * back-off, and the SYN-ACK (options negotiated from what the server actually sent), acknowledged at once in its
 * own segment: not with the first request, whose loss would leave the server in SYN-RECEIVED (seen in the lab:
 * Linux then resets the retransmitted request from its listener). Event loop only.
 */
final class Handshake {

    /** Options of a synthesized handshake (no SYN recorded): Linux defaults. */
    static final int DEFAULT_WINDOW_SCALE = 7;
    /** Window field of a synthesized SYN. */
    static final int DEFAULT_SYN_WINDOW = 64_240;
    /** MSS assumed when the server sends none (RFC 9293). */
    static final int DEFAULT_PEER_MSS = 536;
    private static final int TIMESTAMP_OPTION_BYTES = 12;

    private final EngineLoop loop;
    private final EngineConfig config;
    private final SegmentWriter writer;

    Handshake(EngineLoop loop, EngineConfig config, SegmentWriter writer) {
        this.loop = loop;
        this.config = config;
        this.writer = writer;
    }

    /** Returns the SYN options: as recorded, or synthesized when the capture has no SYN. */
    HandshakeOptions synOptions(Connection connection) {
        RecordedSession session = connection.session;
        HandshakeOptions recorded = session.clientOptions();
        if (session.synSeen() && recorded.isPresent()) {
            return recorded;
        }
        return new HandshakeOptions(config.pathMss(connection.ipv6 != null), DEFAULT_WINDOW_SCALE, true, true,
            DEFAULT_SYN_WINDOW);
    }

    /** Returns the MSS we announce: the recorded one clamped to the path MTU. */
    int ownMss(HandshakeOptions options, boolean ipv6) {
        int pathMss = config.pathMss(ipv6);
        return options.mss() > 0 ? Math.min(options.mss(), pathMss) : pathMss;
    }

    /** Sends the first SYN of a connection whose addresses and ISN are set. */
    void start(Connection connection, long now) {
        connection.state = ConnectionState.SYN_SENT;
        connection.startNanos = now;
        connection.sendUnacknowledged = connection.initialSequence;
        connection.sendNext = TcpSequence.add(connection.initialSequence, 1);
        connection.requestStart = connection.sendNext;
        connection.requestEnd = connection.sendNext;
        connection.rto = RetransmissionTimeout.INITIAL_MICROS;
        connection.rttSentNanos = now;
        connection.retransmitAt = now + connection.rto * 1_000L;
        connection.phaseAt = now + config.connectTimeout().toNanos();
        connection.startNanos = sendSyn(connection, now); // the exchange starts when the first SYN left
    }

    /** Sends a SYN; returns when it left. */
    private long sendSyn(Connection connection, long now) {
        HandshakeOptions options = synOptions(connection);
        return writer.syn(connection, options, ownMss(options, connection.ipv6 != null), now);
    }

    /** The SYN retransmission timer expired. */
    void onSynTimer(Connection connection, long now) {
        connection.retries++;
        loop.synLost(now);
        if (connection.retries > config.synRetries()) {
            loop.tracker().fail(connection, Outcome.TIMEOUT, "connect timeout: no SYN-ACK from "
                + loop.describeServer(connection) + " after " + connection.retries + " SYNs", now);
            return;
        }
        loop.counters().retransmissions++;
        connection.rttSentNanos = 0;
        connection.rto = RetransmissionTimeout.backOff(connection.rto, config.maxRtoMicros());
        connection.retransmitAt = now + connection.rto * 1_000L;
        sendSyn(connection, now);
    }

    /** A segment for a connection in SYN_SENT. */
    void onSegment(Connection connection, IpTcpView view, long now) {
        int flags = view.flags();
        int expectedAck = TcpSequence.add(connection.initialSequence, 1);
        boolean acceptable = (flags & TcpHeader.ACK) != 0 && view.acknowledgment() == expectedAck;
        if ((flags & TcpHeader.RST) != 0) {
            if (acceptable) {
                loop.tracker().report(connection, Outcome.REFUSED, "connection refused: RST in answer to the SYN "
                    + "from " + loop.describeServer(connection));
                loop.finish(connection, "connection refused");
            }
            return;
        }
        if ((flags & TcpHeader.ACK) != 0 && !acceptable) {
            // e.g. the target still holds an old connection of this endpoint in TIME_WAIT: reset it (RFC 9293
            // 3.10.7.3), the next SYN retry then connects
            writer.reset(connection, view.acknowledgment());
            return;
        }
        if ((flags & TcpHeader.SYN) == 0) {
            return;
        }
        established(connection, view, now);
    }

    private void established(Connection connection, IpTcpView view, long now) {
        HandshakeOptions ours = synOptions(connection);
        TcpOptions theirs = view.options();
        connection.receiveNext = TcpSequence.add(view.sequence(), 1);
        connection.receiveHighest = connection.receiveNext;
        connection.sendUnacknowledged = view.acknowledgment();
        boolean scaling = ours.windowScale() >= 0 && theirs.windowScale() >= 0;
        connection.peerWindowScale = scaling ? Math.min(theirs.windowScale(), TcpHeader.MAX_WINDOW_SCALE) : 0;
        connection.ownWindowScale = scaling ? Math.min(ours.windowScale(), TcpHeader.MAX_WINDOW_SCALE) : 0;
        connection.timestamps = ours.timestamps() && theirs.hasTimestamps();
        connection.timestampRecent = theirs.timestampValue();
        int peerMss = theirs.mss() > 0 ? theirs.mss() : DEFAULT_PEER_MSS;
        int mss = Math.min(peerMss, ownMss(ours, connection.ipv6 != null));
        connection.sendMss = Math.max(1, mss - (connection.timestamps ? TIMESTAMP_OPTION_BYTES : 0));
        connection.peerWindow = view.window();
        if (connection.rttSentNanos != 0) {
            loop.sender().sample(connection, now);
        }
        connection.retries = 0;
        connection.retransmitDeferred = false;
        connection.retransmitAt = Connection.NONE;
        connection.phaseAt = Connection.NONE;
        connection.connectEndNanos = Math.max(connection.startNanos, loop.eventNanos(now)); // SYN-ACK on the wire
        loop.answered(connection);
        loop.leftHalfOpen(connection);
        writer.control(connection, TcpHeader.ACK, connection.sendNext, now);
        loop.tracker().established(connection, now);
    }
}
