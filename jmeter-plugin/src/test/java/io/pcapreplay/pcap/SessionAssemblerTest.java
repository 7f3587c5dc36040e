package io.pcapreplay.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.packet.IpTcpEncoder;
import io.pcapreplay.packet.TcpHeader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Reassembly and session cutting on hand-made segments (raw IPv4 frames built with IpTcpEncoder). */
class SessionAssemblerTest {

    private static final int CLIENT_IP = 0xC612_0001;
    private static final int SERVER_IP = 0xC613_0002;
    private static final int CLIENT_PORT = 40000;
    private static final int SERVER_PORT = 80;
    private static final int CLIENT_ISN = 1000;
    private static final int SERVER_ISN = 5000;
    private static final long SECOND = 1_000_000_000L;

    private final byte[] data = pattern(1000);
    private SessionAssembler assembler = new SessionAssembler(LinkType.RAW, CaptureOptions.defaults());

    @Test
    void shouldTrimOverlapWhenRetransmissionCoversDeliveredBytes() {
        handshake(0);
        client(1, CLIENT_ISN + 1, 0, 100);
        client(2, CLIENT_ISN + 51, 50, 100);
        client(3, CLIENT_ISN + 1, 0, 100);

        RecordedSession session = only();

        assertThat(session.requestBytes()).isEqualTo(150);
        assertThat(requestStream(session)).isEqualTo(Arrays.copyOf(data, 150));
        assertThat(session.statistics().retransmittedBytes()).isEqualTo(50 + 100);
        assertThat(session.statistics().retransmittedSegments()).isEqualTo(1);
        assertThat(session.problems()).extracting(Problem::kind).containsExactly(ProblemKind.NO_CLOSE);
    }

    @Test
    void shouldReorderWhenSegmentsArriveOutOfOrder() {
        handshake(0);
        client(1, CLIENT_ISN + 101, 100, 100);
        client(2, CLIENT_ISN + 201, 200, 50);
        client(3, CLIENT_ISN + 1, 0, 100);

        RecordedSession session = only();

        assertThat(session.requestBytes()).isEqualTo(250);
        assertThat(requestStream(session)).isEqualTo(Arrays.copyOf(data, 250));
        assertThat(session.statistics().outOfOrderSegments()).isEqualTo(2);
        assertThat(session.hasProblem(ProblemKind.GAP)).isFalse();
    }

    @Test
    void shouldGiveUpHoleAsGapWhenBufferLimitIsExceeded() {
        assembler = new SessionAssembler(LinkType.RAW, CaptureOptions.defaults().withMaxBufferedBytes(150));
        handshake(0);
        client(1, CLIENT_ISN + 101, 100, 100);
        client(2, CLIENT_ISN + 301, 300, 100);

        RecordedSession session = only();

        assertThat(session.requestBytes()).isEqualTo(200);
        Problem gap = session.problems().stream().filter(problem -> problem.kind() == ProblemKind.GAP).findFirst()
            .orElseThrow();
        assertThat(gap.side()).isEqualTo(Side.CLIENT);
        assertThat(gap.occurrences()).isEqualTo(2);
        assertThat(gap.bytes()).isEqualTo(200);
    }

    @Test
    void shouldNotDuplicateBytesWhenFrameIsLoggedTwice() {
        handshake(0);
        client(1, CLIENT_ISN + 1, 0, 100);
        client(1, CLIENT_ISN + 1, 0, 100);

        RecordedSession session = only();

        assertThat(session.requestBytes()).isEqualTo(100);
        assertThat(session.statistics().retransmittedSegments()).isEqualTo(1);
    }

    @Test
    void shouldJoinSegmentsWhenSequenceNumbersWrapAround() {
        int isn = 0xFFFF_FFC0;
        frame(0, CLIENT_IP, SERVER_IP, CLIENT_PORT, SERVER_PORT, isn, 0, TcpHeader.SYN, 0, 0);
        frame(0, CLIENT_IP, SERVER_IP, CLIENT_PORT, SERVER_PORT, isn + 1, 0, TcpHeader.ACK, 0, 100);
        frame(0, CLIENT_IP, SERVER_IP, CLIENT_PORT, SERVER_PORT, isn + 101, 0, TcpHeader.ACK, 100, 100);

        RecordedSession session = only();

        assertThat(session.requestBytes()).isEqualTo(200);
        assertThat(requestStream(session)).isEqualTo(Arrays.copyOf(data, 200));
    }

