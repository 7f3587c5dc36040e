package io.pcapreplay.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabProcess;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.lab.demo.JtlRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Comet mode through headless JMeter: every user's connection stays open at the target after its exchanges, until the
 * test ends (its duration, or JMeter's Shutdown); then the replay resets them (the target holds nothing of the test
 * once JMeter exited).
 */
@LabTest
class JMeterCometLabIT {

    private static final int USERS = 40;
    private static Path tokenFile;

    @BeforeAll
    static void servers(Lab lab) throws Exception {
        JMeterLab.startRecordedNginx(lab);
        tokenFile = JMeterLab.startAgent(lab);
    }

    /**
     * @param ending how the test ends: "thread-per-user" and "engine-driven" by the duration (10 s), "shutdown" an
     *     engine-driven run by JMeter's Shutdown (bin/shutdown.sh) before its duration (60 s)
     */
    @ParameterizedTest
    @ValueSource(strings = {"thread-per-user", "engine-driven", "shutdown"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldHoldEveryConnectionUntilTheEndAndThenResetIt(String ending, Lab lab) throws Exception {
        String userMode = ending.equals("thread-per-user") ? ending : "engine-driven";
        boolean shutdown = ending.equals("shutdown");
        String clients = ending.equals("thread-per-user") ? "198.18.70." : shutdown ? "198.18.72." : "198.18.71.";
        Path run = Files.createDirectories(lab.workDir().resolve("comet-" + ending));
        Path pcap = Path.of(System.getProperty("project.root"), "examples", "pcaps", "http-keepalive.pcap");
        List<String> properties = List.of("pcap=" + pcap, "serverPort=80",
            "target=" + lab.target().ipv4To(LabRole.CLIENT).getHostAddress(), "targetPort=0",
            "agent=" + JMeterLab.agentAddress(lab), "tokenFile=" + tokenFile, "clientIps=" + clients + "*",
            "users=" + USERS, "loops=1", "duration=" + (shutdown ? 60 : 10), "comet=true", "idleTimeout=60000",
            "userMode=" + userMode, "responseTimeout=10000", "connectTimeout=3000");
        LabProcess jmeter = JMeterLab.startJMeter(lab, run, properties);
        long held;
        try {
            held = await(lab, clients, count -> count >= USERS, Duration.ofSeconds(30));
            if (shutdown) {
                lab.client().exec(Duration.ofSeconds(30), "sh", JMeterLab.jmeterHome().resolve("bin/shutdown.sh")
                    .toString()).orThrow();
            }
            long end = System.nanoTime() + Duration.ofSeconds(shutdown ? 20 : 60).toNanos();
            while (jmeter.isAlive() && System.nanoTime() < end) {
                Thread.sleep(100);
            }
            assertThat(jmeter.isAlive()).as("JMeter ended (%s)\n%s", shutdown ? "Shutdown" : "its duration",
                jmeter.output()).isFalse();
        } finally {
            jmeter.stop();
        }

        assertThat(held).as("every user's connection held at the target").isEqualTo(USERS);
        assertThat(await(lab, clients, count -> count == 0, Duration.ofSeconds(5)))
            .as("connections left established at the target after JMeter exited").isZero();
        assertThat(JtlRows.read(run.resolve("results.jtl"))).isNotEmpty()
            .allSatisfy(row -> assertThat(row.get("success")).as(row.toString()).isEqualTo("true"));
    }

    /** Polls the target's established connections from the clients until the condition holds or the timeout. */
    private static long await(Lab lab, String clients, LongPredicate done, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        long count = established(lab, clients);
        while (!done.test(count) && System.nanoTime() < end) {
            Thread.sleep(200);
            count = established(lab, clients);
        }
        return count;
    }

    private static long established(Lab lab, String clients) {
        String output = lab.target().exec(Duration.ofSeconds(10), "ss", "-Htn", "state", "established",
            "( sport = :80 and dst " + clients + "0/24 )").orThrow().stdout();
        return output.lines().filter(line -> !line.isBlank()).count();
    }
}
