package io.pcapreplay.tcp;

import io.pcapreplay.packet.IpTcpEncoder;
import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.packet.TcpOptions;
import io.pcapreplay.pcap.HandshakeOptions;

/**
 * Writes a connection's segments with one reused encoder and send buffer, and hands them to the
 * {@link PacketSender}. A SYN and a data segment return when they left: the clock read right before the sender was
 * called, with the packet ready (what the results are timed from). Not after the call: on a veth (and with any
 * sender whose call runs the receiving side's processing) the target may have answered before the call returns,
 * and a thread preempted in the call would return late; JMeter's own samplers also read the clock before the
 * connect or write. Event loop only; no allocation per packet.
 */
final class SegmentWriter {

    private final IpTcpEncoder encoder = new IpTcpEncoder();
    private final byte[] buffer = new byte[65_535];
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
        int length = encoder.encode(buffer, 0);
        long sent = clock.nanoTime();
        send(length);
        return sent;
    }

    /** Sends a segment without payload (ACK, FIN, RST) at {@code sequence}. */
    void control(Connection connection, int flags, int sequence, long now) {
        prepareWithAck(connection, flags, sequence, now);
        send(encoder.encode(buffer, 0));
    }

    /** Sends a bare RST (no ACK flag) at {@code sequence}: the answer to an unacceptable ACK in SYN_SENT. */
    void reset(Connection connection, int sequence) {
        prepare(connection, TcpHeader.RST, sequence, 0);
        encoder.options().clear();
        encoder.window(0);
        send(encoder.encode(buffer, 0));
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
        int encoded = encoder.encode(buffer, 0, buffer, header, copied);
        long sent = clock.nanoTime();
        send(encoded);
        return sent;
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
