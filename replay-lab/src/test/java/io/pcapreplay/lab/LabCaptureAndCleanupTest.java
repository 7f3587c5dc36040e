package io.pcapreplay.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        List<String> syns = LabCapture.packets(pcap, "tcp[tcpflags] == tcp-syn");
        assertThat(syns).hasSize(1);
        assertThat(syns.get(0)).contains("198.19.1.1.").contains("> 198.19.1.2." + server.httpPort());
        assertThat(LabCapture.packets(pcap, "")).hasSizeGreaterThanOrEqualTo(6);
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

        List<String> removed = LabJanitor.removeStale();

        assertThat(removed).contains(stale);
        assertThat(LabJanitor.namespaces()).doesNotContain(stale).contains(lab.client().namespace());
        assertThat(sleeper.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
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