    @Test
    void shouldCutExchangesAndMeasureThinkTimeWhenClientSpeaksAfterServer() {
        handshake(0);
        client(SECOND, CLIENT_ISN + 1, 0, 10);
        server(SECOND + SECOND / 10, SERVER_ISN + 1, 0, 20);
        server(SECOND + SECOND / 5, SERVER_ISN + 21, 20, 20);
        client(3 * SECOND, CLIENT_ISN + 11, 10, 30);
        server(3 * SECOND + 1, SERVER_ISN + 41, 40, 5);
        frame(4 * SECOND, SERVER_IP, CLIENT_IP, SERVER_PORT, CLIENT_PORT, SERVER_ISN + 46, 0,
            TcpHeader.RST | TcpHeader.ACK, 0, 0);

        RecordedSession session = only();

        assertThat(session.exchangeCount()).isEqualTo(2);
        Exchange first = session.exchange(0);
        assertThat(first.requestLength()).isEqualTo(10);
        assertThat(first.responseLength()).isEqualTo(40);
        assertThat(first.thinkTimeNanos()).as("from the SYN-ACK at 0").isEqualTo(SECOND);
        assertThat(first.responseEndOffsetNanos()).isEqualTo(SECOND + SECOND / 5);
        Exchange second = session.exchange(1);
        assertThat(second.requestOffset()).isEqualTo(10);
        assertThat(second.requestLength()).isEqualTo(30);
        assertThat(second.responseOffset()).isEqualTo(40);
        assertThat(second.thinkTimeNanos()).isEqualTo(3 * SECOND - (SECOND + SECOND / 5));
        assertThat(session.close()).isEqualTo(new SessionClose(CloseKind.RST, Side.SERVER, 4 * SECOND));
        assertThat(session.durationNanos()).isEqualTo(4 * SECOND);
    }

    @Test
    void shouldStartNewSessionWhenFourTupleIsReusedAfterClose() {
        handshake(0);
        client(1, CLIENT_ISN + 1, 0, 10);
        frame(2, CLIENT_IP, SERVER_IP, CLIENT_PORT, SERVER_PORT, CLIENT_ISN + 11, 0, TcpHeader.FIN | TcpHeader.ACK, 0,
            0);
        frame(3, SERVER_IP, CLIENT_IP, SERVER_PORT, CLIENT_PORT, SERVER_ISN + 1, 0, TcpHeader.FIN | TcpHeader.ACK, 0,
            0);
        frame(SECOND, CLIENT_IP, SERVER_IP, CLIENT_PORT, SERVER_PORT, 90_000, 0, TcpHeader.SYN, 0, 0);
        frame(SECOND, CLIENT_IP, SERVER_IP, CLIENT_PORT, SERVER_PORT, 90_001, 0, TcpHeader.ACK, 0, 20);

        Capture capture = assembler.finish(Paths.get("test.pcap"), java.util.List.of());

        assertThat(capture.sessions()).hasSize(2);
        assertThat(capture.sessions().get(0).requestBytes()).isEqualTo(10);
        assertThat(capture.sessions().get(0).close().by()).isEqualTo(Side.CLIENT);
        assertThat(capture.sessions().get(1).requestBytes()).isEqualTo(20);
        assertThat(capture.sessions().get(1).startNanos()).isEqualTo(SECOND);
    }

    @Test
    void shouldTakeHigherPortAsClientWhenNoSynAndNoPortGiven() {
        frame(0, SERVER_IP, CLIENT_IP, 6379, 51000, 7, 0, TcpHeader.ACK | TcpHeader.PSH, 0, 10);

        RecordedSession session = only();

        assertThat(session.client().port()).isEqualTo(51000);
        assertThat(session.exchange(0).requestLength()).isZero();
        assertThat(session.exchange(0).responseLength()).isEqualTo(10);
        assertThat(session.hasProblem(ProblemKind.NO_SYN)).isTrue();
    }

    @Test
    void shouldLeaveSessionOutWhenSnaplenCutAClientFrame() {
        handshake(0);
        byte[] frame = packet(CLIENT_IP, SERVER_IP, CLIENT_PORT, SERVER_PORT, CLIENT_ISN + 1, SERVER_ISN + 1,
            TcpHeader.ACK, 0, 100);
        assembler.frame(frame, frame.length - 60, frame.length, 1);

        Capture capture = assembler.finish(Paths.get("test.pcap"), java.util.List.of());

        assertThat(capture.sessions()).isEmpty();
        assertThat(capture.totals().leftOut().count(LeftOutReason.TRUNCATED)).isEqualTo(1);
        assertThat(capture.leftOut()).singleElement().satisfies(leftOut -> {
            assertThat(leftOut.reason()).isEqualTo(LeftOutReason.TRUNCATED);
            assertThat(leftOut.message()).isEqualTo("capture: session 198.18.0.1:40000 -> 198.19.0.2:80 left out: "
                + "60 request bytes of 1 client frame(s) were not captured (snapshot length too small): replaying it "
                + "would send invented bytes; re-capture with tcpdump -s 0");
        });
    }

