package io.pcapreplay.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.ExecResult;
import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabProcess;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The commands of docs/setup.md, run as written in the lab (target, assistant, replayer = client namespace): the
 * route check on the target, finding the agent's interface on the assistant, the reachability check of the agent's
 * port from the replayer, and recording a capture with tcpdump that {@code inspect} then reads without problems.
 */
@LabTest
class SetupCommandsLabIT {

    private static Path nginxDirectory;

    @BeforeAll
    static void servers(Lab lab) throws Exception {
        nginxDirectory = JMeterLab.startRecordedNginx(lab);
        JMeterLab.startAgent(lab);
    }

    @Test
    void shouldShowTheAssistantAsNextHopWhenTheTargetRoutesAFakeClient(Lab lab) {
        String assistant = lab.assistant().ipv4To(LabRole.TARGET).getHostAddress();

        ExecResult route = lab.target().exec(JMeterLab.WAIT, "ip", "route", "get", "198.18.1.1").orThrow();

        assertThat(route.stdout()).contains("via " + assistant + " dev " + lab.target().interfaceTo(
            LabRole.ASSISTANT));
    }

    @Test
    void shouldNameTheInterfaceOnTheTargetsSubnetWhenTheAssistantRoutesToTheTarget(Lab lab) {
        String target = lab.target().ipv4To(LabRole.ASSISTANT).getHostAddress();

        ExecResult route = lab.assistant().exec(JMeterLab.WAIT, "ip", "-o", "route", "get", target).orThrow();

        assertThat(route.stdout()).contains("dev " + lab.assistant().interfaceTo(LabRole.TARGET));
    }

    @Test
    void shouldPrintAgentReachableWhenTheReplayerChecksTheAgentsPort(Lab lab) {
        String[] agent = JMeterLab.agentAddress(lab).split(":");

        ExecResult check = lab.client().exec(JMeterLab.WAIT, "bash", "-c", "timeout 3 bash -c 'exec 3<>/dev/tcp/"
            + agent[0] + "/" + agent[1] + "' && echo agent reachable");
        ExecResult closed = lab.client().exec(JMeterLab.WAIT, "bash", "-c", "timeout 3 bash -c 'exec 3<>/dev/tcp/"
            + agent[0] + "/1' && echo agent reachable");

        assertThat(check.exitCode()).as(check.stderr()).isZero();
        assertThat(check.stdout()).contains("agent reachable");
        assertThat(closed.exitCode()).as("a closed port fails").isNotZero();
        assertThat(closed.stdout()).doesNotContain("agent reachable");
    }

    @Test
    void shouldRecordSessionsInspectReadsWithoutProblemsWhenTcpdumpRunsAsDocumented(Lab lab) throws Exception {
        Path capture = lab.workDir().resolve("capture.pcap");
        String device = lab.target().interfaceTo(LabRole.CLIENT);
        String target = lab.target().ipv4To(LabRole.CLIENT).getHostAddress();
        LabProcess tcpdump = lab.target().start("tcpdump", "-i", device, "-s", "0", "-w", capture.toString(),
            "tcp port 80");
        tcpdump.awaitOutput("listening on", JMeterLab.WAIT);

        ExecResult requests = lab.client().exec(JMeterLab.WAIT, "curl", "-sS", "-o", "/dev/null", "-o", "/dev/null",
            "http://" + target + "/page.txt", "http://" + target + "/");
        Thread.sleep(2_000); // libpcap hands packets over in blocks, at the latest after 1 s: then stop
        // Ctrl+C: SIGINT to tcpdump (ip netns exec became tcpdump), which then writes out the file and ends
        new ProcessBuilder("kill", "-INT", String.valueOf(tcpdump.pid())).start().waitFor();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (tcpdump.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(tcpdump.isAlive()).as("tcpdump ended on SIGINT").isFalse();
        assertThat(tcpdump.output()).contains("packets captured");
        tcpdump.stop();

        assertThat(requests.exitCode()).as(requests.stderr()).isZero();
        Path jar = Path.of(System.getProperty("project.root"), "jmeter-plugin", "target",
            "jmeter-plugin-0.1.0-SNAPSHOT.jar");
        ProcessBuilder inspect = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar", jar.toString(), "inspect", capture.toString(), "--port", "80").redirectErrorStream(true);
        Process process = inspect.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output + "\ntcpdump: " + tcpdump.output() + "\ncurl: " + requests.stdout()
            + requests.stderr()).isZero();
        assertThat(output).as("one keep-alive session, 2 exchanges, whole packets").contains("exchanges=2",
            "syn=yes", "problems=none", "truncatedFrames=0");
        assertThat(nginxDirectory.resolve("access.log")).content().contains("GET /page.txt");
    }
}
