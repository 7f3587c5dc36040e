package io.pcapreplay.pcap;

import io.pcapreplay.packet.IpTcpView;
import io.pcapreplay.packet.Ipv4Header;
import io.pcapreplay.packet.PacketProtocolException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns frames into sessions: link layer, IP/TCP decoding, connection tracking and reassembly in a
 * {@link ConnectionWindow}. Independent of the file format (frames come from a {@link CaptureFile}, or from tests).
 * No allocation per frame but for connections and payload. Not thread-safe.
 */
final class SessionAssembler {

    private final LinkType linkType;
    private final FrameDecoder frameDecoder;
    private final IpTcpView view = new IpTcpView();
    private final Map<LinkType, FrameDecoder> decoders = new EnumMap<>(LinkType.class);
    private final Map<Integer, Long> unsupportedFrames = new TreeMap<>();
    private final ServerPorts serverPorts;
    private final SessionOutcomes outcomes;
    private final ConnectionWindow window;
    private long frames;
    private long nonIpFrames;
    private long nonTcpPackets;
    private long malformedFrames;
    private String firstMalformed;
    private long tcpSegments;
    private long otherPortSegments;
    private long truncatedFrames;
    private long filteredFrames;

    SessionAssembler(LinkType linkType, CaptureOptions options) {
        this(linkType, options, "capture");
    }

    SessionAssembler(LinkType linkType, CaptureOptions options, String source) {
        this.linkType = linkType;
        this.frameDecoder = new FrameDecoder(linkType);
        this.serverPorts = new ServerPorts(options.serverPorts());
        this.outcomes = new SessionOutcomes(source, options, serverPorts);
        this.window = new ConnectionWindow(options, outcomes);
    }

    /**
     * Takes one frame of the capture's link type (tests).
     *
     * @param frame the frame bytes from index 0 (kept only as copies)
     * @param capturedLength the captured length
     * @param originalLength the frame's length on the wire (more than captured when the snaplen cut it)
     * @param timestampNanos the capture time
     */
    void frame(byte[] frame, int capturedLength, int originalLength, long timestampNanos) {
        frame(frameDecoder, frame, 0, capturedLength, originalLength, timestampNanos);
    }

    /**
     * Takes one frame.
     *
     * @param type the link type of the frame (pcapng interfaces may differ)
     * @param buffer the bytes (kept only as copies)
     * @param offset where the frame starts
     * @param capturedLength the captured length
     * @param originalLength the frame's length on the wire
     * @param timestampNanos the capture time
     */
    void frame(LinkType type, byte[] buffer, int offset, int capturedLength, int originalLength,
               long timestampNanos) {
        FrameDecoder decoder = type == linkType ? frameDecoder : decoders.computeIfAbsent(type, FrameDecoder::new);
        frame(decoder, buffer, offset, capturedLength, originalLength, timestampNanos);
    }

    /** Counts a frame of an interface whose link type is not supported (skipped). */
    void unsupportedFrame(int dlt) {
        frames++;
        unsupportedFrames.merge(dlt, 1L, Long::sum);
    }

    /** Counts a frame the BPF filter rejected. */
    void filteredFrame() {
        frames++;
        filteredFrames++;
    }

