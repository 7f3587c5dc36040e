package io.pcapreplay.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.ExecResult;
import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.lab.demo.JtlRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Distributed JMeter: two jmeter-server engines, one in the client namespace and one in the assistant namespace,
 * each with its own slice of the fake client range and its own route to nginx in the target, share one intercept
 * agent (which routes each response to the replayer owning the address); a controller in the client namespace
 * collects every sample in one JTL.
 */
@LabTest
class DistributedLabIT {

    @Test
    @Timeout(value = 110, unit = TimeUnit.SECONDS)
    void shouldCollectTheRowsOfBothServersInOneJtlWhenEachReplaysItsOwnClientSlice(Lab lab) throws Exception {
        Path nginx = JMeterLab.startRecordedNginx(lab);
        Path token = JMeterLab.startAgent(lab);
        JMeterLab.startServer(lab, LabRole.CLIENT, List.of("clientIps=198.18.51.*",
            "target=" + lab.target().ipv4To(LabRole.CLIENT).getHostAddress()));
        JMeterLab.startServer(lab, LabRole.ASSISTANT, List.of("clientIps=198.18.52.*",
            "target=" + lab.target().ipv4To(LabRole.ASSISTANT).getHostAddress()));
        String servers = lab.client().ipv4To(LabRole.ASSISTANT).getHostAddress() + ":1099,"
            + lab.assistant().ipv4To(LabRole.CLIENT).getHostAddress() + ":1099";
        Path run = Files.createDirectories(lab.workDir().resolve("jmeter-distributed"));
        Path pcap = Path.of(System.getProperty("project.root"), "examples", "pcaps", "http-keepalive.pcap");

        ExecResult result = JMeterLab.runController(lab, run, servers, List.of("pcap=" + pcap, "serverPort=80",
            "agent=" + JMeterLab.agentAddress(lab), "tokenFile=" + token, "users=2", "loops=1", "duration=60",
            "responseTimeout=10000", "connectTimeout=3000"));

        String described = "exit " + result.exitCode() + "\n" + result.stdout() + "\n" + result.stderr();
        assertThat(result.exitCode()).as(described).isZero();
        List<Map<String, String>> rows = JtlRows.read(run.resolve("results.jtl"));
        assertThat(rows).as(described + Files.readString(run.resolve("results.jtl"))).hasSize(8)
            .allSatisfy(row -> assertThat(row.get("success")).as(row.toString()).isEqualTo("true"));
        assertThat(rows).extracting(row -> row.get("label")).containsOnly("GET /", "GET /page.txt", "POST /login");
        List<String> log = Files.readAllLines(nginx.resolve("access.log"));
        assertThat(log).filteredOn(line -> line.startsWith("198.18.51.")).hasSize(4);
        assertThat(log).filteredOn(line -> line.startsWith("198.18.52.")).hasSize(4);
    }
}
