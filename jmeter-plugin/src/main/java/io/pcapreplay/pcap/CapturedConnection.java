package io.pcapreplay.pcap;

import io.pcapreplay.packet.IpTcpView;
import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.packet.TcpOptions;
import java.net.InetAddress;

/**
 * One TCP connection being read: two {@link StreamReassembler}s (direction 0 = the endpoint that sent the first
 * captured packet, 1 = the other), handshake options, the first close, and "runs" (consecutive data of one
 * direction, in delivery order) from which the exchanges are cut once the client is known.
 */
final class CapturedConnection {

    private final long firstHigh;
    private final long firstLow;
    private final int firstPort;
    private final InetAddress[] addresses = new InetAddress[2];
    private final int[] ports = new int[2];
    private final StreamReassembler[] streams = new StreamReassembler[2];
    private final HandshakeOptions[] synOptions = {HandshakeOptions.ABSENT, HandshakeOptions.ABSENT};
    private final int[] initialSequence = new int[2];
    private final boolean[] finSeen = new boolean[2];
    private final long firstTimestamp;
    private long lastTimestamp;
    private long segments;
    private int synFrom = -1;
    private int synAckFrom = -1;
    private long establishedTimestamp = -1;
    private boolean resetSeen;
    private CloseKind closeKind = CloseKind.NONE;
    private int closeDirection = -1;
    private long closeTimestamp;
    private final LongSink runDirections = new LongSink();
    private final LongSink runStarts = new LongSink();
    private final LongSink runEnds = new LongSink();
    private final LongSink runStreamEnds = new LongSink();

    CapturedConnection(IpTcpView first, long timestampNanos, long maxBufferedBytes) {
        firstHigh = first.sourceHigh();
        firstLow = first.sourceLow();
        firstPort = first.sourcePort();
        addresses[0] = first.sourceAddress();
        addresses[1] = first.destinationAddress();
        ports[0] = first.sourcePort();
        ports[1] = first.destinationPort();
        streams[0] = new StreamReassembler(this, 0, maxBufferedBytes);
        streams[1] = new StreamReassembler(this, 1, maxBufferedBytes);
        firstTimestamp = timestampNanos;
        lastTimestamp = timestampNanos;
    }

    /** Returns 0 when the packet was sent by the first sender, else 1. */
    int directionOf(IpTcpView view) {
        return view.sourceHigh() == firstHigh && view.sourceLow() == firstLow && view.sourcePort() == firstPort
            ? 0 : 1;
    }

    /** Tells whether this packet opens a new connection on the same 4-tuple (port reuse after a close). */
    boolean isReopenedBy(IpTcpView view) {
        int flags = view.flags();
        if ((flags & (TcpHeader.SYN | TcpHeader.ACK)) != TcpHeader.SYN) {
            return false;
        }
        boolean closed = resetSeen || finSeen[0] && finSeen[1];
        int direction = directionOf(view);
        return closed && !(synFrom == direction && initialSequence[direction] == view.sequence());
    }

    void accept(IpTcpView view, int wirePayloadLength, long timestampNanos) {
        int direction = directionOf(view);
        int flags = view.flags();
        segments++;
        lastTimestamp = Math.max(lastTimestamp, timestampNanos);
        if ((flags & TcpHeader.SYN) != 0) {
            recordSyn(view, direction, flags, timestampNanos);
        }
        streams[direction].segment(view.sequence(), flags, view.buffer(), view.payloadOffset(),
            view.capturedPayloadLength(), wirePayloadLength, timestampNanos);
        if ((flags & (TcpHeader.FIN | TcpHeader.RST)) != 0 && closeKind == CloseKind.NONE) {
            closeKind = (flags & TcpHeader.RST) != 0 ? CloseKind.RST : CloseKind.FIN;
            closeDirection = direction;
            closeTimestamp = timestampNanos;
        }
        resetSeen |= (flags & TcpHeader.RST) != 0;
        finSeen[direction] |= (flags & TcpHeader.FIN) != 0;
    }

    private void recordSyn(IpTcpView view, int direction, int flags, long timestampNanos) {
        boolean synAck = (flags & TcpHeader.ACK) != 0;
        if (synAck ? synAckFrom >= 0 : synFrom >= 0) {
            return;
        }
        TcpOptions options = view.options();
        synOptions[direction] = new HandshakeOptions(options.mss(), options.windowScale(), options.sackPermitted(),
            options.hasTimestamps(), view.window());
        initialSequence[direction] = view.sequence();
        if (synAck) {
            synAckFrom = direction;
            establishedTimestamp = timestampNanos;
        } else {
            synFrom = direction;
        }
    }

