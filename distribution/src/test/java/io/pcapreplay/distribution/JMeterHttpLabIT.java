package io.pcapreplay.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.ExecResult;
import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.lab.demo.HttpNginx;
import io.pcapreplay.lab.demo.JtlRows;
import io.pcapreplay.lab.demo.ReplaySetup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real JMeter 5.6.3 runs examples/plans/replay-http.jmx headless in the lab against nginx ({@link HttpNginx}: its
 * access log shows Host, X-Token, Cookie and body of each request): HTTP rules with a per-user token from a CSV Data
 * Set, the Recorded Response Assertion against an unchanged and a changed page, a goreplay file replayed at 200%,
 * and a requests-per-second limit.
 */
@LabTest
class JMeterHttpLabIT {

    private static final long T0 = 1_700_000_000_000_000_000L;
    private static Path tokenFile;
    private static Path tokens;
    private static HttpNginx nginx;
    private static HttpNginx changed;

    @BeforeAll
    static void servers(Lab lab) throws Exception {
        nginx = HttpNginx.start(lab, "http-nginx", 80);
        changed = HttpNginx.start(lab, "http-nginx-changed", 8081);
        changed.serve("page.txt", "x".repeat(1_500) + "\n" + "z".repeat(1_499)); // same length, a new line
        tokenFile = JMeterLab.startAgent(lab);
        tokens = lab.workDir().resolve("tokens.csv");
        Files.writeString(tokens, "tok-1\ntok-2\n");
    }

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void shouldSendEachUsersTokenAndTheRewrittenHostAndPassTheAssertionWhenTheServerIsUnchanged(Lab lab)
            throws Exception {
        List<String> properties = properties(lab, keepAlivePcap(), "0", "198.18.40.*");
        properties.add("httpRules=--http-set-header Host: staging.test\n--http-remove-header User-Agent");

        Path run = run(lab, "http-unchanged", properties);

        List<Map<String, String>> rows = JtlRows.read(run.resolve("results.jtl"));
        assertThat(rows).as(describe(run)).hasSize(4).allSatisfy(row -> {
            assertThat(row.get("success")).as(row.toString()).isEqualTo("true");
            assertThat(row.get("responseCode")).as(row.toString()).isEqualTo("200");
        });
        List<String> log = nginx.accessLog("198.18.40.");
        assertThat(log).hasSize(4).allSatisfy(line -> assertThat(line).contains("host=staging.test"));
        assertThat(log).as("one token per user, from the CSV Data Set, in a session's every request")
            .anySatisfy(line -> assertThat(line).contains("token=tok-1"))
            .anySatisfy(line -> assertThat(line).contains("token=tok-2"));
    }

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void shouldRewriteAndCompareTheSameWayWhenTheTransportIsKernelSockets(Lab lab) throws Exception {
        List<String> properties = properties(lab, keepAlivePcap(), "0", "198.18.45.*");
        properties.addAll(List.of("transport=kernel", "httpRules=--http-set-header Host: kernel.test"));

        Path run = run(lab, "http-kernel", properties);

        assertThat(JtlRows.read(run.resolve("results.jtl"))).as(describe(run)).hasSize(4).allSatisfy(row -> {
            assertThat(row.get("success")).as(row.toString()).isEqualTo("true");
            assertThat(row.get("responseCode")).as(row.toString()).isEqualTo("200");
        });
        String client = lab.client().ipv4To(LabRole.TARGET).getHostAddress();
        assertThat(nginx.accessLog(client + ":")).filteredOn(line -> line.contains("host=kernel.test")).hasSize(4);
    }

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void shouldFailTheAssertionWithAReadableDiffWhenTheTargetServesAChangedPage(Lab lab) throws Exception {
        Path run = run(lab, "http-changed", properties(lab, keepAlivePcap(), "8081", "198.18.41.*"));

        List<Map<String, String>> rows = JtlRows.read(run.resolve("results.jtl"));
        assertThat(rows).as(describe(run)).hasSize(4);
        assertThat(rows).filteredOn(row -> row.get("label").equals("GET /page.txt")).hasSize(2).allSatisfy(row -> {
            assertThat(row.get("success")).as(row.toString()).isEqualTo("false");
            assertThat(row.get("responseCode")).as("the replay itself worked").isEqualTo("200");
            assertThat(row.get("failureMessage")).as(row.toString())
                .startsWith("replayed response differs from the recorded one:\nbody (recorded 3000 bytes, replayed "
                    + "3000 bytes): line 1 differs (recorded lines 1-1, replayed lines 1-2):\n  - xxxx")
                .contains("\n  + zzzz");
        });
        assertThat(rows).filteredOn(row -> !row.get("label").equals("GET /page.txt"))
            .allSatisfy(row -> assertThat(row.get("success")).as(row.toString()).isEqualTo("true"));
    }

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void shouldReplayAGoreplayFileWithItsRequestsInHalfTheRecordedSpanWhenSpeedIs200Percent(Lab lab)
            throws Exception {
        Path gor = lab.workDir().resolve("three-connections.gor");
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        for (int connection = 0; connection < 3; connection++) {
            String id = String.format("%04x0050c612000%d%08x", 40_001 + connection, connection + 1, 7);
            long start = T0 + connection * 2_000_000_000L; // connections recorded 2 s apart: a 4 s span
            file.writeBytes(record('1', id, start, "GET /page.txt?c=" + connection
                + " HTTP/1.1\r\nHost: prod\r\n\r\n"));
            file.writeBytes(record('2', id, start + 1_000_000, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 3000\r\n\r\n" + HttpNginx.RECORDED_PAGE));
        }
        Files.write(gor, file.toByteArray());
        List<String> properties = properties(lab, gor, "0", "198.18.42.*");
        properties.addAll(List.of("users=3", "handOut=recorded", "speed=200%", "serverPort=80"));

        Path run = run(lab, "http-gor", properties);

        List<Map<String, String>> rows = JtlRows.read(run.resolve("results.jtl"));
        assertThat(rows).as(describe(run)).hasSize(3)
            .allSatisfy(row -> assertThat(row.get("success")).as(row.toString()).isEqualTo("true"));
        assertThat(nginx.accessLog("198.18.42.")).extracting(line -> line.split(" host=")[0])
            .containsExactlyInAnyOrder("\"GET /page.txt?c=0 HTTP/1.1\" 200", "\"GET /page.txt?c=1 HTTP/1.1\" 200",
                "\"GET /page.txt?c=2 HTTP/1.1\" 200");
        long span = span(rows);
        assertThat(span).as("4 s recorded at 200%: about 2 s between the first and the last request").isBetween(
            1_700L, 2_700L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"thread-per-user", "engine-driven"})
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void shouldSpaceRequestsByTheLimitWhenARequestRateIsSet(String userMode, Lab lab) throws Exception {
        String clients = userMode.equals("engine-driven") ? "198.18.44.*" : "198.18.43.*";
        List<String> properties = properties(lab, keepAlivePcap(), "0", clients);
        properties.addAll(List.of("speed=0", "requestRate=2", "userMode=" + userMode));

        Path run = run(lab, "http-rate-" + userMode, properties);

        List<Map<String, String>> rows = JtlRows.read(run.resolve("results.jtl"));
        assertThat(rows).as(describe(run)).hasSize(4)
            .allSatisfy(row -> assertThat(row.get("success")).as(row.toString()).isEqualTo("true"));
        assertThat(span(rows)).as("4 requests at 2 per second, no think time: 3 intervals of 500 ms")
            .isGreaterThanOrEqualTo(1_450L);
    }

    private static long span(List<Map<String, String>> rows) {
        List<Long> starts = rows.stream().map(row -> Long.parseLong(row.get("timeStamp"))).sorted().toList();
        return starts.get(starts.size() - 1) - starts.get(0);
    }

    /** One record as goreplay 1.3 writes it: header line, payload, newline, separator line. */
    private static byte[] record(char type, String id, long timestamp, String payload) {
        return (type + " " + id + " " + timestamp + " 0\n" + payload + "\n\uD83D\uDC35\uD83D\uDE48\uD83D\uDE49\n")
            .getBytes(StandardCharsets.UTF_8);
    }

    private static Path keepAlivePcap() {
        return Path.of(System.getProperty("project.root"), "examples", "pcaps", "http-keepalive.pcap");
    }

    private static List<String> properties(Lab lab, Path capture, String targetPort, String clientIps) {
        return new ArrayList<>(List.of("pcap=" + capture, "serverPort=80",
            "target=" + lab.target().ipv4To(LabRole.CLIENT).getHostAddress(), "targetPort=" + targetPort,
            "agent=" + JMeterLab.agentAddress(lab), "tokenFile=" + tokenFile, "clientIps=" + clientIps,
            "tokens=" + tokens, "users=2", "loops=1", "duration=60", "responseTimeout=10000",
            "connectTimeout=3000"));
    }

    private static Path run(Lab lab, String name, List<String> properties) throws IOException {
        Path run = Files.createDirectories(lab.workDir().resolve(name));
        Path plan = Path.of(System.getProperty("project.root"), "examples", "plans", "replay-http.jmx");
        List<String> command = ReplaySetup.headlessCommand(ReplaySetup.java(), JMeterLab.jmeterHome(), plan, run,
            properties);
        ExecResult result = lab.client().exec(Duration.ofSeconds(90), command.toArray(new String[0]));
        assertThat(result.exitCode()).as(describe(run) + "\nstdout:\n" + result.stdout() + "\nstderr:\n"
            + result.stderr()).isZero();
        return run;
    }

    private static String describe(Path run) {
        try {
            Path log = run.resolve("jmeter.log");
            Path jtl = run.resolve("results.jtl");
            return (Files.exists(log) ? Files.readString(log) : "(no jmeter.log)")
                + (Files.exists(jtl) ? "\nJTL:\n" + Files.readString(jtl) : "\n(no results.jtl)");
        } catch (IOException e) {
            return e.toString();
        }
    }
}
