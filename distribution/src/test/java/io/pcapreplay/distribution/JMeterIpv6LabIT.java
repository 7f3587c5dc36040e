package io.pcapreplay.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.ExecResult;
import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabCapture;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.lab.demo.JtlRows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * IPv6 end to end through real JMeter 5.6.3 headless: a capture made here by curl from the client namespace, one
 * keep-alive session over IPv6 ({@code GET /}, {@code GET /page.txt} to [2001:2:0:1::2]) and one over IPv4
 * ({@code GET /} to 198.19.1.2), is replayed against nginx in the target from fake clients of both families, the
 * intercept agent jar in the assistant capturing the answers to 2001:2::/48 and 198.18.0.0/15 with its default filter.
 * The target is given as a name with both an A and an AAAA record ({@code target.lab}, added to a copy of /etc/hosts
 * in /etc/netns/CLIENT_NAMESPACE/, which {@code ip netns exec} mounts over /etc/hosts), so each session goes in its
 * recorded family; then as an IPv6 literal, which takes every session, the IPv4 one too, over IPv6.
 */
@LabTest
class JMeterIpv6LabIT {

    private static final String NAME = "target.lab";
    private static Path tokenFile;
    private static Path nginxDirectory;
    private static Path capture;
    private static Path hostsDirectory;
    private static boolean netnsCreated;

    @BeforeAll
    static void servers(Lab lab) throws Exception {
        nginxDirectory = JMeterLab.startRecordedNginx(lab);
        tokenFile = JMeterLab.startAgent(lab);
        capture = record(lab);
        hostsDirectory = Path.of("/etc/netns", lab.client().namespace());
        netnsCreated = !Files.exists(hostsDirectory.getParent());
        Files.createDirectories(hostsDirectory);
        Files.writeString(hostsDirectory.resolve("hosts"), Files.readString(Path.of("/etc/hosts")) + "\n"
            + lab.target().ipv4To(LabRole.CLIENT).getHostAddress() + " " + NAME + "\n"
            + lab.target().ipv6To(LabRole.CLIENT).getHostAddress() + " " + NAME + "\n");
    }

    @AfterAll
    static void removeHostsFile() throws IOException {
        if (hostsDirectory != null) {
            Files.deleteIfExists(hostsDirectory.resolve("hosts"));
            Files.deleteIfExists(hostsDirectory);
            if (netnsCreated) {
                Files.deleteIfExists(hostsDirectory.getParent());
            }
        }
    }

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void shouldReplayEachSessionInItsRecordedFamilyWhenTheTargetNameHasBothFamilies(Lab lab) throws Exception {
        Path run = Files.createDirectories(lab.workDir().resolve("jmeter-dual-stack"));

        ExecResult result = JMeterLab.runJMeter(lab, run, properties(lab, NAME, "198.18.31.*, 2001:2:0:ff31::/112"));

        String describe = describe(result, run);
        assertThat(result.exitCode()).as(describe).isZero();
        List<Map<String, String>> rows = JtlRows.read(run.resolve("results.jtl"));
        assertThat(rows).as(describe).hasSize(3).allSatisfy(row -> {
            assertThat(row.get("success")).as(row.toString()).isEqualTo("true");
            assertThat(row.get("responseCode")).as(row.toString()).isEqualTo("200");
        });
        assertThat(rows).extracting(row -> row.get("label"))
            .containsExactlyInAnyOrder("GET /", "GET /page.txt", "GET /");
        List<String> log = Files.readAllLines(nginxDirectory.resolve("access.log"));
        assertThat(log).as("the IPv6 session from the IPv6 fake clients")
            .filteredOn(line -> line.startsWith("2001:2:0:ff31::")).hasSize(2)
            .anySatisfy(line -> assertThat(line).contains("\"GET /page.txt HTTP/1.1\" 200"));
        assertThat(log).as("the IPv4 session from the IPv4 fake clients")
            .filteredOn(line -> line.startsWith("198.18.31.")).hasSize(1);
        assertThat(Files.readString(run.resolve("jmeter.log"))).as(describe).doesNotContainPattern("ERROR i\\.p\\.");
    }

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void shouldReplayEverySessionOverIpv6WhenTheTargetIsAnIpv6Literal(Lab lab) throws Exception {
        Path run = Files.createDirectories(lab.workDir().resolve("jmeter-ipv6-literal"));
        String target = lab.target().ipv6To(LabRole.CLIENT).getHostAddress();

        ExecResult result = JMeterLab.runJMeter(lab, run, properties(lab, target, "2001:2:0:ff32::/112"));

        String describe = describe(result, run);
        assertThat(result.exitCode()).as(describe).isZero();
        assertThat(JtlRows.read(run.resolve("results.jtl"))).as(describe).hasSize(3)
            .allSatisfy(row -> assertThat(row.get("responseCode")).as(row.toString()).isEqualTo("200"));
        assertThat(Files.readAllLines(nginxDirectory.resolve("access.log")))
            .as("both sessions, the one recorded over IPv4 too, from the IPv6 fake clients")
            .filteredOn(line -> line.startsWith("2001:2:0:ff32::")).hasSize(3);
    }

    /** curl over IPv6 (two requests, one connection), then over IPv4 (one request), captured on the target. */
    private static Path record(Lab lab) throws Exception {
        LabCapture tcpdump = lab.target().tcpdump(lab.target().interfaceTo(LabRole.CLIENT), "tcp port 80")
            .awaitStarted(Duration.ofSeconds(20));
        String ipv6 = "http://[" + lab.target().ipv6To(LabRole.CLIENT).getHostAddress() + "]";
        lab.client().exec(Duration.ofSeconds(20), "curl", "-s", "-g", "-o", "/dev/null", ipv6 + "/", "-o",
            "/dev/null", ipv6 + "/page.txt").orThrow();
        Thread.sleep(50); // the IPv4 session starts after the IPv6 one ended, as in any capture of two clients
        lab.client().exec(Duration.ofSeconds(20), "curl", "-s", "-o", "/dev/null",
            "http://" + lab.target().ipv4To(LabRole.CLIENT).getHostAddress() + "/").orThrow();
        return tcpdump.stop();
    }

    private static List<String> properties(Lab lab, String target, String clientIps) {
        return List.of("pcap=" + capture, "serverPort=80", "target=" + target, "targetPort=0",
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
        } catch (IOException e) {
            log = e.toString();
        }
        return "exit " + result.exitCode() + "\nstdout:\n" + result.stdout() + "\nstderr:\n" + result.stderr()
            + "\njmeter.log:\n" + log;
    }
}
