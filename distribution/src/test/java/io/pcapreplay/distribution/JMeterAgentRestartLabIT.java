package io.pcapreplay.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabProcess;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.lab.demo.JtlRows;
import io.pcapreplay.lab.demo.ReplaySetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Headless JMeter replaying against nginx while the intercept agent jar is killed by PID (SIGKILL, as a crash) and
 * started again: the exchanges in flight are AGENT_LOST rows in the JTL, jmeter.log says the agent was lost and is
 * back, and the rows after its return are 200s; JMeter ends normally.
 */
@LabTest
class JMeterAgentRestartLabIT {

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void shouldWriteAgentLostRowsThenSucceedAgainWhenTheAgentIsKilledAndRestartedMidRun(Lab lab) throws Exception {
        Path nginx = JMeterLab.startRecordedNginx(lab);
        Path jar = Path.of(System.getProperty("agent.jar"));
        LabProcess agent = ReplaySetup.startAgentProcess(lab, jar, JMeterLab.TOKEN);
        Path run = Files.createDirectories(lab.workDir().resolve("jmeter-agent-restart"));
        Path pcap = Path.of(System.getProperty("project.root"), "examples", "pcaps", "http-keepalive.pcap");
        // think times (0.2 s recorded) stretched to 2 s: users are between exchanges when the agent dies; sessions
        // started while it is away wait for it up to the connect timeout
        List<String> properties = List.of("pcap=" + pcap, "serverPort=80",
            "target=" + lab.target().ipv4To(LabRole.CLIENT).getHostAddress(), "targetPort=0",
            "agent=" + JMeterLab.agentAddress(lab), "tokenFile=" + lab.workDir().resolve("agent.token"),
            "clientIps=198.18.27.*", "users=4", "loops=-1", "duration=22", "speed=0.1", "responseTimeout=10000",
            "connectTimeout=15000");
        LabProcess jmeter = JMeterLab.startJMeter(lab, run, properties);
        await(() -> requests(nginx) >= 6, "requests answered before the kill");

        ProcessHandle.of(agent.pid()).ifPresent(ProcessHandle::destroyForcibly);
        await(() -> !agent.isAlive(), "the agent gone");
        Path log = run.resolve("jmeter.log");
        await(() -> logSays(log, " lost: "), "jmeter.log saying the agent is lost");
        long killedAtRequests = requests(nginx);
        ReplaySetup.startAgentProcess(lab, jar, JMeterLab.TOKEN);
        await(() -> logSays(log, " back after "), "jmeter.log saying the agent is back");
        await(() -> !jmeter.isAlive(), "JMeter's end");

        String jmeterLog = Files.readString(log);
        List<Map<String, String>> rows = JtlRows.read(run.resolve("results.jtl"));
        String described = "jmeter.log:\n" + jmeterLog + "\nJTL rows: " + rows;
        assertThat(jmeter.stop()).as("JMeter's exit code: " + described).isZero();
        List<Map<String, String>> lost = rows.stream().filter(row -> "AGENT_LOST".equals(row.get("responseCode")))
            .toList();
        assertThat(lost).as("the exchanges in flight: " + described).isNotEmpty().allSatisfy(row -> {
            assertThat(row.get("success")).isEqualTo("false");
            assertThat(row.get("responseMessage")).contains("agent lost: ");
        });
        long lastLost = lost.stream().mapToLong(row -> Long.parseLong(row.get("timeStamp"))).max().orElseThrow();
        assertThat(rows).as("rows after the agent's return: " + described)
            .filteredOn(row -> Long.parseLong(row.get("timeStamp")) > lastLost).isNotEmpty()
            .allSatisfy(row -> assertThat(row.get("responseCode")).as(row.toString()).isIn("200", "INTERRUPTED"))
            .anySatisfy(row -> assertThat(row.get("responseCode")).isEqualTo("200"));
        assertThat(rows).as("nothing else (INTERRUPTED: a user stopped by the end of the duration): " + described)
            .allSatisfy(row -> assertThat(row.get("responseCode")).as(row.toString())
                .isIn("200", "AGENT_LOST", "INTERRUPTED"));
        assertThat(requests(nginx)).as("requests after the restart").isGreaterThan(killedAtRequests);
        assertThat(jmeterLog).contains("reconnecting with back-off").containsPattern(
            "agent \\S+ back after [0-9.]+ s \\([0-9]+ attempt\\(s\\)\\): [0-9]+ range\\(s\\) registered again")
            .as("the agent's drops summed up at the end, from its STATS").containsPattern(
                "agent \\S+(: no packet dropped| dropped [0-9]+ packets \\(kernel\\)).* during the test since ");
    }

    private static long requests(Path nginx) throws java.io.IOException {
        Path log = nginx.resolve("access.log");
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(line -> line.startsWith("198.18.27."))
            .count() : 0;
    }

    private static boolean logSays(Path log, String text) throws java.io.IOException {
        return Files.exists(log) && Files.readString(log).contains(text);
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 60 s");
            }
            Thread.sleep(50);
        }
    }
}
