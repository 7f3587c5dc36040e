package io.pcapreplay.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live source's assembly, fed the frames of a capture as if they came from an interface: each session is
 * handed out once its first request is complete and grows exchange by exchange to what the file reader builds; the
 * sampling, the caps and the pcapng recorder.
 */
@Timeout(30)
class LiveAssemblerTest {

    private static final Path KEEPALIVE = Path.of(System.getProperty("project.root", ".."),
        "examples/pcaps/http-keepalive.pcap");

    @Test
    void shouldHandOutASessionAtItsFirstRequestAndGrowItToTheRecordedOne() throws Exception {
        List<RecordedSession> recorded = new CaptureReader().read(KEEPALIVE, options(100, 1 << 20)).sessions();
        List<RecordedSession> handedOut = new ArrayList<>();
        LiveAssembler assembler = new LiveAssembler(LinkType.EN10MB, options(100, 1 << 20), 100, handedOut::add);
        List<String> firstSessionSteps = new ArrayList<>();
        try (CaptureFile file = CaptureFile.open(KEEPALIVE)) {
            while (file.next()) {
                byte[] frame = java.util.Arrays.copyOfRange(file.buffer(), file.offset(),
                    file.offset() + file.capturedLength());
                assembler.frame(frame, frame.length, file.timestampNanos());
                if (!handedOut.isEmpty()) {
                    RecordedSession first = handedOut.get(0);
                    String step = first.exchangeCount() + (first.isGrowing() ? " growing" : " ended")
                        + (first.exchange(first.exchangeCount() - 1).responsePending() ? " pending" : "");
                    if (firstSessionSteps.isEmpty() || !firstSessionSteps.get(firstSessionSteps.size() - 1)
                            .equals(step)) {
                        firstSessionSteps.add(step);
                    }
                }
            }
        }
        assembler.finishAll(Long.MAX_VALUE);

        assertThat(firstSessionSteps.get(0)).isEqualTo("1 growing pending");
        assertThat(firstSessionSteps).contains("2 growing pending", "3 growing pending");
        assertThat(firstSessionSteps.get(firstSessionSteps.size() - 1)).isEqualTo("3 ended");
        assertThat(handedOut).hasSameSizeAs(recorded);
        for (int index = 0; index < recorded.size(); index++) {
            RecordedSession live = handedOut.get(index);
            RecordedSession file = recorded.get(index);
            assertThat(live.isGrowing()).isFalse();
            assertThat(live.client()).isEqualTo(file.client());
            assertThat(live.exchangeCount()).isEqualTo(file.exchangeCount());
            assertThat(live.clientStream()).isEqualTo(file.clientStream());
            assertThat(live.serverStream()).isEqualTo(file.serverStream());
            assertThat(live.close()).isEqualTo(file.close());
            for (int exchange = 0; exchange < file.exchangeCount(); exchange++) {
                assertThat(live.exchange(exchange).request()).isEqualTo(file.exchange(exchange).request());
                assertThat(live.exchange(exchange).responsePending()).isFalse();
            }
        }
        assertThat(assembler.inFlight()).isZero();
        assertThat(assembler.heldBytes()).isZero();
    }

