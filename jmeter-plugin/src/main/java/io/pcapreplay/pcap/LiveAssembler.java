package io.pcapreplay.pcap;

import io.pcapreplay.packet.IpTcpView;
import io.pcapreplay.packet.PacketProtocolException;
import io.pcapreplay.packet.TcpHeader;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Turns live frames into growing sessions (the capture thread's side of a {@link LiveSessionStream}): each
 * connection to a chosen server port whose SYN is seen and that the sampling keeps is reassembled like a file's
 * ({@link CapturedConnection}); once its first request is complete (the server answered it) it is handed out as a
 * {@link LiveSession}, whose snapshot is rebuilt each time a request or a response completes, and which ends when
 * the connection closes (RST, or FIN both ways), goes idle, or passes the per-session limit.
 *
 * <p>Bounded: at most {@link CaptureOptions#maxOpenSessions()} connections tracked at once and
 * {@link CaptureOptions#maxWindowBytes()} bytes held by them (their reassembly and their latest snapshot); a new
 * session beyond either is not copied, a tracked one beyond the bytes cap is ended where it is; every drop is
 * counted. Connections already open when the capture started are not copied (their start is unknown). Not
 * thread-safe: the capture thread only.
 */
final class LiveAssembler {

    private final FrameDecoder decoder;
    private final IpTcpView view = new IpTcpView();
    private final CaptureOptions options;
    private final ServerPorts serverPorts;
    private final double percent;
    private final Predicate<RecordedSession> handOut;
    private final Map<ConnectionKey, Tracked> tracked = new HashMap<>();
    private final ConnectionKey probe = new ConnectionKey();
    private long heldBytes;
    volatile long frames;
    volatile long sessionsSeen;
    volatile long sessionsSampled;
    volatile long droppedInFlight;
    volatile long droppedBytes;
    volatile long tooLarge;
    volatile long withoutSyn;

    /** One connection being copied. */
    private static final class Tracked {
        final CapturedConnection connection;
        int client = -1;
        int runs;
        long counted;
        LiveSession live;
        boolean dropped;

        Tracked(CapturedConnection connection) {
            this.connection = connection;
        }
    }

    /**
     * Creates the assembler.
     *
     * @param linkType the capture's link type
     * @param options ports, limits (sessions in flight, bytes), idle time
     * @param percent the sampling percentage
     * @param handOut takes each new live session (its copies); false when it had no room (counted as a drop there)
     */
    LiveAssembler(LinkType linkType, CaptureOptions options, double percent, Predicate<RecordedSession> handOut) {
        this.decoder = new FrameDecoder(linkType);
        this.options = options;
        this.serverPorts = new ServerPorts(options.serverPorts());
        this.percent = percent;
        this.handOut = handOut;
    }

    /**
     * Takes one captured frame.
     *
     * @param buffer the frame
     * @param capturedLength its captured length
     * @param timestampNanos its capture time
     */
    void frame(byte[] buffer, int capturedLength, long timestampNanos) {
        frames++;
        if (!decoder.decode(buffer, 0, capturedLength)) {
            return;
        }
        try {
            view.wrap(buffer, decoder.ipOffset(), decoder.ipLength());
        } catch (PacketProtocolException e) {
            return;
        }
        if (!view.isTcp() || !serverPorts.keeps(view.sourcePort(), view.destinationPort())) {
            return;
        }
        Tracked entry = tracked.get(probe.set(view));
        boolean syn = (view.flags() & (TcpHeader.SYN | TcpHeader.ACK)) == TcpHeader.SYN;
        if (entry != null && syn && entry.connection.isReopenedBy(view)) {
            end(entry, timestampNanos);
            entry = null;
        }
        if (entry == null) {
            if (!syn) {
                withoutSyn++;
                return;
            }
            entry = start(timestampNanos);
            if (entry == null) {
                return;
            }
        }
        if (entry.dropped) {
            entry.connection.accept(view, 0, timestampNanos); // only its close is followed
        } else {
            entry.connection.accept(view, view.capturedPayloadLength(), timestampNanos);
            count(entry);
            int runs = entry.connection.runCount();
            if (runs != entry.runs) {
                entry.runs = runs;
                publish(entry);
            }
        }
        if (entry.connection.isClosed()) {
            end(entry, timestampNanos);
        }
    }

    private Tracked start(long timestampNanos) {
        int serverPort = view.destinationPort();
        if (serverPorts.isSelective() && !serverPorts.contains(serverPort)) {
            return null; // a SYN from the server's port: not a client session
        }
        sessionsSeen++;
        InetSocketAddress client = new InetSocketAddress(view.sourceAddress(), view.sourcePort());
        InetSocketAddress server = new InetSocketAddress(view.destinationAddress(), serverPort);
        if (!LiveSampling.keeps(client, server, percent)) {
            return null;
        }
        sessionsSampled++;
        if (tracked.size() >= options.maxOpenSessions()) {
            droppedInFlight++;
            return null;
        }
        if (heldBytes >= options.maxWindowBytes()) {
            droppedBytes++;
            return null;
        }
        Tracked entry = new Tracked(new CapturedConnection(probe.copy(), view, timestampNanos,
            options.maxBufferedBytes()));
        tracked.put(entry.connection.key, entry);
        return entry;
    }

    /** Counts what a connection holds (reassembly, and as much again for the snapshot replayers read). */
    private void count(Tracked entry) {
        long held = entry.connection.heldBytes() * (entry.live != null ? 2 : 1);
        heldBytes += held - entry.counted;
        entry.counted = held;
        if (held > options.maxSessionBytes()) {
            tooLarge++;
            cut(entry);
        } else if (heldBytes > options.maxWindowBytes()) {
            droppedBytes++;
            cut(entry);
        }
    }

    /** Stops copying a connection where it is (its replay ends after what was handed out). */
    private void cut(Tracked entry) {
        if (entry.live != null) {
            entry.live.end(entry.live.latest());
        }
        entry.dropped = true;
        entry.connection.discard();
        heldBytes -= entry.counted;
        entry.counted = 0;
    }

    /** A request or a response completed: the session's snapshot is rebuilt; the first one is handed out. */
    private void publish(Tracked entry) {
        if (entry.client < 0) {
            entry.client = entry.connection.clientDirection(serverPorts);
        }
        RecordedSession snapshot = entry.connection.toLiveSnapshot(entry.client);
        if (snapshot == null) {
            return;
        }
        if (entry.live != null) {
            entry.live.update(snapshot);
            return;
        }
        entry.live = new LiveSession(snapshot);
        if (!handOut.test(entry.live.session())) {
            entry.live.end(snapshot);
            entry.dropped = true;
            entry.connection.discard();
        }
        count(entry);
    }

    /** The connection closed or went idle: its final snapshot, or, when it never got handed out, its whole session. */
    private void end(Tracked entry, long timestampNanos) {
        tracked.remove(entry.connection.key);
        heldBytes -= entry.counted;
        entry.counted = 0;
        if (entry.dropped) {
            return;
        }
        if (entry.client < 0) {
            entry.client = entry.connection.clientDirection(serverPorts);
        }
        entry.connection.finish();
        RecordedSession last = entry.connection.hasPayload() ? entry.connection.toSession(entry.client) : null;
        if (entry.live != null) {
            entry.live.end(last != null && last.exchangeCount() >= entry.live.latest().exchangeCount() ? last
                : entry.live.latest());
        } else if (last != null && last.exchangeCount() > 0 && last.requestBytes() > 0) {
            LiveSession live = new LiveSession(last);
            live.end(last);
            handOut.test(live.session());
        }
        entry.connection.release();
    }

    /**
     * Ends the connections silent since before {@code nowNanos - idle} (call now and then).
     *
     * @param nowNanos the capture clock now: ns since the epoch
     */
    void expire(long nowNanos) {
        long before = nowNanos - options.idleNanos();
        for (Iterator<Tracked> iterator = Map.copyOf(tracked).values().iterator(); iterator.hasNext();) {
            Tracked entry = iterator.next();
            if (entry.connection.lastTimestamp() < before) {
                end(entry, nowNanos);
            }
        }
    }

    /** Ends every connection (the capture stops). */
    void finishAll(long nowNanos) {
        for (Tracked entry : Map.copyOf(tracked).values()) {
            end(entry, nowNanos);
        }
    }

    /** Returns the connections tracked now: the count. */
    int inFlight() {
        return tracked.size();
    }

    /** Returns the bytes they hold: the count. */
    long heldBytes() {
        return heldBytes;
    }
}
