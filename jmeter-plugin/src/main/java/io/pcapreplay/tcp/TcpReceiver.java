package io.pcapreplay.tcp;

import io.pcapreplay.packet.IpTcpView;
import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.packet.TcpSequence;

/**
 * The receiving half of the user-space TCP for established connections: RST validation, ACK processing (handed to
 * {@link TcpSender}), in-order response bytes with delayed ACKs, immediate duplicate ACKs for out-of-order or old
 * data (no reassembly: the server retransmits), and the server's FIN. Event loop only.
 */
final class TcpReceiver {

    private final EngineLoop loop;
    private final EngineConfig config;
    private final SegmentWriter writer;
    private final long ackDelayNanos;

    TcpReceiver(EngineLoop loop, EngineConfig config, SegmentWriter writer) {
        this.loop = loop;
        this.config = config;
        this.writer = writer;
        this.ackDelayNanos = config.ackDelay().toNanos();
    }

    /** A segment for a connection past SYN_SENT. */
    void onSegment(Connection connection, IpTcpView view, long now) {
        int flags = view.flags();
        if ((flags & TcpHeader.RST) != 0) {
            int sequence = view.sequence();
            if (TcpSequence.inWindow(sequence, connection.receiveNext,
                TcpSequence.add(connection.receiveNext, config.receiveWindow()))) {
                loop.tracker().serverReset(connection);
            }
            return;
        }
        if ((flags & TcpHeader.SYN) != 0) {
            writer.control(connection, TcpHeader.ACK, connection.sendNext, now); // our ACK of the SYN-ACK was lost
            return;
        }
        if ((flags & TcpHeader.ACK) == 0) {
            return;
        }
        int payload = view.payloadLength();
        boolean fin = (flags & TcpHeader.FIN) != 0;
        if (connection.timestamps && view.options().hasTimestamps()
            && TcpSequence.beforeOrEqual(view.sequence(), connection.receiveNext)) {
            connection.timestampRecent = view.options().timestampValue();
        }
        int window = view.window() << connection.peerWindowScale;
        if (!loop.sender().onAck(connection, view.acknowledgment(), window, payload == 0 && !fin, now)) {
            return;
        }
        if (payload > 0 || fin) {
            receive(connection, view, payload, fin, now);
        }
        if (connection.state == ConnectionState.EXCHANGING) {
            loop.sender().trySend(connection, now);
            loop.tracker().checkComplete(connection, now);
        } else if (connection.state == ConnectionState.CLOSING) {
            loop.tracker().finishIfClosed(connection);
        }
    }

    private void receive(Connection connection, IpTcpView view, int payload, boolean fin, long now) {
        int sequence = view.sequence();
        int end = TcpSequence.add(sequence, payload);
        if (TcpSequence.after(end, connection.receiveHighest)) {
            connection.receiveHighest = end;
        }
        if (TcpSequence.after(sequence, connection.receiveNext)) {
            loop.counters().outOfOrder++;
            writer.control(connection, TcpHeader.ACK, connection.sendNext, now);
            return;
        }
        int duplicate = TcpSequence.distance(sequence, connection.receiveNext);
        int fresh = payload - duplicate;
        if (fresh > 0) {
            int captured = Math.max(0, Math.min(fresh, view.capturedPayloadLength() - duplicate));
            accept(connection, view.buffer(), view.payloadOffset() + duplicate, captured, fresh, now);
        } else if (payload > 0) {
            writer.control(connection, TcpHeader.ACK, connection.sendNext, now);
        }
        if (fin && connection.finReceived && fresh <= 0) {
            writer.control(connection, TcpHeader.ACK, connection.sendNext, now); // the server repeats its FIN
        } else if (fin && !connection.finReceived && TcpSequence.add(sequence, payload) == connection.receiveNext) {
            connection.finReceived = true;
            connection.receiveNext = TcpSequence.add(connection.receiveNext, 1);
            if (connection.finSent) { // closing: acknowledged before the connection ends
                writer.control(connection, TcpHeader.ACK, connection.sendNext, now);
                loop.tracker().serverClosed(connection, now);
                return;
            }
            long sent = writer.packetsSent();
            loop.tracker().serverClosed(connection, now); // our FIN, sent at once, acknowledges theirs
            if (writer.packetsSent() == sent) {
                writer.control(connection, TcpHeader.ACK, connection.sendNext, now);
            }
        }
    }

    private void accept(Connection connection, byte[] buffer, int offset, int captured, int fresh, long now) {
        int limit = config.responseCaptureBytes();
        if (limit > 0 && connection.received < limit && connection.hasExchange()) { // none: stragglers after the last
            int copied = Math.min(captured, limit - connection.received);
            connection.capture = ResponseCapture.ensure(connection.capture, connection.received,
                connection.received + copied, limit, connection.exchange().responseLength());
            System.arraycopy(buffer, offset, connection.capture, connection.received, copied);
        }
        connection.received += fresh;
        connection.receiveNext = TcpSequence.add(connection.receiveNext, fresh);
        long wire = Math.max(connection.startNanos, loop.eventNanos(now)); // when the segment was on the wire
        if (connection.firstByteNanos < 0) {
            connection.firstByteNanos = wire;
        }
        connection.lastByteNanos = Math.max(connection.firstByteNanos, wire);
        connection.segmentsUnacknowledged++;
        if (connection.segmentsUnacknowledged >= 2) {
            writer.control(connection, TcpHeader.ACK, connection.sendNext, now);
        } else if (connection.ackAt == Connection.NONE) {
            connection.ackAt = now + ackDelayNanos;
        }
    }
}