    @Test
    void shouldCopyTheSessionsTheStableHashChoosesWhenSampling() throws Exception {
        List<RecordedSession> recorded = new CaptureReader().read(KEEPALIVE, options(100, 1 << 20)).sessions();
        for (double percent : new double[] {0, 37.5, 50, 100}) {
            List<RecordedSession> handedOut = new ArrayList<>();
            feed(new LiveAssembler(LinkType.EN10MB, options(100, 1 << 20), percent, handedOut::add));
            List<Integer> expected = new ArrayList<>();
            for (RecordedSession session : recorded) {
                if (LiveSampling.keeps(socket(session.client()), socket(session.server()), percent)) {
                    expected.add(session.client().port());
                }
            }
            assertThat(handedOut).extracting(session -> session.client().port()).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void shouldDropAndCountSessionsBeyondTheCapOnSessionsInFlight() throws Exception {
        List<RecordedSession> handedOut = new ArrayList<>();
        LiveAssembler assembler = new LiveAssembler(LinkType.EN10MB, options(1, 1 << 20), 100, handedOut::add);
        List<RecordedSession> recorded = new CaptureReader().read(KEEPALIVE, options(100, 1 << 20)).sessions();
        feed(assembler);
        long overlapping = recorded.get(1).startNanos() < recorded.get(0).startNanos() + recorded.get(0)
            .durationNanos() ? 1 : 0;
        assertThat(assembler.droppedInFlight).isEqualTo(overlapping);
        assertThat(handedOut).hasSize((int) (recorded.size() - overlapping));
    }

    @Test
    void shouldRecordFramesToRotatingPcapngFilesThatTheReaderReadsBack(@TempDir Path directory) throws Exception {
        LiveRecording recording = LiveRecording.parse(directory.resolve("prod"), "2 KiB, 1 h");
        List<RecordedSession> recorded = new CaptureReader().read(KEEPALIVE, options(100, 1 << 20)).sessions();
        long frames = 0;
        try (PcapngRecorder recorder = new PcapngRecorder(recording, LinkType.EN10MB, LiveOptions.SNAPLEN);
             CaptureFile file = CaptureFile.open(KEEPALIVE)) {
            while (file.next()) {
                byte[] frame = java.util.Arrays.copyOfRange(file.buffer(), file.offset(),
                    file.offset() + file.capturedLength());
                recorder.write(frame, frame.length, file.originalLength(), file.timestampNanos());
                frames++;
            }
            assertThat(recorder.files()).isGreaterThan(1);
        }
        List<Path> files = new ArrayList<>();
        for (long sequence = 1; java.nio.file.Files.exists(recording.file(sequence)); sequence++) {
            files.add(recording.file(sequence));
        }
        assertThat(files.get(0).getFileName()).hasToString("prod-00001.pcapng");
        assertThat(files).hasSizeGreaterThan(1);
        long read = 0;
        List<RecordedSession> back = new ArrayList<>();
        try (SessionStream stream = SessionStreams.captures(files, options(100, 1 << 20))
                .open(SessionStream.LeftOutListener.NONE)) {
            for (RecordedSession session = stream.next(); session != null; session = stream.next()) {
                back.add(session);
            }
        }
        for (Path file : files) {
            read += new CaptureReader().read(file).totals().frames();
        }
        assertThat(read).isEqualTo(frames);
        assertThat(new CaptureReader().read(files.get(0)).linkType()).isEqualTo(LinkType.EN10MB);
        // sessions cut by a file boundary are read as two parts; the whole capture's bytes are all there
        assertThat(back.stream().mapToLong(RecordedSession::requestBytes).sum())
            .isEqualTo(recorded.stream().mapToLong(RecordedSession::requestBytes).sum());
    }

    private static void feed(LiveAssembler assembler) throws CaptureException {
        try (CaptureFile file = CaptureFile.open(KEEPALIVE)) {
            while (file.next()) {
                byte[] frame = java.util.Arrays.copyOfRange(file.buffer(), file.offset(),
                    file.offset() + file.capturedLength());
                assembler.frame(frame, frame.length, file.timestampNanos());
            }
        }
        assembler.finishAll(Long.MAX_VALUE);
    }

    private static InetSocketAddress socket(Endpoint endpoint) {
        return new InetSocketAddress(endpoint.address(), endpoint.port());
    }

    private static CaptureOptions options(int maxSessions, long maxBytes) {
        return new CaptureOptions(List.of(80), null, CaptureOptions.DEFAULT_MAX_BUFFERED_BYTES, maxBytes,
            maxSessions, maxBytes, CaptureOptions.DEFAULT_IDLE_NANOS);
    }
}
