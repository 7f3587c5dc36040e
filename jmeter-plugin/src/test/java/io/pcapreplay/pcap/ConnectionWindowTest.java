package io.pcapreplay.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.packet.IpTcpEncoder;
import io.pcapreplay.packet.TcpHeader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sliding window: sessions come out in start order once complete (closed, idle, or the end of the capture),
 * never overtaken; the per-session and window limits leave sessions out with the setting named; a large capture is
 * read with a window the size of its concurrency, not of the file.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionWindowTest {

    private static final long SECOND = 1_000_000_000L;
    private static final byte[] DATA = new byte[1400];

    private SessionAssembler assembler = new SessionAssembler(LinkType.RAW, CaptureOptions.defaults());

    @Test
    void shouldNotLetALaterSessionOvertakeWhenItEndsFirst() {
        Connection first = new Connection(1).open(0).request(1, 100);
        Connection second = new Connection(2).open(2).request(3, 50).close(4);

        assertThat(assembler.ready()).as("the second is complete, the first is not").isFalse();
        first.close(5);

        assertThat(ports(drain())).containsExactly(40001, 40002);
        assertThat(second.port).isEqualTo(40002);
    }

    @Test
    void shouldHandOutAnIdleSessionBeforeTheEndWhenCaptureTimePassesTheIdleLimit() {
        assembler = new SessionAssembler(LinkType.RAW, CaptureOptions.defaults().withIdleTimeout(Duration.ofSeconds(
            10)));
        new Connection(1).open(0).request(1, 100);
        new Connection(2).open(5 * SECOND);

        assertThat(assembler.ready()).isFalse();
        new Connection(3).open(12 * SECOND);

        assertThat(assembler.ready()).as("connection 1 silent for 11 s").isTrue();
        assertThat(assembler.poll().session().client().port()).isEqualTo(40001);
    }

    @Test
    void shouldLeaveOutAndNameTheSettingWhenASessionHoldsMoreThanTheLimit() {
        assembler = new SessionAssembler(LinkType.RAW, CaptureOptions.defaults().withLimits(1 << 20, 1000, 64 << 20));
        Connection large = new Connection(1).open(0);
        for (int segment = 0; segment < 800; segment++) {
            large.request(1 + segment, DATA.length);
        }
        large.close(1000);
        new Connection(2).open(1001).request(1002, 10).close(1003);

        List<ConnectionWindow.Outcome> outcomes = drain();

        assertThat(outcomes).hasSize(2);
        assertThat(outcomes.get(0).leftOut().reason()).isEqualTo(LeftOutReason.TOO_LARGE);
        assertThat(outcomes.get(0).leftOut().message()).contains("session 198.18.0.1:40001 -> 198.19.0.2:80 left "
            + "out: holds more than maxSessionMiB = 1 MiB of payload; raise the limit (inspect --max-session-mib, "
            + "JMeter -Jpcapreplay.maxSessionMiB)");
        assertThat(outcomes.get(1).session().requestBytes()).isEqualTo(10);
        assertThat(assembler.windowBytes()).isZero();
    }

    @Test
    void shouldLeaveOutTheOldestOpenSessionAndIgnoreItsRestWhenTheWindowIsFull() {
        assembler = new SessionAssembler(LinkType.RAW, CaptureOptions.defaults().withLimits(64 << 20, 3, 64 << 20));
        Connection blocking = new Connection(1).open(0).request(1, 100);
        new Connection(2).open(2).request(3, 10).close(4);
        new Connection(3).open(5).request(6, 10).close(7);

        assertThat(assembler.ready()).isFalse();
        new Connection(4).open(8).request(9, 10).close(10);
        blocking.request(11, 100).close(12);
        assembler.finishAll();

        List<ConnectionWindow.Outcome> outcomes = drain();
        assertThat(outcomes).hasSize(4);
        assertThat(outcomes.get(0).leftOut().reason()).isEqualTo(LeftOutReason.WINDOW_FULL);
        assertThat(outcomes.get(0).leftOut().detail()).contains("maxOpenSessions = 3");
        assertThat(ports(outcomes.subList(1, 4))).containsExactly(40002, 40003, 40004);
        assertThat(assembler.problems()).extracting(Problem::kind).containsExactly(ProblemKind.LEFT_OUT);
        assertThat(assembler.totals().connections()).as("the rest of the left-out one is no new connection")
            .isEqualTo(4);
    }

    @Test
    void shouldCompleteAHeadWithoutPayloadSilentlyWhenTheWindowIsFull() {
        assembler = new SessionAssembler(LinkType.RAW, CaptureOptions.defaults().withLimits(64 << 20, 2, 64 << 20));
        new Connection(1).open(0);
        new Connection(2).open(1).request(2, 10).close(3);
        new Connection(3).open(4);

        List<ConnectionWindow.Outcome> outcomes = drain();

        assertThat(outcomes).hasSize(3);
        assertThat(outcomes.get(0)).isEqualTo(ConnectionWindow.Outcome.NOTHING);
        assertThat(outcomes.get(1).session().client().port()).isEqualTo(40002);
        assertThat(outcomes.get(2)).isEqualTo(ConnectionWindow.Outcome.NOTHING);
        assertThat(assembler.leftOut().reported()).isZero();
        assertThat(assembler.leftOut().count(LeftOutReason.NO_PAYLOAD)).isEqualTo(2);
    }

    @Test
    void shouldKeepTheWindowAtTheCaptureConcurrencyWhenReadingManySessions(@TempDir Path directory)
            throws IOException, CaptureException {
        Path file = directory.resolve("many.pcap");
        new SyntheticCapture().sessions(20_000).concurrent(50).exchanges(2).responseBytes(3000).write(file);
        int largestWindow = 0;
        long sessions = 0;

        try (CaptureSessionStream stream = new CaptureReader().open(file, CaptureOptions.defaults(),
                SessionStream.LeftOutListener.NONE)) {
            long previousStart = 0;
            for (RecordedSession session = stream.next(); session != null; session = stream.next()) {
                assertThat(session.startNanos()).isGreaterThanOrEqualTo(previousStart);
                previousStart = session.startNanos();
                largestWindow = Math.max(largestWindow, stream.windowSize());
                assertThat(session.exchangeCount()).isEqualTo(2);
                sessions++;
            }
            assertThat(stream.totals().leftOut().total()).isZero();
        }

        assertThat(sessions).isEqualTo(20_000);
        assertThat(largestWindow).as("sessions open at once in the capture: 50").isLessThanOrEqualTo(60);
    }

    @Test
    void shouldMergeFilesByStartTimeWhenSeveralAreRead() throws CaptureException {
        Path get = TestCaptures.publicCapture("zeek__http_get.pcap");
        Path redis = TestCaptures.publicCapture("zeek__redis_pipelining-example.pcap");
        List<Long> starts = new ArrayList<>();

        try (SessionStream stream = SessionStreams.captures(List.of(redis, get), CaptureOptions.defaults())
                .open(SessionStream.LeftOutListener.NONE)) {
            for (RecordedSession session = stream.next(); session != null; session = stream.next()) {
                starts.add(session.startNanos());
            }
            assertThat(stream.source()).isEqualTo(redis + ", " + get);
        }

        assertThat(starts).hasSize(2).isSorted();
    }

    private List<ConnectionWindow.Outcome> drain() {
        assembler.finishAll();
        List<ConnectionWindow.Outcome> outcomes = new ArrayList<>();
        for (ConnectionWindow.Outcome outcome = assembler.poll(); outcome != null; outcome = assembler.poll()) {
            outcomes.add(outcome);
        }
        return outcomes;
    }

    private static List<Integer> ports(List<ConnectionWindow.Outcome> outcomes) {
        return outcomes.stream().map(outcome -> outcome.session().client().port()).toList();
    }

    /** A client 198.18.0.1:4000N talking to 198.19.0.2:80, in raw IPv4 frames. */
    private final class Connection {

        private final int port;
        private int clientSequence = 1000;
        private int serverSequence = 9000;

        Connection(int index) {
            this.port = 40000 + index;
        }

        Connection open(long time) {
            frame(time, true, TcpHeader.SYN, 0);
            clientSequence++;
            return this;
        }

        Connection request(long time, int length) {
            frame(time, true, TcpHeader.ACK, length);
            clientSequence += length;
            return this;
        }

        Connection close(long time) {
            frame(time, true, TcpHeader.FIN | TcpHeader.ACK, 0);
            clientSequence++;
            frame(time, false, TcpHeader.FIN | TcpHeader.ACK, 0);
            serverSequence++;
            frame(time, true, TcpHeader.ACK, 0);
            return this;
        }

        private void frame(long time, boolean fromClient, int flags, int length) {
            IpTcpEncoder encoder = new IpTcpEncoder();
            if (fromClient) {
                encoder.ipv4(0xC612_0001, 0xC613_0002).ports(port, 80).sequence(clientSequence)
                    .acknowledgment(serverSequence);
            } else {
                encoder.ipv4(0xC613_0002, 0xC612_0001).ports(80, port).sequence(serverSequence)
                    .acknowledgment(clientSequence);
            }
            encoder.flags(flags);
            byte[] packet = new byte[encoder.headerLength() + length];
            encoder.encode(packet, 0, DATA, 0, length);
            assembler.frame(packet, packet.length, packet.length, time);
        }
    }
}
