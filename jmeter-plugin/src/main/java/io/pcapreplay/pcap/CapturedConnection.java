package io.pcapreplay.pcap;

import io.pcapreplay.packet.IpAddresses;
import io.pcapreplay.packet.IpTcpView;
import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.packet.TcpOptions;
import java.net.InetAddress;

/**
 * One TCP connection being read: two {@link StreamReassembler}s (direction 0 = the endpoint that sent the first
 * captured packet, 1 = the other), handshake options, the first close, and "runs" (consecutive data of one
 * direction, in delivery order) from which the exchanges are cut once the client is known. Small until it carries
 * payload (addresses as numbers, byte and run arrays allocated on first use), since a capture may hold hundreds of
 * thousands of connections at once. {@link ConnectionWindow} keeps it in its lists until it is complete.
 */
final class CapturedConnection {

    /** Bytes per run in {@link #runs}: direction, start time, end time, stream end. */
    private static final int RUN_FIELDS = 4;

    /** Read by empty directions: never fed. */
    private static final StreamReassembler NO_STREAM = new StreamReassembler(null, 0);

    final ConnectionKey key;
    private final int version;
    private final long firstHigh;
    private final long firstLow;
    private final long secondHigh;
    private final long secondLow;
    private final int firstPort;
    private final int secondPort;
    private StreamReassembler firstStream;
    private StreamReassembler secondStream;
    private HandshakeOptions firstSyn = HandshakeOptions.ABSENT;
    private HandshakeOptions secondSyn = HandshakeOptions.ABSENT;
    private int firstInitialSequence;
    private int secondInitialSequence;
    private boolean firstFin;
    private boolean secondFin;
    private final long maxBufferedBytes;
    private final long firstTimestamp;
    private long lastTimestamp;
    private long segments;
    private int synFrom = -1;
    private int synAckFrom = -1;
    private long establishedTimestamp = -1;
    private boolean resetSeen;
    private int secondFinFrom = -1;
    private boolean closeAcknowledged;
    private CloseKind closeKind = CloseKind.NONE;
    private int closeDirection = -1;
    private long closeTimestamp;
    private final LongSink runs = new LongSink();

    /** Set by {@link ConnectionWindow}: its list links, the bytes it counted, a forced reason, and the outcome. */
    CapturedConnection previous;
    CapturedConnection next;
    ConnectionList list;
    long countedBytes;
    LeftOutReason forcedReason;
    boolean complete;
    RecordedSession session;
    LeftOutSession leftOut;

    CapturedConnection(ConnectionKey key, IpTcpView first, long timestampNanos, long maxBufferedBytes) {
        this.key = key;
        version = first.version();
        firstHigh = first.sourceHigh();
        firstLow = first.sourceLow();
        secondHigh = first.destinationHigh();
        secondLow = first.destinationLow();
        firstPort = first.sourcePort();
        secondPort = first.destinationPort();
        this.maxBufferedBytes = maxBufferedBytes;
        firstTimestamp = timestampNanos;
        lastTimestamp = timestampNanos;
    }

    /** Returns 0 when the packet was sent by the first sender, else 1. */
    int directionOf(IpTcpView view) {
        return view.sourceHigh() == firstHigh && view.sourceLow() == firstLow && view.sourcePort() == firstPort
            ? 0 : 1;
    }

    /** Returns a direction's stream for reading (an empty one before its first segment, or once released). */
    StreamReassembler stream(int direction) {
        StreamReassembler stream = direction == 0 ? firstStream : secondStream;
        return stream == null ? NO_STREAM : stream;
    }

    /** Returns a direction's stream for feeding, created on its first segment. */
    private StreamReassembler feed(int direction) {
        if (direction == 0) {
            if (firstStream == null) {
                firstStream = new StreamReassembler(this, 0);
            }
            return firstStream;
        }
        if (secondStream == null) {
            secondStream = new StreamReassembler(this, 1);
        }
        return secondStream;
    }

    long maxBufferedBytes() {
        return maxBufferedBytes;
    }

    /** Tells whether this packet opens a new connection on the same 4-tuple (port reuse after a close). */
    boolean isReopenedBy(IpTcpView view) {
        int flags = view.flags();
        if ((flags & (TcpHeader.SYN | TcpHeader.ACK)) != TcpHeader.SYN) {
            return false;
        }
        int direction = directionOf(view);
        int initialSequence = direction == 0 ? firstInitialSequence : secondInitialSequence;
        return isClosed() && !(synFrom == direction && initialSequence == view.sequence());
    }

    /** Tells whether a RST, or a FIN from each side, was seen. */
    boolean isClosed() {
        return resetSeen || firstFin && secondFin;
    }

    /** Tells whether the close is over: a RST, or both FINs and a packet (the last ACK) after the second one. */
    boolean isCloseOver() {
        return resetSeen || closeAcknowledged;
    }

