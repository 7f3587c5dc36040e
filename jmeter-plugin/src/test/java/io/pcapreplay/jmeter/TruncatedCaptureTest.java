package io.pcapreplay.jmeter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.cli.Main;
import io.pcapreplay.pcap.CaptureOptions;
import io.pcapreplay.pcap.LeftOutReason;
import io.pcapreplay.pcap.LeftOutSession;
import io.pcapreplay.pcap.SessionStreams;
import io.pcapreplay.pcap.TestCaptures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A session whose request was cut by the snapshot length is never replayed with invented bytes: the thread group's
 * source leaves it out, reports it (file, session, what to do) and counts it; {@code inspect} shows the same. The
 * captures: zeek__communityid_tcp.pcap (shared/pcaps/public, snaplen 96), and the fixture truncated-and-whole.pcap
 * (its frames merged with those of zeek__http_get.pcap, a whole session).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TruncatedCaptureTest {

    private static final String SESSION = "128.232.110.120:34855 -> 66.35.250.204:80";

    @Test
    void shouldLeaveOutTheCutSessionAndReplayTheWholeOneWhenHandingOut() throws Exception {
        Path file = TestCaptures.fixture("truncated-and-whole.pcap");
        List<LeftOutSession> reported = new ArrayList<>();

        try (SessionSource source = SessionSource.open("group", SessionStreams.captures(List.of(file),
                CaptureOptions.defaults()), reported::add, HandOut.ROUND_ROBIN, 1, 16)) {
            for (int turn = 0; turn < 4; turn++) {
                assertThat(source.next(0, 1).session().client().toString()).isEqualTo("141.142.228.5:59856");
            }
            assertThat(source.leftOut().count(LeftOutReason.TRUNCATED)).isEqualTo(1);
            assertThat(source.leftOut().toString()).startsWith("1 whose client payload was cut by the snapshot "
                + "length (re-capture with tcpdump -s 0)");
        }

        assertThat(reported).as("reported once, though the capture was replayed in several passes").singleElement()
            .satisfies(session -> assertThat(session.message()).isEqualTo(file + ": session " + SESSION
                + " left out: 466 request bytes of 1 client frame(s) were not captured (snapshot length too small): "
                + "replaying it would send invented bytes; re-capture with tcpdump -s 0"));
    }

    @Test
    void shouldHandOutOnlyTheWholeSessionWhenTheThreadGroupLoadsTheCapture() {
        PcapReplayThreadGroup group = new PcapReplayThreadGroup();
        group.setName("truncated");
        group.setCaptureFiles(TestCaptures.fixture("truncated-and-whole.pcap").toString());

        group.loadSessions();

        try {
            assertThat(group.loadError()).isNull();
            assertThat(group.sessionSource().next(0, 1).session().server().port()).isEqualTo(80);
            assertThat(group.sessionSource().next(0, 1).session().client().port()).isEqualTo(59856);
        } finally {
            group.sessionSource().close();
        }
    }

    @Test
    void shouldRefuseWithFileSessionAndRemedyWhenEverySessionWasCut() {
        PcapReplayThreadGroup group = new PcapReplayThreadGroup();
        group.setName("cut");
        Path file = TestCaptures.publicCapture("zeek__communityid_tcp.pcap");
        group.setCaptureFiles(file.toString());

        group.loadSessions();

        assertThat(group.sessionSource()).isNull();
        assertThat(group.loadError()).startsWith("cut: TCP sessions in " + file + ": none to replay; 1 left out: 1 "
            + "whose client payload was cut by the snapshot length (re-capture with tcpdump -s 0); first: " + file
            + ": session " + SESSION + " left out: 466 request bytes");
    }

    @Test
    void shouldListTheLeftOutSessionWhenInspectingAMixedCapture() {
        Path file = TestCaptures.fixture("truncated-and-whole.pcap");

        Result result = inspect(file.toString());

        assertThat(result.status).isZero();
        assertThat(result.out).contains("left-out " + SESSION + " TRUNCATED: 466 request bytes of 1 client frame(s) "
            + "were not captured").contains("re-capture with tcpdump -s 0")
            .contains("1 141.142.228.5:59856 -> 192.150.187.43:80 exchanges=1")
            .contains("left out: 1 whose client payload was cut by the snapshot length");
        assertThat(result.err).isEmpty();
    }

    @Test
    void shouldExitTwoNamingFileSessionAndRemedyWhenInspectingACutCapture() {
        Path file = TestCaptures.publicCapture("zeek__communityid_tcp.pcap");

        Result result = inspect(file.toString());

        assertThat(result.status).isEqualTo(Main.BAD_INPUT);
        assertThat(result.out).isEmpty();
        assertThat(result.err).contains(file + ": session " + SESSION + " left out").contains("tcpdump -s 0");
    }

    private static Result inspect(String file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"inspect", file}, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Result(int status, String out, String err) {
    }
}