    /** Called by a stream when bytes were appended to it. */
    void delivered(int direction, int streamEnd, long timestampNanos) {
        int runs = runDirections.size();
        if (runs > 0 && runDirections.last() == direction) {
            runEnds.set(runs - 1, timestampNanos);
            runStreamEnds.set(runs - 1, streamEnd);
            return;
        }
        runDirections.add(direction);
        runStarts.add(timestampNanos);
        runEnds.add(timestampNanos);
        runStreamEnds.add(streamEnd);
    }

    /** Ends every stream: holes still open are gaps. */
    void finish() {
        streams[0].finish(lastTimestamp);
        streams[1].finish(lastTimestamp);
    }

    boolean hasPayload() {
        return streams[0].stream().length() > 0 || streams[1].stream().length() > 0;
    }

    long firstTimestamp() {
        return firstTimestamp;
    }

    long segments() {
        return segments;
    }

    StreamReassembler stream(int direction) {
        return streams[direction];
    }

    /**
     * Chooses the client: the sender of the SYN; else the receiver of the SYN-ACK; else the side not on the chosen
     * server port; else the side with the higher port (ephemeral vs well-known); on equal ports the first sender.
     */
    int clientDirection(int serverPort) {
        if (synFrom >= 0) {
            return synFrom;
        }
        if (synAckFrom >= 0) {
            return 1 - synAckFrom;
        }
        if (serverPort > 0 && ports[0] != ports[1]) {
            if (ports[0] == serverPort) {
                return 1;
            }
            if (ports[1] == serverPort) {
                return 0;
            }
        }
        return ports[1] > ports[0] ? 1 : 0;
    }

    int port(int direction) {
        return ports[direction];
    }

    RecordedSession toSession(int client) {
        int server = 1 - client;
        RecordedSession.Builder builder = RecordedSession.builder(new Endpoint(addresses[client], ports[client]),
                new Endpoint(addresses[server], ports[server]))
            .synSeen(synFrom == client)
            .handshake(synOptions[client], synOptions[server])
            .timing(firstTimestamp, lastTimestamp - firstTimestamp)
            .close(closeKind == CloseKind.NONE ? SessionClose.NONE : new SessionClose(closeKind,
                closeDirection == client ? Side.CLIENT : Side.SERVER, closeTimestamp - firstTimestamp))
            .statistics(statistics())
            .streams(streams[client].stream(), streams[server].stream());
        appendExchanges(builder, client);
        SessionProblems.add(builder, this, client);
        return builder.build();
    }

    private SessionStatistics statistics() {
        return new SessionStatistics(segments,
            streams[0].retransmittedSegments() + streams[1].retransmittedSegments(),
            streams[0].retransmittedBytes() + streams[1].retransmittedBytes(),
            streams[0].outOfOrderSegments() + streams[1].outOfOrderSegments());
    }

    boolean synSeenFrom(int direction) {
        return synFrom == direction;
    }

    CloseKind closeKind() {
        return closeKind;
    }

    private void appendExchanges(RecordedSession.Builder builder, int client) {
        long previousEnd = establishedTimestamp >= 0 ? establishedTimestamp : firstTimestamp;
        int requestEnd = 0;
        int responseEnd = 0;
        boolean open = false;
        boolean hasResponse = false;
        long think = 0;
        long start = 0;
        long responseEndTime = 0;
        for (int run = 0; run < runDirections.size(); run++) {
            boolean fromClient = runDirections.get(run) == client;
            if (fromClient && open && hasResponse) {
                builder.appendBounds(requestEnd, responseEnd, think, start, responseEndTime);
                open = false;
            }
            if (!open) {
                open = true;
                hasResponse = false;
                long runStart = runStarts.get(run);
                think = fromClient ? Math.max(0, runStart - previousEnd) : 0;
                start = runStart - firstTimestamp;
                responseEndTime = start;
            }
            if (fromClient) {
                requestEnd = (int) runStreamEnds.get(run);
            } else {
                hasResponse = true;
                responseEnd = (int) runStreamEnds.get(run);
                previousEnd = runEnds.get(run);
                responseEndTime = previousEnd - firstTimestamp;
            }
        }
        if (open) {
            builder.appendBounds(requestEnd, responseEnd, think, start, responseEndTime);
        }
    }
}