    void accept(IpTcpView view, int wirePayloadLength, long timestampNanos) {
        int direction = directionOf(view);
        int flags = view.flags();
        segments++;
        lastTimestamp = Math.max(lastTimestamp, timestampNanos);
        if ((flags & TcpHeader.SYN) != 0) {
            recordSyn(view, direction, flags, timestampNanos);
        }
        if ((flags & TcpHeader.SYN) != 0 || wirePayloadLength > 0 || (direction == 0 ? firstStream : secondStream)
                != null) {
            feed(direction).segment(view.sequence(), flags, view.buffer(), view.payloadOffset(),
                view.capturedPayloadLength(), wirePayloadLength, timestampNanos);
        }
        if ((flags & (TcpHeader.FIN | TcpHeader.RST)) != 0 && closeKind == CloseKind.NONE) {
            closeKind = (flags & TcpHeader.RST) != 0 ? CloseKind.RST : CloseKind.FIN;
            closeDirection = direction;
            closeTimestamp = timestampNanos;
        }
        resetSeen |= (flags & TcpHeader.RST) != 0;
        if (secondFinFrom >= 0 && direction != secondFinFrom) {
            closeAcknowledged = true;
        }
        if ((flags & TcpHeader.FIN) != 0 && !(direction == 0 ? firstFin : secondFin)) {
            if (direction == 0) {
                firstFin = true;
            } else {
                secondFin = true;
            }
            if (firstFin && secondFin) {
                secondFinFrom = direction;
            }
        }
    }

    private void recordSyn(IpTcpView view, int direction, int flags, long timestampNanos) {
        boolean synAck = (flags & TcpHeader.ACK) != 0;
        if (synAck ? synAckFrom >= 0 : synFrom >= 0) {
            return;
        }
        TcpOptions options = view.options();
        HandshakeOptions handshake = new HandshakeOptions(options.mss(), options.windowScale(),
            options.sackPermitted(), options.hasTimestamps(), view.window());
        if (direction == 0) {
            firstSyn = handshake;
            firstInitialSequence = view.sequence();
        } else {
            secondSyn = handshake;
            secondInitialSequence = view.sequence();
        }
        if (synAck) {
            synAckFrom = direction;
            establishedTimestamp = timestampNanos;
        } else {
            synFrom = direction;
        }
    }

    /** Called by a stream when bytes were appended to it. */
    void delivered(int direction, int streamEnd, long timestampNanos) {
        int count = runs.size() / RUN_FIELDS;
        if (count > 0 && runs.get((count - 1) * RUN_FIELDS) == direction) {
            runs.set((count - 1) * RUN_FIELDS + 2, timestampNanos);
            runs.set((count - 1) * RUN_FIELDS + 3, streamEnd);
            return;
        }
        runs.add(direction);
        runs.add(timestampNanos);
        runs.add(timestampNanos);
        runs.add(streamEnd);
    }

    /** Returns the heap held for payload and runs: bytes (what the window's limits count). */
    long heldBytes() {
        return stream(0).heldBytes() + stream(1).heldBytes() + runs.capacityBytes();
    }

    /** Drops what is held and ignores later payload: returns the bytes released. */
    long discard() {
        long held = heldBytes();
        feed(0).discard();
        feed(1).discard();
        runs.release();
        return held;
    }

    /** Ends every stream: holes still open are gaps. */
    void finish() {
        stream(0).finish(lastTimestamp);
        stream(1).finish(lastTimestamp);
    }

    boolean hasPayload() {
        return stream(0).hasPayload() || stream(1).hasPayload();
    }

    long firstTimestamp() {
        return firstTimestamp;
    }

    long lastTimestamp() {
        return lastTimestamp;
    }

    /**
     * Chooses the client: the sender of the SYN; else the receiver of the SYN-ACK; else the side on none of the
     * chosen server ports; else the side with the higher port (ephemeral vs well-known); on equal ports the first
     * sender.
     */
    int clientDirection(ServerPorts serverPorts) {
        if (synFrom >= 0) {
            return synFrom;
        }
        if (synAckFrom >= 0) {
            return 1 - synAckFrom;
        }
        if (serverPorts.isSelective() && firstPort != secondPort) {
            boolean first = serverPorts.contains(firstPort);
            boolean second = serverPorts.contains(secondPort);
            if (first != second) {
                return first ? 1 : 0;
            }
        }
        return secondPort > firstPort ? 1 : 0;
    }

    int port(int direction) {
        return direction == 0 ? firstPort : secondPort;
    }

    Endpoint endpoint(int direction) {
        long high = direction == 0 ? firstHigh : secondHigh;
        long low = direction == 0 ? firstLow : secondLow;
        InetAddress address = version == 4 ? IpAddresses.toInetAddress((int) low)
            : IpAddresses.toInetAddress(high, low);
        return new Endpoint(address, port(direction));
    }

