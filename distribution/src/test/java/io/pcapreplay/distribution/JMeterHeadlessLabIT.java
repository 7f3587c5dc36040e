package io.pcapreplay.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.ExecResult;
import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabProcess;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.lab.demo.JtlRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real JMeter 5.6.3 (from Maven Central, assembled under target/jmeter with the plugin in lib/ext) runs
 * examples/plans/replay.jmx headless inside the client namespace, as root (raw socket): the sessions of
 * examples/pcaps/http-keepalive.pcap (3 requests on one connection, then 1 on another) are replayed against nginx in
 * the target, the intercept agent jar in the assistant feeding the responses back. Checks the CSV JTL and the
 * dashboard.
 */
@LabTest
class JMeterHeadlessLabIT {

    private static Path tokenFile;
    private static Path nginxDirectory;

    @BeforeAll
    static void servers(Lab lab) throws Exception {
        nginxDirectory = JMeterLab.startRecordedNginx(lab);
        tokenFile = JMeterLab.startAgent(lab);
    }

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void shouldWriteOneSuccessfulRowPerRecordedRequestWhenJMeterReplaysTheCaptureAgainstNginx(Lab lab)
            throws Exception {
        Path run = Files.createDirectories(lab.workDir().resolve("jmeter-ok"));

        ExecResult result = JMeterLab.runJMeter(lab, run, properties(lab, "0", "198.18.21.*"));

        assertThat(result.exitCode()).as(describe(result, run)).isZero();
        Path jtl = run.resolve("results.jtl");
        assertThat(JtlRows.header(jtl)).as("columns the Jenkins Performance Plugin reads").contains("timeStamp",
            "elapsed", "label", "responseCode", "success", "bytes", "sentBytes", "Latency", "Connect",
            "grpThreads", "allThreads", "responseMessage", "failureMessage");
        List<Map<String, String>> rows = JtlRows.read(jtl);
        assertThat(rows).as(describe(result, run)).hasSize(4);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.get("success")).as(row.toString()).isEqualTo("true");
            assertThat(row.get("responseCode")).as(row.toString()).isEqualTo("200");
        });
        assertThat(rows).extracting(row -> row.get("label"))
            .containsExactlyInAnyOrder("GET /", "GET /page.txt", "POST /login", "GET /page.txt");
        Map<String, String> page = rows.stream().filter(row -> row.get("label").equals("GET /page.txt")).findFirst()
            .orElseThrow();
        assertThat(Long.parseLong(page.get("bytes"))).as("response bytes of page.txt").isGreaterThan(3_000);
        assertThat(Long.parseLong(page.get("sentBytes"))).isPositive();
        assertThat(run.resolve("report/index.html")).isRegularFile();
        assertThat(Files.readString(run.resolve("jmeter.log"))).as("the agent clock's offset, logged")
            .containsPattern("clock offset \\(agent - replayer\\) [+-][0-9.]+ us \\+/- [0-9.]+ us")
            .contains("samples are timed from the agent's capture timestamps");
        List<String> log = Files.readAllLines(nginxDirectory.resolve("access.log"));
        assertThat(log).filteredOn(line -> line.startsWith("198.18.21.")).hasSize(4);
        assertThat(Files.readString(run.resolve("jmeter.log"))).as("the pre-flight checks, one line each")
            .contains("pre-flight OK raw socket: socket(AF_INET, SOCK_RAW, IPPROTO_RAW) opens")
            .contains("pre-flight OK agent: ").contains("pre-flight OK assistant: forwarding off")
            .containsPattern("pre-flight: 5 checks at start in \\d+ ms")
            .containsPattern("pre-flight OK probe: SYN from 198\\.18\\.21\\.\\d+:\\d+ to [0-9.]+:80 answered by "
                + "SYN-ACK through the agent")
            .doesNotContain("pre-flight FAIL");
    }

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void shouldRunTheUsersOnVirtualThreadsWhenJMeterRunsOnJava21OrLater(Lab lab) throws Exception {
        Path java = Path.of(System.getProperty("java21.home", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java");
        if ("true".equals(System.getenv("CI"))) {
            assertThat(java).as("Java 21+ (set -Djava21.home=...)").isExecutable();
        }
        Assumptions.assumeTrue(Files.isExecutable(java), "no Java 21+ at " + java + " (set -Djava21.home=...)");
        Path run = Files.createDirectories(lab.workDir().resolve("jmeter-virtual"));

        ExecResult result = JMeterLab.runJMeter(lab, run, properties(lab, "0", "198.18.25.*"), java.toString());

        assertThat(result.exitCode()).as(describe(result, run)).isZero();
        assertThat(Files.readString(run.resolve("jmeter.log"))).contains("started 2 user(s) on virtual threads");
        List<Map<String, String>> rows = JtlRows.read(run.resolve("results.jtl"));
        assertThat(rows).as(describe(result, run)).hasSize(4)
            .allSatisfy(row -> assertThat(row.get("success")).as(row.toString()).isEqualTo("true"));
    }

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void shouldReplayThroughAPacketSocketToTheRoutesNextHopWhenTheTransportIsDatalinkWithoutAMac(Lab lab)
            throws Exception {
        Path run = Files.createDirectories(lab.workDir().resolve("jmeter-datalink"));
        String device = lab.client().interfaceTo(LabRole.TARGET);
        String targetMac = JMeterLab.mac(lab.target(), lab.target().interfaceTo(LabRole.CLIENT));
        List<String> properties = new ArrayList<>(properties(lab, "0", "198.18.26.*"));
        properties.add("transport=datalink " + device); // the next hop's MAC from the neighbour table

        ExecResult result = JMeterLab.runJMeter(lab, run, properties);

        assertThat(result.exitCode()).as(describe(result, run)).isZero();
        assertThat(JtlRows.read(run.resolve("results.jtl"))).as(describe(result, run)).hasSize(4)
            .allSatisfy(row -> assertThat(row.get("responseCode")).as(row.toString()).isEqualTo("200"));
        assertThat(Files.readAllLines(nginxDirectory.resolve("access.log")))
            .filteredOn(line -> line.startsWith("198.18.26.")).hasSize(4);
        assertThat(Files.readString(run.resolve("jmeter.log"))).as("the pre-flight checks of the datalink transport")
            .contains("datalink " + device + ": frames to " + lab.target().ipv4To(LabRole.CLIENT).getHostAddress()
                + " go to the next hop " + targetMac)
            .contains("pre-flight OK raw socket: socket(AF_PACKET, SOCK_RAW, 0) sends frames on " + device)
            .contains("pre-flight OK conntrack: not involved")
            .contains("pre-flight OK probe: SYN from 198.18.26.").doesNotContain("pre-flight FAIL");
    }

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void shouldSendSessionsToTheMappedTargetWhenTheirRecordedPortIsInTheTargetMap(Lab lab) throws Exception {
        Path run = Files.createDirectories(lab.workDir().resolve("jmeter-map"));
        String nginx = lab.target().ipv4To(LabRole.CLIENT).getHostAddress();
        List<String> properties = new ArrayList<>(properties(lab, "81", "198.18.27.*"));
        properties.add("targetMap=80=" + nginx + ":80");

        ExecResult result = JMeterLab.runJMeter(lab, run, properties);

        assertThat(result.exitCode()).as(describe(result, run)).isZero();
        assertThat(JtlRows.read(run.resolve("results.jtl"))).as("port 81 is closed: only the map reaches nginx")
            .hasSize(4).allSatisfy(row -> assertThat(row.get("responseCode")).as(row.toString()).isEqualTo("200"));
        assertThat(Files.readAllLines(nginxDirectory.resolve("access.log")))
            .filteredOn(line -> line.startsWith("198.18.27.")).hasSize(4);
    }

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void shouldLogTheAssistantCheckWithItsFixAtTestStartWhenTheAssistantForwards(Lab lab) throws Exception {
        Path run = Files.createDirectories(lab.workDir().resolve("jmeter-forwarding"));
        lab.assistant().exec(JMeterLab.WAIT, "sysctl", "-w", "net.ipv4.ip_forward=1").orThrow();
        ExecResult result;
        try {
            result = JMeterLab.runJMeter(lab, run, properties(lab, "0", "198.18.27.*"));
        } finally {
            lab.assistant().exec(JMeterLab.WAIT, "sysctl", "-w", "net.ipv4.ip_forward=0").orThrow();
        }

        assertThat(result.exitCode()).as(describe(result, run)).isZero();
        assertThat(Files.readAllLines(run.resolve("jmeter.log"))).as(describe(result, run))
            .filteredOn(line -> line.contains("pre-flight FAIL")).singleElement().asString()
            .contains(" ERROR ")
            .contains("pre-flight FAIL assistant: the agent's host forwards packets (net.ipv4.ip_forward=1")
            .contains(" | on the assistant: sysctl -w net.ipv4.ip_forward=0");
        assertThat(Files.readString(run.resolve("jmeter.log"))).as("the other checks still run")
            .contains("pre-flight OK agent: ").contains("pre-flight OK raw socket: ");
    }

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void shouldFailEveryUserWithTheTokenFixWhenTheTokenIsWrong(Lab lab) throws Exception {
        Path run = Files.createDirectories(lab.workDir().resolve("jmeter-wrong-token"));
        Path wrong = Files.writeString(run.resolve("wrong.token"), "not-the-agents-token\n");
        List<String> properties = new ArrayList<>(properties(lab, "0", "198.18.28.*"));
        properties.replaceAll(property -> property.startsWith("tokenFile=") ? "tokenFile=" + wrong : property);

        ExecResult result = JMeterLab.runJMeter(lab, run, properties);

        assertThat(result.exitCode()).as(describe(result, run)).isZero();
        assertThat(JtlRows.read(run.resolve("results.jtl"))).as(describe(result, run)).hasSize(2)
            .allSatisfy(row -> {
                assertThat(row.get("responseCode")).as(row.toString()).isEqualTo("SETUP_FAILED");
                assertThat(row.get("failureMessage")).as(row.toString()).contains("BAD_TOKEN")
                    .contains("pre-flight FAIL agent, to fix: use the agent's token: the token file must hold what "
                        + "the agent's --token-file holds");
            });
        assertThat(Files.readAllLines(run.resolve("jmeter.log"))).as(describe(result, run))
            .filteredOn(line -> line.contains(" ERROR ")).singleElement().asString().contains("set-up failed")
            .contains("BAD_TOKEN").contains("the token file must hold what the agent's --token-file holds");
    }

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void shouldWriteFailedRefusedRowsWhenTheTargetPortIsClosed(Lab lab) throws Exception {
        Path run = Files.createDirectories(lab.workDir().resolve("jmeter-refused"));

        ExecResult result = JMeterLab.runJMeter(lab, run, properties(lab, "81", "198.18.22.*"));

        assertThat(result.exitCode()).as(describe(result, run)).isZero();
        List<Map<String, String>> rows = JtlRows.read(run.resolve("results.jtl"));
        assertThat(rows).as(describe(result, run)).isNotEmpty().allSatisfy(row -> {
            assertThat(row.get("success")).as(row.toString()).isEqualTo("false");
            assertThat(row.get("responseCode")).as(row.toString()).isEqualTo("REFUSED");
            assertThat(row.get("failureMessage")).as(row.toString()).startsWith("REFUSED");
        });
    }

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void shouldPublishEveryExchangeWithActiveUsersAsThreadCountsWhenUsersAreEngineDriven(Lab lab) throws Exception {
        Path run = Files.createDirectories(lab.workDir().resolve("jmeter-engine-driven"));
        List<String> properties = new ArrayList<>(properties(lab, "0", "198.18.23.*"));
        properties.addAll(List.of("userMode=engine-driven", "publishers=3"));

        ExecResult result = JMeterLab.runJMeter(lab, run, properties);

        assertThat(result.exitCode()).as(describe(result, run)).isZero();
        List<Map<String, String>> rows = JtlRows.read(run.resolve("results.jtl"));
        assertThat(rows).as(describe(result, run)).hasSize(4).allSatisfy(row -> {
            assertThat(row.get("success")).as(row.toString()).isEqualTo("true");
            assertThat(row.get("responseCode")).as(row.toString()).isEqualTo("200");
            assertThat(Integer.parseInt(row.get("grpThreads"))).as("active users, not the 3 publishers: " + row)
                .isBetween(0, 2);
            assertThat(row.get("allThreads")).as(row.toString()).isEqualTo(row.get("grpThreads"));
        });
        assertThat(rows).extracting(row -> row.get("label"))
            .containsExactlyInAnyOrder("GET /", "GET /page.txt", "POST /login", "GET /page.txt");
    }

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void shouldReplayTheWarmUpSessionsUnsampledBeforeTheUsersWhenAWarmUpIsAsked(Lab lab) throws Exception {
        Path run = Files.createDirectories(lab.workDir().resolve("jmeter-warm-up"));
        List<String> properties = new ArrayList<>(properties(lab, "0", "198.18.33.*"));
        properties.addAll(List.of("userMode=engine-driven", "pcapreplay.warmUpSessions=6"));

        ExecResult result = JMeterLab.runJMeter(lab, run, properties);

        assertThat(result.exitCode()).as(describe(result, run)).isZero();
        assertThat(JtlRows.read(run.resolve("results.jtl"))).as("the users' exchanges only: " + describe(result, run))
            .extracting(row -> row.get("label") + " " + row.get("success"))
            .containsExactlyInAnyOrder("GET / true", "GET /page.txt true", "POST /login true", "GET /page.txt true");
        Matcher warmUp = Pattern.compile("warm-up: 6 sessions replayed before the users started, not sampled: "
            + "(\\d+) exchanges OK, 0 failed, in \\d+ ms \\(pcapreplay.warmUpSessions\\)")
            .matcher(Files.readString(run.resolve("jmeter.log")));
        assertThat(warmUp.find()).as(describe(result, run)).isTrue();
        int warmUpExchanges = Integer.parseInt(warmUp.group(1));
        assertThat(warmUpExchanges).as("6 sessions of 3 or 1 exchanges").isBetween(6, 18);
        assertThat(Files.readAllLines(nginxDirectory.resolve("access.log")))
            .as("the server answered the warm-up's requests and the users'")
            .filteredOn(line -> line.startsWith("198.18.33.")).hasSize(warmUpExchanges + 4);
    }

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void shouldWriteOneParentPerSessionWithTheExchangesAsSubSamplesWhenSessionParentIsOn(Lab lab) throws Exception {
        Path run = Files.createDirectories(lab.workDir().resolve("jmeter-parent"));
        List<String> properties = new ArrayList<>(properties(lab, "0", "198.18.24.*"));
        properties.add("sessionParent=true");

        ExecResult result = JMeterLab.runJMeter(lab, run, properties);

        assertThat(result.exitCode()).as(describe(result, run)).isZero();
        List<Map<String, String>> rows = JtlRows.read(run.resolve("results.jtl"));
        assertThat(rows).as(describe(result, run)).extracting(row -> row.get("label")).containsExactlyInAnyOrder(
            "Pcap Session Sampler 80 session", "Pcap Session Sampler 80 session", "GET /", "GET /page.txt",
            "POST /login", "GET /page.txt");
        assertThat(rows).allSatisfy(row -> assertThat(row.get("success")).as(row.toString()).isEqualTo("true"));
    }

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void shouldEndPromptlyWhenStopNowInterruptsUsersWaitingForAnAnswerThatNeverComes(Lab lab) throws Exception {
        Path run = Files.createDirectories(lab.workDir().resolve("jmeter-stop-now"));
        List<String> properties = new ArrayList<>(properties(lab, "0", "198.18.26.*"));
        properties.addAll(List.of("target=198.19.1.99", "connectTimeout=60000", "responseTimeout=60000"));
        LabProcess jmeter = JMeterLab.startJMeter(lab, run, properties); // nobody at .99: each wait is minutes
        jmeter.awaitOutput("Waiting for possible Shutdown/StopTestNow", JMeterLab.WAIT);
        long started = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Path log = run.resolve("jmeter.log");
        while (!Files.readString(log).contains("Thread started: Pcap Replay Thread Group 1-2")
                && System.nanoTime() < started) {
            Thread.sleep(50);
        }
        Thread.sleep(2_000); // the users open the runtime and start waiting for a SYN-ACK that never comes

        assertThat(JMeterLab.stopTestNow(lab).exitCode()).isZero();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (jmeter.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(jmeter.isAlive()).as("JMeter still running 40 s after Stop now:\n" + jmeter.output()).isFalse();
        assertThat(JtlRows.read(run.resolve("results.jtl"))).as("the interrupted waits").isNotEmpty()
            .allSatisfy(row -> {
                assertThat(row.get("responseCode")).as(row.toString()).isEqualTo("INTERRUPTED");
                assertThat(row.get("label")).as("the exchange waited for").isIn("GET /", "GET /page.txt");
            });
    }

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void shouldHoldOneCometSessionPerUserUntilTheDurationEndsWithoutATimerWhenThreadPerUser(Lab lab)
            throws Exception {
        assertHoldsOneCometSessionPerUser(lab, "jmeter-comet-hold", "198.18.57.", JMeterLab.java());
    }

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void shouldHoldOneCometSessionPerUserUntilTheDurationEndsOnVirtualThreadsWhenJMeterRunsOnJava21OrLater(Lab lab)
            throws Exception {
        Path java = Path.of(System.getProperty("java21.home", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java");
        if ("true".equals(System.getenv("CI"))) {
            assertThat(java).as("Java 21+ (set -Djava21.home=...)").isExecutable();
        }
        Assumptions.assumeTrue(Files.isExecutable(java), "no Java 21+ at " + java + " (set -Djava21.home=...)");

        Path run = assertHoldsOneCometSessionPerUser(lab, "jmeter-comet-hold-virtual", "198.18.58.", java.toString());

        assertThat(Files.readString(run.resolve("jmeter.log"))).contains("started 2 user(s) on virtual threads");
    }

    /**
     * Two users, endless loops, an 8 s duration, comet: each holds its first session (no other starts) until the
     * duration ends, then JMeter ends. Returns the run's directory.
     */
    private Path assertHoldsOneCometSessionPerUser(Lab lab, String name, String clients, String java)
            throws Exception {
        Path run = Files.createDirectories(lab.workDir().resolve(name));
        List<String> properties = new ArrayList<>(properties(lab, "0", clients + "*"));
        properties.addAll(List.of("comet=true", "loops=-1", "duration=8")); // the later -J wins
        LabProcess jmeter = JMeterLab.startJMeter(lab, run, properties, java);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long held = 0;
        while (held < 2 && jmeter.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            held = established(lab, clients);
        }
        assertThat(held).as("each user's session held open at the server\n" + jmeter.output()).isEqualTo(2);
        Thread.sleep(3_000);
        assertThat(established(lab, clients)).as("still held, no other session started").isEqualTo(2);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (jmeter.isAlive() && System.nanoTime() < end) {
            Thread.sleep(100);
        }

        assertThat(jmeter.isAlive()).as("JMeter ends with its duration\n" + jmeter.output()).isFalse();
        assertThat(JtlRows.read(run.resolve("results.jtl"))).as("one session per user in 8 s of endless loops")
            .hasSize(4).allSatisfy(row -> assertThat(row.get("success")).as(row.toString()).isEqualTo("true"));
        assertThat(Files.readAllLines(nginxDirectory.resolve("access.log")))
            .filteredOn(line -> line.startsWith(clients)).hasSize(4);
        return run;
    }

    /** Established connections to the target's port 80 from client addresses starting with a prefix. */
    private static long established(Lab lab, String clientPrefix) {
        ExecResult result = lab.target().exec(JMeterLab.WAIT, "ss", "-Htn", "state", "established",
            "( sport = :80 )");
        return result.stdout().lines().filter(line -> line.contains(" " + clientPrefix)).count();
    }

    private static List<String> properties(Lab lab, String targetPort, String clientIps) {
        Path pcap = Path.of(System.getProperty("project.root"), "examples", "pcaps", "http-keepalive.pcap");
        return List.of("pcap=" + pcap, "serverPort=80",
            "target=" + lab.target().ipv4To(LabRole.CLIENT).getHostAddress(), "targetPort=" + targetPort,
            "agent=" + JMeterLab.agentAddress(lab), "tokenFile=" + tokenFile, "clientIps=" + clientIps,
            "users=2", "loops=1", "duration=60", "speed=1", "responseTimeout=10000", "connectTimeout=3000");
    }

    private static String describe(ExecResult result, Path run) {
        String log;
        try {
            Path file = run.resolve("jmeter.log");
            log = Files.exists(file) ? Files.readString(file) : "(no jmeter.log)";
            Path jtl = run.resolve("results.jtl");
            log += Files.exists(jtl) ? "\nJTL:\n" + Files.readString(jtl) : "\n(no results.jtl)";
        } catch (java.io.IOException e) {
            log = e.toString();
        }
        return "exit " + result.exitCode() + "\nstdout:\n" + result.stdout() + "\nstderr:\n" + result.stderr()
            + "\njmeter.log:\n" + log;
    }
}
