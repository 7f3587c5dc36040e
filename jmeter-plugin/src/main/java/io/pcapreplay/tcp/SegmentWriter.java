package io.pcapreplay.tcp;

import io.pcapreplay.packet.IpTcpEncoder;
import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.packet.TcpOptions;
import io.pcapreplay.pcap.HandshakeOptions;
import java.util.Arrays;

/**
 * Writes a connection's segments with one reused encoder and send buffer, and hands them to the
 * {@link PacketSender}. A SYN and a data segment return when they left: the clock read right before the sender was
 * called, with the packet ready (what the results are timed from). Not after the call: on a veth (and with any
 * sender whose call runs the receiving side's processing) the target may have answered before the call returns,
 * and a thread preempted in the call would return late; JMeter's own samplers also read the clock before the
 * connect or write. Event loop only; no allocation per packet.
 *
 * <p>With a sender that {@linkplain PacketSender#sendsBatches() sends batches}, untimed segments (ACK, FIN, RST) are
 * gathered and leave in one call with the next SYN or data segment, or at {@link #flush()} (the end of the loop's
 * round): the gathered segments of the timed segment's own connection first (its handshake ACK before its first
 * request, as on the wire), then the timed segment, then the others. The clock is read before that call, so a
 * timed segment's time includes at most its own connection's preceding segments, never another connection's.
 */
final class SegmentWriter {

    /** Most segments gathered before they are sent anyway. */
    static final int MAX_GATHERED = 64;
    /** Room for one gathered segment: IPv6 and TCP headers with every option. */
    private static final int GATHERED_ROOM = 128;

    private final IpTcpEncoder encoder = new IpTcpEncoder();
    private final byte[] buffer = new byte[65_535];
    private final boolean gathering;
    private final byte[] gathered = new byte[MAX_GATHERED * GATHERED_ROOM + 2_048];
    private final int[] gatheredOffsets = new int[MAX_GATHERED];
    private final int[] gatheredLengths = new int[MAX_GATHERED];
    private final Connection[] gatheredConnections = new Connection[MAX_GATHERED];
    private final int[] orderOffsets = new int[MAX_GATHERED + 1];
    private final int[] orderLengths = new int[MAX_GATHERED + 1];
    private int gatheredCount;
    private int gatheredEnd;
    private long sendCalls;
    private final PacketSender sender;
    private final NanoClock clock;
    private final int receiveWindow;
    private final int timestampOffset;
    private volatile long packetsSent;
    private volatile long sendErrors;

    SegmentWriter(PacketSender sender, NanoClock clock, int receiveWindow, int timestampOffset) {
        this.sender = sender;
        this.clock = clock;
        this.receiveWindow = receiveWindow;
        this.timestampOffset = timestampOffset;
        this.gathering = sender.sendsBatches();
    }

    /**
     * Sends the SYN with the given options (window scale, SACK-permitted, timestamps as recorded).
     *
     * @return the clock right before the sender was called
     */
    long syn(Connection connection, HandshakeOptions options, int mss, long now) {
        prepare(connection, TcpHeader.SYN, connection.initialSequence, 0);
        TcpOptions written = encoder.options().clear().mss(mss);
        if (options.windowScale() >= 0) {
            written.windowScale(Math.min(options.windowScale(), TcpHeader.MAX_WINDOW_SCALE));
        }
        written.sackPermitted(options.sackPermitted());
        if (options.timestamps()) {
            written.timestamps(timestampValue(now), 0);
        }
        encoder.window(Math.min(0xFFFF, Math.max(0, options.window())));
        return sendTimed(connection, encoder.encode(buffer, 0));
    }

    /** Sends a segment without payload (ACK, FIN, RST) at {@code sequence}. */
    void control(Connection connection, int flags, int sequence, long now) {
        prepareWithAck(connection, flags, sequence, now);
        sendUntimed(connection);
    }

    /** Sends a bare RST (no ACK flag) at {@code sequence}: the answer to an unacceptable ACK in SYN_SENT. */
    void reset(Connection connection, int sequence) {
        prepare(connection, TcpHeader.RST, sequence, 0);
        encoder.options().clear();
        encoder.window(0);
        sendUntimed(connection);
    }

    /**
     * Sends {@code length} request bytes starting at sequence {@code sequence} of the current exchange.
     *
     * @return the clock right before the sender was called
     */
    long data(Connection connection, int sequence, int length, boolean push, long now) {
        prepareWithAck(connection, TcpHeader.ACK | (push ? TcpHeader.PSH : 0), sequence, now);
        int header = encoder.headerLength();
        int from = sequence - connection.requestStart;
        int copied = connection.exchange().copyRequest(from, buffer, header, length);
        return sendTimed(connection, encoder.encode(buffer, 0, buffer, header, copied));
    }

