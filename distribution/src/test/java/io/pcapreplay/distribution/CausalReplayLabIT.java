package io.pcapreplay.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.ExecResult;
import io.pcapreplay.lab.Impairment;
import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabCapture;
import io.pcapreplay.lab.LabImpairment;
import io.pcapreplay.lab.LabLink;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.lab.demo.JtlRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sessions that depend on each other, recorded in the lab with real servers ({@link StatefulServers}: nginx WebDAV,
 * memcached, PostgreSQL) by clients that order their requests across connections ({@link DependentClients}), then
 * replayed by real JMeter headless with hand-out {@code recorded} and "every session once" (users and loops from the
 * capture), all sessions at once against fresh servers: each server ends in exactly the recorded state, with both
 * user modes, and with 5% loss on the client-target link. The hand-out {@code recorded-timing} (start offsets only)
 * does not keep that order; {@code -Dcausal.handOut=recorded-timing} runs these tests with it.
 */
@LabTest
class CausalReplayLabIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String HAND_OUT = System.getProperty("causal.handOut", "recorded");
    private static Path tokenFile;
    private static StatefulServers servers;
    private static Path capture;

    @BeforeAll
    static void record(Lab lab) throws Exception {
        servers = StatefulServers.start(lab);
        tokenFile = JMeterLab.startAgent(lab);
        LabCapture recording = lab.target().tcpdump(lab.target().interfaceTo(LabRole.CLIENT),
            "tcp port 80 or tcp port 11211 or tcp port 5432").awaitStarted(WAIT);
        DependentClients.record(lab);
        capture = recording.stop();
        assertRecordedState(StatefulServers.HTTP_RECORDING, StatefulServers.MEMCACHED_RECORDING,
            StatefulServers.POSTGRES_RECORDING, lab);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldEndInTheRecordedStateWhenDependentSessionsReplayAtOnceWithThreadPerUser(Lab lab) throws Exception {
        servers.resetFresh();

        Path run = replay(lab, "causal-threads", "thread-per-user", "198.18.31.*");

        assertFreshState(lab, run);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldEndInTheRecordedStateWhenDependentSessionsReplayWithFivePercentLossEngineDriven(Lab lab)
            throws Exception {
        servers.resetFresh();
        Path run;
        try (LabImpairment loss = lab.impair(LabLink.CLIENT_TARGET, Impairment.loss(5))) {
            run = replay(lab, "causal-loss", "engine-driven", "198.18.32.*");
            System.out.println("5% loss: dropped " + loss.dropped(LabRole.TARGET) + " packets to the target, "
                + loss.dropped(LabRole.CLIENT) + " to the client");
        }

        assertFreshState(lab, run);
    }

    private static Path replay(Lab lab, String name, String userMode, String clientIps) throws Exception {
        Path run = Files.createDirectories(lab.workDir().resolve(name));
        String target = lab.target().ipv4To(LabRole.CLIENT).getHostAddress();
        List<String> properties = List.of("pcap=" + capture, "serverPort=80,11211,5432", "target=" + target,
            "targetMap=80=" + target + ":" + StatefulServers.HTTP_FRESH + ", 11211=" + target + ":"
                + StatefulServers.MEMCACHED_FRESH + ", 5432=" + target + ":" + StatefulServers.POSTGRES_FRESH,
            "handOut=" + HAND_OUT, "eachSessionOnce=true", "userMode=" + userMode, "agent="
                + JMeterLab.agentAddress(lab), "tokenFile=" + tokenFile, "clientIps=" + clientIps, "users=1",
            "loops=1", "duration=90", "speed=1", "responseTimeout=10000", "connectTimeout=3000");
        ExecResult result = JMeterLab.runJMeter(lab, run, properties);
        Path kept = Files.createDirectories(Path.of("target", name)); // for a look after the lab is gone
        for (String file : List.of("results.jtl", "jmeter.log")) {
            if (Files.exists(run.resolve(file))) {
                Files.copy(run.resolve(file), kept.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.copy(capture, kept.resolve("recorded.pcap"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(result.exitCode()).as(describe(result, run)).isZero();
        String log = Files.readString(run.resolve("jmeter.log"));
        assertThat(log).as(describe(result, run)).contains("every session once: 7 session(s)");
        List<Map<String, String>> rows = JtlRows.read(run.resolve("results.jtl"));
        assertThat(rows).as("2 HTTP, 3 memcached, 3 x 3 PostgreSQL exchanges: " + describe(result, run)).hasSize(14)
            .allSatisfy(row -> assertThat(row.get("success")).as(row.toString()).isEqualTo("true"));
        return run;
    }

    private static void assertFreshState(Lab lab, Path run) throws Exception {
        String context = "replay in " + run + ": " + Files.readString(run.resolve("results.jtl"));
        assertThat(servers.freshHttpLog()).as(context).containsExactly(
            "\"PUT " + DependentClients.ITEM_PATH + " HTTP/1.1\" 201",
            "\"DELETE " + DependentClients.ITEM_PATH + " HTTP/1.1\" 204");
        assertRecordedState(StatefulServers.HTTP_FRESH, StatefulServers.MEMCACHED_FRESH,
            StatefulServers.POSTGRES_FRESH, lab);
    }

    private static void assertRecordedState(int httpPort, int memcachedPort, int postgresPort, Lab lab)
            throws Exception {
        assertThat(servers.davRoot(httpPort).resolve(DependentClients.ITEM_PATH.substring(1)))
            .as("WebDAV file after PUT then DELETE (port " + httpPort + ")").doesNotExist();
        assertThat(DependentClients.memcached(lab, memcachedPort, "get item")).as("memcached item")
            .isEqualTo("VALUE item 0 " + DependentClients.MEMCACHED_VALUE.length() + "\n"
                + DependentClients.MEMCACHED_VALUE + "\nEND");
        assertThat(servers.sql(postgresPort, StatefulServers.DATABASE, DependentClients.POSTGRES_QUERY))
            .as("postgres rows").isEqualTo(DependentClients.POSTGRES_ROWS);
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