    @Test
    void shouldZeroFillAndKeepSessionWhenSnaplenCutOnlyAServerFrame() {
        handshake(0);
        client(1, CLIENT_ISN + 1, 0, 10);
        byte[] frame = packet(SERVER_IP, CLIENT_IP, SERVER_PORT, CLIENT_PORT, SERVER_ISN + 1, CLIENT_ISN + 11,
            TcpHeader.ACK, 0, 100);
        assembler.frame(frame, frame.length - 60, frame.length, 2);

        RecordedSession session = only();

        assertThat(session.responseBytes()).isEqualTo(100);
        byte[] response = new byte[100];
        session.serverStream().get(response);
        assertThat(Arrays.copyOf(response, 40)).isEqualTo(Arrays.copyOf(data, 40));
        assertThat(Arrays.copyOfRange(response, 40, 100)).containsOnly(0);
        assertThat(session.problems()).filteredOn(problem -> problem.kind() == ProblemKind.TRUNCATED)
            .singleElement().satisfies(problem -> {
                assertThat(problem.bytes()).isEqualTo(60);
                assertThat(problem.side()).isEqualTo(Side.SERVER);
            });
    }

    @Test
    void shouldBelieveTheFrameWhenIpLengthClaimsBytesTheWireNeverHad() {
        handshake(0);
        byte[] frame = packet(CLIENT_IP, SERVER_IP, CLIENT_PORT, SERVER_PORT, CLIENT_ISN + 1, SERVER_ISN + 1,
            TcpHeader.ACK, 0, 100);
        assembler.frame(frame, frame.length - 8, frame.length - 8, 1);

        RecordedSession session = only();

        assertThat(session.requestBytes()).isEqualTo(92);
        assertThat(session.hasProblem(ProblemKind.TRUNCATED)).isFalse();
    }

    @Test
    void shouldCountButNotKeepConnectionWhenItCarriesNoPayload() {
        handshake(0);

        Capture capture = assembler.finish(Paths.get("test.pcap"), java.util.List.of());

        assertThat(capture.sessions()).isEmpty();
        assertThat(capture.totals().connections()).isEqualTo(1);
        assertThat(capture.totals().emptyConnections()).isEqualTo(1);
    }

    @Test
    void shouldSkipAndReportWhenFrameIsMalformed() {
        byte[] frame = packet(CLIENT_IP, SERVER_IP, CLIENT_PORT, SERVER_PORT, 1, 1, TcpHeader.ACK, 0, 10);
        frame[20 + 12] = 0x30;
        assembler.frame(frame, frame.length, frame.length, 0);

        Capture capture = assembler.finish(Paths.get("test.pcap"), java.util.List.of());

        assertThat(capture.totals().malformedFrames()).isEqualTo(1);
        assertThat(capture.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.MALFORMED);
            assertThat(problem.detail()).contains("frame 1: TCP data offset: 12 bytes (expected: 20 to 60)");
        });
    }

    private void handshake(long time) {
        frame(time, CLIENT_IP, SERVER_IP, CLIENT_PORT, SERVER_PORT, CLIENT_ISN, 0, TcpHeader.SYN, 0, 0);
        frame(time, SERVER_IP, CLIENT_IP, SERVER_PORT, CLIENT_PORT, SERVER_ISN, CLIENT_ISN + 1,
            TcpHeader.SYN | TcpHeader.ACK, 0, 0);
    }

    private void client(long time, int sequence, int from, int length) {
        frame(time, CLIENT_IP, SERVER_IP, CLIENT_PORT, SERVER_PORT, sequence, SERVER_ISN + 1, TcpHeader.ACK, from,
            length);
    }

    private void server(long time, int sequence, int from, int length) {
        frame(time, SERVER_IP, CLIENT_IP, SERVER_PORT, CLIENT_PORT, sequence, CLIENT_ISN + 1, TcpHeader.ACK, from,
            length);
    }

    private void frame(long time, int source, int destination, int sourcePort, int destinationPort, int sequence,
                       int acknowledgment, int flags, int from, int length) {
        byte[] packet = packet(source, destination, sourcePort, destinationPort, sequence, acknowledgment, flags,
            from, length);
        assembler.frame(packet, packet.length, packet.length, time);
    }

    private byte[] packet(int source, int destination, int sourcePort, int destinationPort, int sequence,
                          int acknowledgment, int flags, int from, int length) {
        IpTcpEncoder encoder = new IpTcpEncoder().ipv4(source, destination).ports(sourcePort, destinationPort)
            .sequence(sequence).acknowledgment(acknowledgment).flags(flags);
        if ((flags & TcpHeader.SYN) != 0) {
            encoder.options().mss(1460).windowScale(7).sackPermitted(true);
        }
        byte[] packet = new byte[encoder.headerLength() + length];
        encoder.encode(packet, 0, data, from, length);
        return packet;
    }

    private RecordedSession only() {
        Capture capture = assembler.finish(Paths.get("test.pcap"), java.util.List.of());
        assertThat(capture.sessions()).hasSize(1);
        return capture.sessions().get(0);
    }

    private static byte[] requestStream(RecordedSession session) {
        byte[] bytes = new byte[session.requestBytes()];
        session.clientStream().get(bytes);
        return bytes;
    }

    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        byte[] text = "0123456789abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);
        for (int index = 0; index < length; index++) {
            bytes[index] = text[index % text.length];
        }
        return bytes;
    }
}