    /** Sends the gathered untimed segments, if any (the end of the loop's round). */
    void flush() {
        if (gatheredCount > 0) {
            sendGathered(gatheredOffsets, gatheredLengths, gatheredCount);
        }
    }

    /** Returns the calls to the sender so far (one system call each). */
    long sendCalls() {
        return sendCalls;
    }

    /** Sends the encoded segment in {@code buffer} now, with the gathered ones; returns the clock before the call. */
    private long sendTimed(Connection connection, int length) {
        if (gatheredCount == 0 || gatheredEnd + length > gathered.length) {
            flush(); // none gathered, or a large data segment: the gathered ones first, on their own
            long sent = clock.nanoTime();
            send(length);
            return sent;
        }
        System.arraycopy(buffer, 0, gathered, gatheredEnd, length);
        int count = 0;
        for (int i = 0; i < gatheredCount; i++) {
            if (gatheredConnections[i] == connection) {
                orderOffsets[count] = gatheredOffsets[i];
                orderLengths[count++] = gatheredLengths[i];
            }
        }
        orderOffsets[count] = gatheredEnd;
        orderLengths[count++] = length;
        for (int i = 0; i < gatheredCount; i++) {
            if (gatheredConnections[i] != connection) {
                orderOffsets[count] = gatheredOffsets[i];
                orderLengths[count++] = gatheredLengths[i];
            }
        }
        packetsSent++;
        long sent = clock.nanoTime();
        sendGathered(orderOffsets, orderLengths, count);
        return sent;
    }

    /** Sends the encoded untimed segment now, or gathers it when the sender takes batches. */
    private void sendUntimed(Connection connection) {
        if (!gathering) {
            send(encoder.encode(buffer, 0));
            return;
        }
        if (gatheredCount == MAX_GATHERED || gatheredEnd + GATHERED_ROOM > gathered.length) {
            flush();
        }
        int length = encoder.encode(gathered, gatheredEnd);
        gatheredOffsets[gatheredCount] = gatheredEnd;
        gatheredLengths[gatheredCount] = length;
        gatheredConnections[gatheredCount++] = connection;
        gatheredEnd += length;
        packetsSent++;
    }

    private void sendGathered(int[] offsets, int[] lengths, int count) {
        sendCalls++;
        try {
            sendErrors += sender.send(gathered, offsets, lengths, count);
        } catch (RuntimeException e) {
            sendErrors += count;
        } finally {
            Arrays.fill(gatheredConnections, 0, gatheredCount, null);
            gatheredCount = 0;
            gatheredEnd = 0;
        }
    }

    /** Returns the TSval of the engine's clock now: milliseconds plus a random offset. */
    int timestampValue(long now) {
        return (int) (now / 1_000_000) + timestampOffset;
    }

    /** Returns the packets sent so far. */
    long packetsSent() {
        return packetsSent;
    }

    private void prepareWithAck(Connection connection, int flags, int sequence, long now) {
        prepare(connection, flags | TcpHeader.ACK, sequence, connection.receiveNext);
        TcpOptions written = encoder.options().clear();
        if (connection.timestamps && (flags & TcpHeader.RST) == 0) {
            written.timestamps(timestampValue(now), connection.timestampRecent);
        }
        encoder.window(Math.min(0xFFFF, receiveWindow >>> connection.ownWindowScale));
        connection.ackAt = Connection.NONE;
        connection.segmentsUnacknowledged = 0;
    }

    private void prepare(Connection connection, int flags, int sequence, int acknowledgment) {
        Ipv6Endpoints ipv6 = connection.ipv6;
        if (ipv6 == null) {
            encoder.ipv4(connection.clientAddress, connection.serverAddress);
        } else {
            encoder.ipv6(ipv6.clientHigh, ipv6.clientLow, ipv6.serverHigh, ipv6.serverLow);
        }
        encoder.ports(connection.clientPort, connection.serverPort)
            .sequence(sequence)
            .acknowledgment(acknowledgment)
            .flags(flags);
    }

    private void send(int length) {
        packetsSent++;
        sendCalls++;
        try {
            sender.send(buffer, 0, length);
        } catch (RuntimeException e) {
            sendErrors++; // the sender's failure is a lost packet: TCP retransmits, timeouts report it
        }
    }

    /** Returns the packets the sender failed to send. */
    long sendErrors() {
        return sendErrors;
    }
}
