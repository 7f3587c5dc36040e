package io.pcapreplay.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@LabTest
class LabCaptureAndCleanupTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void shouldCaptureTrafficWhenTcpdumpRunsInTarget(Lab lab) {
        LabHost target = lab.target();
        String iface = target.interfaceTo(LabRole.CLIENT);
        var server = target.startEmbeddedTarget(0, 0);
        LabCapture capture = target.tcpdump(iface, "tcp port " + server.httpPort()).awaitStarted(TIMEOUT);

        lab.client().exec(TIMEOUT, "curl", "-sS", "--max-time", "10", "http://"
                + target.ipv4To(LabRole.CLIENT).getHostAddress() + ":" + server.httpPort() + "/").orThrow();
        Path pcap = capture.stop();

        assertThat(pcap).isRegularFile();
        List<String> syns = capture.packets("tcp[tcpflags] == tcp-syn");
        assertThat(syns).hasSize(1);
        assertThat(syns.get(0)).contains("198.19.1.1.").contains("> 198.19.1.2." + server.httpPort());
        assertThat(LabCapture.packets(pcap, "")).hasSizeGreaterThanOrEqualTo(6);
        assertThat(capture.packets("").get(0)).doesNotContain("ifb");
        assertThat(capture.process().isAlive()).isFalse();
    }

    @Test
    void shouldRemoveNamespaceAndItsProcessesWhenOwnerIsDead(Lab lab) throws Exception {
        Process shortLived = new ProcessBuilder("true").start();
        shortLived.waitFor();
        long deadPid = shortLived.pid();
        assumeTrue(!Files.exists(Path.of("/proc", Long.toString(deadPid))), "PID " + deadPid + " reused already");
        String stale = LabNames.namespace(LabNames.labId(deadPid, 1), LabRole.TARGET);
        lab.runRoot("ip", "netns", "add", stale);
        Process sleeper = new ProcessBuilder("ip", "netns", "exec", stale, "sleep", "60").start();
        awaitInNamespace(lab, stale, sleeper.pid());

        String samePid = LabNames.namespace(LabNames.labId(ProcessHandle.current().pid(), 1295), LabRole.CLIENT);
        lab.runRoot("ip", "netns", "add", samePid);

        List<String> removed = LabJanitor.removeStale();

        assertThat(removed).contains(stale, samePid).doesNotContain(lab.target().namespace());
        assertThat(LabJanitor.namespaces()).doesNotContain(stale).contains(lab.client().namespace());
        assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void shouldRemoveLabWhenOwnerJvmExitsWithoutClosingIt() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process probe = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LabShutdownProbe.class.getName()).redirectErrorStream(true).start();
        List<String> lines = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .collect(Collectors.toList());

        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(lines).hasSize(4);
        assertThat(LabJanitor.namespaces()).doesNotContainAnyElementsOf(lines.subList(0, 3));
        assertThat(Path.of(lines.get(3))).doesNotExist();
    }

    @Test
    void shouldApplyAndRemoveNetemWhenKernelHasIt(Lab lab) {
        assumeTrue(lab.netemAvailable(), "the kernel has no netem qdisc (sch_netem): netem cannot be tested here");
        String iface = lab.target().interfaceTo(LabRole.ASSISTANT);

        Netem netem = lab.netem(lab.target(), iface, "delay 5ms loss 5% reorder 25%");
        String applied = netem.show();
        netem.remove();

        assertThat(applied).contains("netem").contains("delay 5ms").contains("loss 5%");
        assertThat(netem.show()).doesNotContain("netem");
    }

    @Test
    void shouldExplainWhenNetemIsRejected(Lab lab) {
        String iface = lab.target().interfaceTo(LabRole.ASSISTANT);

        String parameters = lab.netemAvailable() ? "no-such-option 5" : "delay 5ms";

        assertThatThrownBy(() -> lab.netem(lab.target(), iface, parameters))
                .isInstanceOf(LabException.class).hasMessageContaining("netem").hasMessageContaining(iface);
    }

    private static void awaitInNamespace(Lab lab, String namespace, long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<String> pids = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            pids = List.of(lab.runRoot("ip", "netns", "pids", namespace).stdout().trim().split("\\s+"));
            if (pids.contains(Long.toString(pid))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("process " + pid + " not in namespace " + namespace + ": " + pids);
    }
}
