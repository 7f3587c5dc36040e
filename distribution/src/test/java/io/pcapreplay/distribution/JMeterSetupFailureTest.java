package io.pcapreplay.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.demo.JtlRows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real JMeter 5.6.3 started with bin/jmeter, no lab, nothing sent: when the replay cannot be set up, every user writes
 * one failed SETUP_FAILED row with the reason and stops (although its loops are endless), and jmeter.log has the
 * reason once at ERROR: never 0 samples and a silent success. Without root the raw socket fails before the agent.
 * The runs go on in parallel (each JMeter mostly waits).
 */
@Execution(ExecutionMode.CONCURRENT) // separate JMeter processes, each in its own folder
class JMeterSetupFailureTest {

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    static Stream<Arguments> failures() {
        String noRawSocket = "raw socket";
        return Stream.of(
            Arguments.of("no capture given", List.of("pcap="), "capture files: none", "capture files: none"),
            Arguments.of("capture not found", List.of("pcap=missing.pcap"), "missing.pcap", "missing.pcap"),
            Arguments.of("no agent", List.of(), "127.0.0.1:1", noRawSocket),
            Arguments.of("bad client addresses", List.of("clientIps=300.1.1.*"), "300.1.1.*", "300.1.1.*"),
            Arguments.of("missing token file", List.of("tokenFile=no-such.token"), "no-such.token", noRawSocket));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void shouldWriteOneSetupFailedRowPerUserAndLogTheReasonOnceAtError(String what, List<String> overrides,
            String asRoot, String withoutRoot, @TempDir Path run) throws Exception {
        List<String> properties = new ArrayList<>(defaults(run));
        properties.addAll(overrides);

        JMeterRun result = JMeterRun.headless(plan(), run, run, properties);

        String reason = ROOT ? asRoot : withoutRoot;
        assertThat(result.exited()).as(what + ": ended long before the 600 s duration\n" + result).isTrue();
        List<Map<String, String>> rows = result.rows();
        assertThat(rows).as(result.toString()).hasSize(3).allSatisfy(row -> {
            assertThat(row.get("responseCode")).isEqualTo("SETUP_FAILED");
            assertThat(row.get("success")).isEqualTo("false");
            assertThat(row.get("failureMessage")).as(row.toString()).contains(reason).contains("expected");
        });
        assertThat(result.logLines(" ERROR ")).as(what + ": the reason once at ERROR\n" + result).singleElement()
            .asString().contains("set-up failed").contains(reason);
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void shouldWarnWhenTheGroupHasNoUsers(@TempDir Path run) throws Exception {
        List<String> properties = new ArrayList<>(defaults(run));
        properties.add("users=0");

        JMeterRun result = JMeterRun.headless(plan(), run, run, properties);

        assertThat(result.exited()).as(result.toString()).isTrue();
        assertThat(result.logLines(" WARN ")).as(result.toString())
            .anySatisfy(line -> assertThat(line).contains("0 users").contains("replays nothing"));
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void shouldReadACapturePathRelativeToThePlansFolderWhenJMeterRunsFromAnotherDirectory(@TempDir Path root)
            throws Exception {
        Path plans = Files.createDirectories(root.resolve("plans"));
        Path pcaps = Files.createDirectories(root.resolve("pcaps"));
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        Files.copy(plan(), plans.resolve("replay.jmx"));
        Files.copy(Path.of(System.getProperty("project.root"), "examples", "pcaps", "http-keepalive.pcap"),
            pcaps.resolve("http-keepalive.pcap"));
        Files.writeString(plans.resolve("agent.token"), "token\n");
        List<String> properties = new ArrayList<>(defaults(root));
        properties.addAll(List.of("pcap=../pcaps/http-keepalive.pcap", "tokenFile=agent.token"));

        JMeterRun result = JMeterRun.headless(plans.resolve("replay.jmx"), elsewhere, root, properties);

        assertThat(result.exited()).as(result.toString()).isTrue();
        assertThat(result.log()).as(result.toString()).contains("reading sessions from ../pcaps/http-keepalive.pcap");
        assertThat(result.rows()).as("the capture and token were found: the agent (root) or raw socket fails\n"
            + result).hasSize(3).allSatisfy(row -> assertThat(row.get("failureMessage"))
                .contains(ROOT ? "127.0.0.1:1" : "raw socket").doesNotContain("not found"));
    }

    private static Path plan() {
        return Path.of(System.getProperty("project.root"), "examples", "plans", "replay.jmx");
    }

    private static List<String> defaults(Path run) throws IOException {
        Path pcap = Path.of(System.getProperty("project.root"), "examples", "pcaps", "http-keepalive.pcap");
        Path token = Files.writeString(run.resolve("agent.token"), "token\n");
        return List.of("pcap=" + pcap, "serverPort=80", "target=127.0.0.1", "agent=127.0.0.1:1",
            "tokenFile=" + token, "users=3", "loops=-1", "duration=600");
    }

    /** A finished headless JMeter run: its JTL, its log, its output. */
    record JMeterRun(boolean exited, Path directory, String output) {

        /** Runs {@code bin/jmeter -n -t plan -l results.jtl -j jmeter.log -Jname=value...} from a working folder. */
        static JMeterRun headless(Path plan, Path workingDirectory, Path results, List<String> properties)
                throws IOException, InterruptedException {
            Path home = JMeterLab.jmeterHome();
            List<String> command = new ArrayList<>(List.of(home.resolve("bin/jmeter").toString(), "-n",
                "-t", plan.toString(), "-l", results.resolve("results.jtl").toString(),
                "-j", results.resolve("jmeter.log").toString(), "-Jjmeter.save.saveservice.output_format=csv"));
            properties.forEach(property -> command.add("-J" + property));
            ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectErrorStream(true).redirectOutput(results.resolve("stdout.txt").toFile());
            builder.environment().put("HEAP", "-Xms64m -Xmx256m");
            Process jmeter = builder.start();
            boolean exited = jmeter.waitFor(150, TimeUnit.SECONDS); // long before the 600 s duration
            if (!exited) {
                jmeter.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            return new JMeterRun(exited, results, Files.readString(results.resolve("stdout.txt")));
        }

        List<Map<String, String>> rows() throws IOException {
            return JtlRows.read(directory.resolve("results.jtl"));
        }

        String log() throws IOException {
            Path log = directory.resolve("jmeter.log");
            return Files.exists(log) ? Files.readString(log) : "";
        }

        List<String> logLines(String level) throws IOException {
            return log().lines().filter(line -> line.contains(level)).toList();
        }

        @Override
        public String toString() {
            try {
                return "stdout:\n" + output + "\njmeter.log:\n" + log();
            } catch (IOException e) {
                return e.toString();
            }
        }
    }
}