    private void frame(FrameDecoder decoder, byte[] buffer, int offset, int capturedLength, int originalLength,
                       long timestampNanos) {
        frames++;
        if (!decoder.decode(buffer, offset, capturedLength)) {
            nonIpFrames++;
            return;
        }
        try {
            view.wrap(buffer, decoder.ipOffset(), decoder.ipLength());
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
        if (!serverPorts.keeps(view.sourcePort(), view.destinationPort())) {
            otherPortSegments++;
            return;
        }
        tcpSegments++;
        int wirePayload = wirePayloadLength(capturedLength, originalLength, offset);
        if (wirePayload > view.capturedPayloadLength()) {
            truncatedFrames++;
        }
        window.segment(view, wirePayload, Math.max(0, timestampNanos));
    }

    /**
     * The payload length on the wire. When the frame was captured whole, an IP length beyond it is not believed
     * (the packet never had those bytes). When the snaplen cut the frame, the payload ends where the IP length says,
     * but not after the frame's original length (which alone tells it when the IPv4 total length is 0, TSO).
     */
    private int wirePayloadLength(int capturedLength, int originalLength, int frameOffset) {
        if (originalLength <= capturedLength) {
            return view.capturedPayloadLength();
        }
        int atMost = Math.max(view.capturedPayloadLength(), originalLength - (view.payloadOffset() - frameOffset));
        if (view.version() == 4 && Ipv4Header.totalLength(view.buffer(), view.ipOffset()) == 0) {
            return atMost;
        }
        return Math.min(view.payloadLength(), atMost);
    }

    /** Tells whether the first session of the window is complete: whether {@link #poll()} has one. */
    boolean ready() {
        return window.ready();
    }

    /** Returns the outcome of the first connection if complete, else null (see {@link ConnectionWindow#poll()}). */
    ConnectionWindow.Outcome poll() {
        return window.poll();
    }

    /** Completes every connection (end of the file). */
    void finishAll() {
        window.finishAll();
    }

    /** Returns how many frames were taken: the count. */
    long frames() {
        return frames;
    }

    /** Returns the connections in the window now: the count. */
    int windowSize() {
        return window.size();
    }

    /** Returns the bytes the window holds now: the count. */
    long windowBytes() {
        return window.heldBytes();
    }

    LeftOutCounts leftOut() {
        return outcomes.leftOut();
    }

    /** Returns the counters so far (final after {@link #finishAll()} and every connection polled). */
    CaptureTotals totals() {
        LeftOutCounts counts = outcomes.leftOut();
        return new CaptureTotals(frames, nonIpFrames, nonTcpPackets, malformedFrames, tcpSegments, otherPortSegments,
            window.connections(), counts.count(LeftOutReason.NO_PAYLOAD), outcomes.sessions(),
            outcomes.requestBytes(), outcomes.responseBytes(), outcomes.retransmittedBytes(), truncatedFrames,
            filteredFrames, counts);
    }

    /** Returns the problems of the capture as a whole (malformed frames, unsupported interfaces) so far. */
    List<Problem> problems() {
        List<Problem> problems = new ArrayList<>();
        if (malformedFrames > 0) {
            problems.add(new Problem(ProblemKind.MALFORMED, Side.NONE, malformedFrames, 0, malformedFrames
                + " frame(s) with malformed IP/TCP headers skipped, first: " + firstMalformed));
        }
        unsupportedFrames.forEach((dlt, count) -> problems.add(new Problem(ProblemKind.UNSUPPORTED_LINK_TYPE,
            Side.NONE, count, 0, count + " frame(s) of interfaces with link type " + dlt + " skipped (supported: "
                + LinkType.supported() + ")")));
        if (window.ignoredSegments() > 0) {
            problems.add(new Problem(ProblemKind.LEFT_OUT, Side.NONE, window.ignoredSegments(), 0,
                window.ignoredSegments() + " segment(s) of sessions left out while still open ignored"));
        }
        return problems;
    }

    /**
     * Ends reading and collects everything (tests): completes every connection and builds the capture.
     *
     * @param file the file read
     * @param fileProblems problems found while reading (READ_ERROR)
     * @return the capture
     */
    Capture finish(Path file, List<Problem> fileProblems) {
        finishAll();
        List<RecordedSession> sessions = new ArrayList<>();
        List<LeftOutSession> leftOut = new ArrayList<>();
        for (ConnectionWindow.Outcome outcome = poll(); outcome != null; outcome = poll()) {
            if (outcome.session() != null) {
                sessions.add(outcome.session());
            } else if (outcome.leftOut() != null) {
                leftOut.add(outcome.leftOut());
            }
        }
        List<Problem> problems = new ArrayList<>(fileProblems);
        problems.addAll(problems());
        return new Capture(file, linkType, sessions, totals(), problems, leftOut);
    }
}
