package io.pcapreplay.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.demo.JtlRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real JMeter 5.6.3, no lab: when the replay cannot be set up (here no agent listens; without root the raw socket
 * fails first) every user writes one failed SETUP_FAILED row with the reason and stops, although its loops are
 * endless: no exception, no hang.
 */
class JMeterSetupFailureTest {

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldWriteOneSetupFailedRowPerUserAndEndWhenNoAgentListens(@TempDir Path run) throws Exception {
        Path home = JMeterLab.jmeterHome();
        Path plan = Path.of(System.getProperty("project.root"), "examples", "plans", "replay.jmx");
        Path pcap = Path.of(System.getProperty("project.root"), "examples", "pcaps", "http-keepalive.pcap");
        Path token = Files.writeString(run.resolve("agent.token"), "token\n");
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar",
            home.resolve("bin/ApacheJMeter.jar").toString(), "-n", "-t", plan.toString(),
            "-l", run.resolve("results.jtl").toString(), "-j", run.resolve("jmeter.log").toString(),
            "-Jjmeter.save.saveservice.output_format=csv", "-Jpcap=" + pcap, "-JserverPort=80",
            "-Jtarget=127.0.0.1", "-Jagent=127.0.0.1:1", "-JtokenFile=" + token, "-Jusers=3", "-Jloops=-1",
            "-Jduration=60"));
        Process jmeter = new ProcessBuilder(command).directory(run.toFile()).redirectErrorStream(true)
            .redirectOutput(run.resolve("stdout.txt").toFile()).start();

        boolean ended = jmeter.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            jmeter.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }

        assertThat(ended).as("JMeter ended before the 60 s duration: " + Files.readString(run.resolve("stdout.txt")))
            .isTrue();
        List<Map<String, String>> rows = JtlRows.read(run.resolve("results.jtl"));
        assertThat(rows).hasSize(3).allSatisfy(row -> {
            assertThat(row.get("responseCode")).isEqualTo("SETUP_FAILED");
            assertThat(row.get("success")).isEqualTo("false");
            assertThat(row.get("failureMessage")).as(row.toString()).contains("expected");
        });
    }
}
