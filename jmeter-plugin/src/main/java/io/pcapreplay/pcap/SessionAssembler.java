package io.pcapreplay.pcap;

import io.pcapreplay.packet.IpTcpView;
import io.pcapreplay.packet.Ipv4Header;
import io.pcapreplay.packet.PacketProtocolException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns frames into sessions: link layer, IP/TCP decoding, connection tracking, reassembly. Independent of
 * libpcap (frames come from {@link CaptureReader}, or from tests). Not thread-safe.
 */
final class SessionAssembler {

    private final FrameDecoder frameDecoder;
    private final LinkType linkType;
    private final CaptureOptions options;
    private final IpTcpView view = new IpTcpView();
    private final ConnectionKey probe = new ConnectionKey();
    private final Map<ConnectionKey, Connection> open = new HashMap<>();
    private final List<Connection> closed = new ArrayList<>();
    private long frames;
    private long nonIpFrames;
    private long nonTcpPackets;
    private long malformedFrames;
    private String firstMalformed;
    private long tcpSegments;
    private long otherPortSegments;
    private long truncatedFrames;

    SessionAssembler(LinkType linkType, CaptureOptions options) {
        this.linkType = linkType;
        this.frameDecoder = new FrameDecoder(linkType);
        this.options = options;
    }

    /**
     * Takes one frame.
     *
     * @param frame the frame bytes, starting with the link-layer header (kept only as copies)
     * @param capturedLength the captured length
     * @param originalLength the frame's length on the wire (more than captured when the snaplen cut it)
     * @param timestampNanos the capture time
     */
    void frame(byte[] frame, int capturedLength, int originalLength, long timestampNanos) {
        frames++;
        if (!frameDecoder.decode(frame, capturedLength)) {
            nonIpFrames++;
            return;
        }
        try {
            view.wrap(frame, frameDecoder.ipOffset(), frameDecoder.ipLength());
        } catch (PacketProtocolException e) {
            malformedFrames++;
            if (firstMalformed == null) {
                firstMalformed = "frame " + frames + ": " + e.getMessage();
            }
            return;
        }
        if (!view.isTcp()) {
            nonTcpPackets++;
            return;
        }
        int port = options.serverPort();
        if (port > 0 && view.sourcePort() != port && view.destinationPort() != port) {
            otherPortSegments++;
            return;
        }
        tcpSegments++;
        int wirePayload = wirePayloadLength(capturedLength, originalLength);
        if (wirePayload > view.capturedPayloadLength()) {
            truncatedFrames++;
        }
        Connection connection = open.get(probe.set(view));
        if (connection != null && connection.isReopenedBy(view)) {
            open.remove(probe);
            connection.finish();
            closed.add(connection);
            connection = null;
        }
        if (connection == null) {
            connection = new Connection(view, timestampNanos, options.maxBufferedBytes());
            open.put(probe.copy(), connection);
        }
        connection.accept(view, wirePayload, timestampNanos);
    }

    /**
     * The payload length on the wire. When the frame was captured whole, an IP length beyond it is not believed
     * (the packet never had those bytes). When the snaplen cut the frame and the IPv4 total length is 0 (TSO), the
     * frame's original length tells how much is missing.
     */
    private int wirePayloadLength(int capturedLength, int originalLength) {
        if (originalLength <= capturedLength) {
            return view.capturedPayloadLength();
        }
        if (view.version() == 4 && Ipv4Header.totalLength(view.buffer(), view.ipOffset()) == 0) {
            return view.payloadLength() + (originalLength - capturedLength);
        }
        return view.payloadLength();
    }

    /**
     * Ends reading: closes every connection and builds the capture.
     *
     * @param file the file read
     * @param fileProblems problems found while reading (READ_ERROR)
     * @return the capture
     */
    Capture finish(Path file, List<Problem> fileProblems) {
        List<Connection> all = new ArrayList<>(closed);
        for (Connection connection : open.values()) {
            connection.finish();
            all.add(connection);
        }
        all.sort(Comparator.comparingLong(Connection::firstTimestamp));
        List<RecordedSession> sessions = new ArrayList<>();
        long empty = 0;
        long requestBytes = 0;
        long responseBytes = 0;
        long retransmittedBytes = 0;
        for (Connection connection : all) {
            if (!connection.hasPayload()) {
                empty++;
                continue;
            }
            int client = connection.clientDirection(options.serverPort());
            if (options.serverPort() > 0 && connection.port(1 - client) != options.serverPort()) {
                continue;
            }
            RecordedSession session = connection.toSession(client);
            sessions.add(session);
            requestBytes += session.requestBytes();
            responseBytes += session.responseBytes();
            retransmittedBytes += session.statistics().retransmittedBytes();
        }
        List<Problem> problems = new ArrayList<>(fileProblems);
        if (malformedFrames > 0) {
            problems.add(new Problem(ProblemKind.MALFORMED, Side.NONE, malformedFrames, 0, malformedFrames
                + " frame(s) with malformed IP/TCP headers skipped, first: " + firstMalformed));
        }
        CaptureTotals totals = new CaptureTotals(frames, nonIpFrames, nonTcpPackets, malformedFrames, tcpSegments,
            otherPortSegments, all.size(), empty, sessions.size(), requestBytes, responseBytes, retransmittedBytes,
            truncatedFrames);
        return new Capture(file, linkType, sessions, totals, problems);
    }
}
