package io.pcapreplay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.pcap.TestCaptures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InspectCommandTest {

    @BeforeAll
    static void requireLibpcap() {
        TestCaptures.requireLibpcap();
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void shouldPrintHelpAndExitZeroWhenAskedForHelp() {
        assertThat(run("--help")).isZero();
        assertThat(stdout()).contains("Usage: java -jar jmeter-plugin.jar inspect FILE [--port N] [--filter BPF]");
        assertThat(run("inspect", "--help")).isZero();
        assertThat(stderr()).isEmpty();
    }

    @Test
    void shouldExitTwoWithMessageWhenArgumentsAreWrong() {
        assertThat(run()).isEqualTo(Main.BAD_INPUT);
        assertThat(run("replay")).isEqualTo(Main.BAD_INPUT);
        assertThat(run("inspect")).isEqualTo(Main.BAD_INPUT);
        assertThat(run("inspect", "a.pcap", "--port", "http")).isEqualTo(Main.BAD_INPUT);
        assertThat(run("inspect", "a.pcap", "--port")).isEqualTo(Main.BAD_INPUT);
        assertThat(run("inspect", "a.pcap", "--verbose")).isEqualTo(Main.BAD_INPUT);
        assertThat(stderr()).contains("command: none (expected: inspect FILE ... or doctor --target HOST:PORT ...; "
                + "run with --help)")
            .contains("command: replay (expected: inspect or doctor; run with --help)")
            .contains("capture file: none (expected: inspect FILE); run with --help")
            .contains("--port: http (expected: a TCP port, 1 to 65535); run with --help")
            .contains("argument --port: no value (expected: --port VALUE)")
            .contains("option: --verbose (expected: --port, --filter, --json, --max-session-mib");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void shouldPrintOneLinePerSessionAndTotalsWhenCaptureHasSessions() {
        String file = TestCaptures.publicCapture("zeek__http_get.pcap").toString();

        int status = run("inspect", file);

        assertThat(status).isZero();
        assertThat(stdout().split("\\R")).containsExactly(
            "file " + file + ", link type EN10MB",
            "1 141.142.228.5:59856 -> 192.150.187.43:80 exchanges=1 request=136 response=5007 duration=211.628ms "
                + "syn=yes close=FIN_by_CLIENT problems=none",
            "totals: sessions=1 request=136 response=5007 connections=1 emptyConnections=0 frames=14 tcpSegments=14 "
                + "retransmittedBytes=0 truncatedFrames=0");
        assertThat(stderr()).isEmpty();
    }

    @Test
    void shouldPrintOneJsonDocumentWhenJsonIsAsked() {
        String file = TestCaptures.publicCapture("tcpreplay__test_test.pcap").toString();

        int status = run("inspect", "--json", file, "--port=443");

        assertThat(status).isZero();
        Map<?, ?> document = (Map<?, ?>) MiniJson.parse(stdout());
        assertThat(document.get("file")).isEqualTo(file);
        assertThat(document.get("linkType")).isEqualTo("EN10MB");
        List<?> sessions = (List<?>) document.get("sessions");
        assertThat(sessions).isNotEmpty();
        Map<?, ?> first = (Map<?, ?>) sessions.get(0);
        assertThat((String) first.get("server")).endsWith(":443");
        assertThat(first.keySet()).extracting(Object::toString).contains("client", "exchanges", "requestBytes",
            "responseBytes", "synSeen", "durationMs", "problems");
        Map<?, ?> totals = (Map<?, ?>) document.get("totals");
        assertThat(((Number) totals.get("sessions")).intValue()).isEqualTo(sessions.size());
        assertThat(stderr()).isEmpty();
    }

    @Test
    void shouldListProblemsInJsonWhenSessionsHaveSome() {
        String file = TestCaptures.publicCapture("zeek__http_get_nosyn.pcap").toString();

        assertThat(run("inspect", file, "--json")).isZero();

        Map<?, ?> session = (Map<?, ?>) ((List<?>) ((Map<?, ?>) MiniJson.parse(stdout())).get("sessions")).get(0);
        assertThat(session.get("synSeen")).isEqualTo(false);
        Map<?, ?> problem = (Map<?, ?>) ((List<?>) session.get("problems")).get(0);
        assertThat(problem.get("kind")).isEqualTo("NO_SYN");
    }

    @Test
    void shouldExitTwoWithoutStackTraceWhenInputIsBad() {
        String unknown = TestCaptures.fixture("unknown-linktype.pcap").toString();
        String empty = TestCaptures.fixture("empty.pcap").toString();
        String httpGet = TestCaptures.publicCapture("zeek__http_get.pcap").toString();

        assertThat(run("inspect", unknown)).isEqualTo(Main.BAD_INPUT);
        assertThat(run("inspect", empty, "--json")).isEqualTo(Main.BAD_INPUT);
        assertThat(run("inspect", "/nonexistent/capture.pcap")).isEqualTo(Main.BAD_INPUT);
        assertThat(run("inspect", httpGet, "--port", "8080")).isEqualTo(Main.BAD_INPUT);
        assertThat(run("inspect", httpGet, "--filter", "port and")).isEqualTo(Main.BAD_INPUT);

        assertThat(stdout()).isEmpty();
        assertThat(stderr()).contains("link type of " + unknown + ": 147")
            .contains(empty + ": empty, 0 bytes")
            .contains("capture file /nonexistent/capture.pcap: not found")
            .contains("with server port 8080: none")
            .contains("BPF filter 'port and' for " + httpGet)
            .doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void shouldListLeftOutSessionsAndCountsInJsonWhenTheSnaplenCutARequest() {
        String file = TestCaptures.fixture("truncated-and-whole.pcap").toString();

        assertThat(run("inspect", file, "--json")).isZero();

        Map<?, ?> document = (Map<?, ?>) MiniJson.parse(stdout());
        assertThat((List<?>) document.get("sessions")).hasSize(1);
        Map<?, ?> leftOut = (Map<?, ?>) ((List<?>) document.get("leftOut")).get(0);
        assertThat(leftOut.get("reason")).isEqualTo("TRUNCATED");
        assertThat((String) leftOut.get("detail")).contains("re-capture with tcpdump -s 0");
        Map<?, ?> counts = (Map<?, ?>) ((Map<?, ?>) document.get("totals")).get("leftOut");
        assertThat(((Number) counts.get("TRUNCATED")).intValue()).isEqualTo(1);
    }

    @Test
    void shouldApplyTheLimitsAndCheckTheirValuesWhenGivenAsOptions() {
        String file = TestCaptures.publicCapture("zeek__http_methods.pcap").toString();

        assertThat(run("inspect", file, "--max-open-sessions", "1", "--idle-seconds=1")).isZero();
        assertThat(run("inspect", file, "--max-session-mib", "2048")).isEqualTo(Main.BAD_INPUT);
        assertThat(run("inspect", file, "--max-window-mib", "0")).isEqualTo(Main.BAD_INPUT);

        assertThat(stdout()).contains("WINDOW_FULL: still open when the reading window was full (maxSessionMiB = 64, "
            + "maxOpenSessions = 1, maxWindowMiB = 256)").contains("syn=no").contains("totals: sessions=");
        assertThat(stderr()).contains("--max-session-mib: 2048 (expected: a whole number of MiB from 1 to 1024)")
            .contains("--max-window-mib: 0 (expected: a whole number of MiB from 1 to 1048576)");
    }

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8).trim();
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
