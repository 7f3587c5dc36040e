package io.pcapreplay.pcap;

import io.pcapreplay.packet.IpTcpView;
import io.pcapreplay.packet.Ipv4Header;
import io.pcapreplay.packet.PacketProtocolException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
    private final Map<ConnectionKey, CapturedConnection> open = new HashMap<>();
    private final Map<LinkType, FrameDecoder> decoders = new EnumMap<>(LinkType.class);
    private final Map<Integer, Long> unsupportedFrames = new TreeMap<>();
    private final List<CapturedConnection> closed = new ArrayList<>();
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
        frame(frameDecoder, frame, capturedLength, originalLength, timestampNanos);
    }

    /**
     * Takes one frame of a given link type (pcapng interfaces may differ); frames of unsupported link types are
     * counted and skipped.
     *
     * @param dlt the link type of the frame's interface
     * @param frame the frame bytes
     * @param originalLength the frame's length on the wire
     * @param timestampNanos the capture time
     */
    void frame(int dlt, byte[] frame, int originalLength, long timestampNanos) {
        LinkType type = LinkType.valueOf(dlt);
        if (type == null) {
            frames++;
            unsupportedFrames.merge(dlt, 1L, Long::sum);
            return;
        }
        FrameDecoder decoder = decoders.computeIfAbsent(type, FrameDecoder::new);
        frame(decoder, frame, frame.length, originalLength, timestampNanos);
    }

    private void frame(FrameDecoder decoder, byte[] frame, int capturedLength, int originalLength,
                       long timestampNanos) {
        frames++;
        if (!decoder.decode(frame, capturedLength)) {
            nonIpFrames++;
            return;
        }
        try {
            view.wrap(frame, decoder.ipOffset(), decoder.ipLength());
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
        CapturedConnection connection = open.get(probe.set(view));
        if (connection != null && connection.isReopenedBy(view)) {
            open.remove(probe);
            connection.finish();
            closed.add(connection);
            connection = null;
        }
        if (connection == null) {
            connection = new CapturedConnection(view, timestampNanos, options.maxBufferedBytes());
            open.put(probe.copy(), connection);
        }
        connection.accept(view, wirePayload, timestampNanos);
    }

    /**
     * The payload length on the wire. When the frame was captured whole, an IP length beyond it is not believed
     * (the packet never had those bytes). When the snaplen cut the frame, the payload ends where the IP length says,
     * but not after the frame's original length (which alone tells it when the IPv4 total length is 0, TSO).
     */
    private int wirePayloadLength(int capturedLength, int originalLength) {
        if (originalLength <= capturedLength) {
            return view.capturedPayloadLength();
        }
        int atMost = Math.max(view.capturedPayloadLength(), originalLength - view.payloadOffset());
        if (view.version() == 4 && Ipv4Header.totalLength(view.buffer(), view.ipOffset()) == 0) {
            return atMost;
        }
        return Math.min(view.payloadLength(), atMost);
    }

    /** Returns how many frames were taken: the count. */
    long frames() {
        return frames;
    }

    /**
     * Ends reading: closes every connection and builds the capture.
     *
     * @param file the file read
     * @param fileProblems problems found while reading (READ_ERROR)
     * @return the capture
     */
    Capture finish(Path file, List<Problem> fileProblems) {
        List<CapturedConnection> all = new ArrayList<>(closed);
        for (CapturedConnection connection : open.values()) {
            connection.finish();
            all.add(connection);
        }
        all.sort(Comparator.comparingLong(CapturedConnection::firstTimestamp));
        List<RecordedSession> sessions = new ArrayList<>();
        long empty = 0;
        long requestBytes = 0;
        long responseBytes = 0;
        long retransmittedBytes = 0;
        for (CapturedConnection connection : all) {
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
        unsupportedFrames.forEach((dlt, count) -> problems.add(new Problem(ProblemKind.UNSUPPORTED_LINK_TYPE,
            Side.NONE, count, 0, count + " frame(s) of interfaces with link type " + dlt + " skipped (supported: "
                + LinkType.supported() + ")")));
        CaptureTotals totals = new CaptureTotals(frames, nonIpFrames, nonTcpPackets, malformedFrames, tcpSegments,
            otherPortSegments, all.size(), empty, sessions.size(), requestBytes, responseBytes, retransmittedBytes,
            truncatedFrames);
        return new Capture(file, linkType, sessions, totals, problems);
    }
}