    /** What a whole session and a live snapshot share: endpoints, handshake, timing. */
    private RecordedSession.Builder builder(int client) {
        return RecordedSession.builder(endpoint(client), endpoint(1 - client))
            .synSeen(synFrom == client)
            .handshake(client == 0 ? firstSyn : secondSyn, client == 0 ? secondSyn : firstSyn)
            .timing(firstTimestamp, lastTimestamp - firstTimestamp);
    }

    RecordedSession toSession(int client) {
        int server = 1 - client;
        RecordedSession.Builder builder = builder(client)
            .close(closeKind == CloseKind.NONE ? SessionClose.NONE : new SessionClose(closeKind,
                closeDirection == client ? Side.CLIENT : Side.SERVER, Math.max(0, closeTimestamp - firstTimestamp)))
            .statistics(statistics())
            .streams(stream(client).stream(), stream(server).stream());
        appendExchanges(builder, client, false);
        SessionProblems.add(builder, this, client);
        return builder.build();
    }

    /**
     * A snapshot of a connection still open (a live capture): the exchanges whose request is complete (the server
     * answered it), the last one's response pending while the server may still be sending it; no problems, no close.
     *
     * @param client the client direction
     * @return the snapshot, or null when no request is complete yet
     */
    RecordedSession toLiveSnapshot(int client) {
        int server = 1 - client;
        RecordedSession.Builder builder = builder(client).statistics(statistics());
        int[] ends = appendExchanges(builder, client, true);
        if (ends[2] == 0) {
            return null;
        }
        boolean responseGrowing = runCount() > 0 && lastRunDirection() == server;
        return builder.streams(stream(client).stream().prefix(ends[0]), stream(server).stream().prefix(ends[1]))
            .responsePending(responseGrowing).build();
    }

    /** Returns the runs so far (consecutive data of one direction): the count. */
    int runCount() {
        return runs.size() / RUN_FIELDS;
    }

    /** Returns the direction of the last run, or -1 before any payload. */
    int lastRunDirection() {
        int count = runCount();
        return count == 0 ? -1 : (int) runs.get((count - 1) * RUN_FIELDS);
    }

    /** Lets the reassembly state go once the outcome is built (the streams are gone: only the 4-tuple and the
     * handshake and close state stay, for a lingering connection). */
    void release() {
        firstStream = null;
        secondStream = null;
        runs.release();
    }

    /** Tells whether a direction still waits for bytes before early segments (a hole the capture may fill). */
    boolean hasHoles() {
        return stream(0).hasPending() || stream(1).hasPending();
    }

    private SessionStatistics statistics() {
        return new SessionStatistics(segments,
            stream(0).retransmittedSegments() + stream(1).retransmittedSegments(),
            stream(0).retransmittedBytes() + stream(1).retransmittedBytes(),
            stream(0).outOfOrderSegments() + stream(1).outOfOrderSegments());
    }

    boolean synSeenFrom(int direction) {
        return synFrom == direction;
    }

    CloseKind closeKind() {
        return closeKind;
    }

    /**
     * Cuts the runs into exchanges.
     *
     * @param live leave out a last exchange that has no response yet (its request may still grow)
     * @return the request and response stream ends covered, and the exchanges appended
     */
    private int[] appendExchanges(RecordedSession.Builder builder, int client, boolean live) {
        int appended = 0;
        int coveredRequests = 0;
        int coveredResponses = 0;
        long previousEnd = establishedTimestamp >= 0 ? establishedTimestamp : firstTimestamp;
        int requestEnd = 0;
        int responseEnd = 0;
        boolean open = false;
        boolean hasResponse = false;
        long think = 0;
        long start = 0;
        long responseEndTime = 0;
        for (int run = 0; run < runs.size(); run += RUN_FIELDS) {
            boolean fromClient = runs.get(run) == client;
            if (fromClient && open && hasResponse) {
                builder.appendBounds(requestEnd, responseEnd, think, start, responseEndTime);
                appended++;
                coveredRequests = requestEnd;
                coveredResponses = responseEnd;
                open = false;
            }
            if (!open) {
                open = true;
                hasResponse = false;
                long runStart = runs.get(run + 1);
                think = fromClient ? Math.max(0, runStart - previousEnd) : 0;
                start = Math.max(0, runStart - firstTimestamp);
                responseEndTime = start;
            }
            if (fromClient) {
                requestEnd = (int) runs.get(run + 3);
            } else {
                hasResponse = true;
                responseEnd = (int) runs.get(run + 3);
                previousEnd = runs.get(run + 2);
                responseEndTime = Math.max(start, runs.get(run + 2) - firstTimestamp);
            }
        }
        if (open && (hasResponse || !live)) {
            builder.appendBounds(requestEnd, responseEnd, think, start, responseEndTime);
            appended++;
            coveredRequests = requestEnd;
            coveredResponses = responseEnd;
        }
        return new int[] {coveredRequests, coveredResponses, appended};
    }
}
