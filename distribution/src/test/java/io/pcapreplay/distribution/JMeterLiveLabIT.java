package io.pcapreplay.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.AccessLogEntry;
import io.pcapreplay.lab.ExecResult;
import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabProcess;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.lab.NginxServer;
import io.pcapreplay.lab.demo.JtlRows;
import io.pcapreplay.pcap.CaptureOptions;
import io.pcapreplay.pcap.CaptureReader;
import io.pcapreplay.pcap.LiveSampling;
import io.pcapreplay.pcap.RecordedSession;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The live copy in the tcpcopy layout: the replayer (real JMeter, headless) runs on the online server (the lab's
 * client namespace, with its own nginx on port 80) and copies 50% of the sessions a real production client (curl in
 * the assistant namespace, bounded loop: 16 connections of 2 keep-alive requests) opens to it, each replayed twice
 * from fake clients against the target nginx, through the agent; it also records the capture to pcapng. The target's
 * access log shows the requests of exactly the sessions the stable hash of their 4-tuples chooses, twice each; the
 * online server's log shows only the production client's requests; the recording holds every production session.
 */
@LabTest
class JMeterLiveLabIT {

    private static final int CONNECTIONS = 16;
    private static final String[] PATHS = {"/", "/64k.bin"};
    private static NginxServer online;
    private static NginxServer target;
    private static Path tokenFile;

    @BeforeAll
    static void servers(Lab lab) throws Exception {
        online = lab.client().startNginx(80);
        target = lab.target().startNginx(80);
        tokenFile = JMeterLab.startAgent(lab);
    }

    @AfterAll
    static void stop() {
        if (online != null) {
            online.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"thread-per-user", "engine-driven"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldReplayTheSampledLiveSessionsTwiceEachAndLeaveTheOnlineServerAlone(String userMode, Lab lab)
            throws Exception {
        String clients = userMode.equals("engine-driven") ? "198.18.61." : "198.18.60.";
        Path run = Files.createDirectories(lab.workDir().resolve("live-" + userMode));
        String onlineAddress = lab.client().ipv4To(LabRole.ASSISTANT).getHostAddress();
        int onlineBefore = online.accessLog().size();
        List<String> properties = List.of("liveInterface=" + lab.client().interfaceTo(LabRole.ASSISTANT),
            "serverPort=80", "livePercent=50", "liveAmplification=2", "liveRecord=" + run.resolve("prod"),
            "liveRecordLimits=10 MiB, 5 files", "target=" + lab.target().ipv4To(LabRole.CLIENT).getHostAddress(),
            "targetPort=0", "agent=" + JMeterLab.agentAddress(lab), "tokenFile=" + tokenFile,
            "clientIps=" + clients + "*", "users=20", "loops=-1", "duration=14", "userMode=" + userMode,
            "responseTimeout=5000", "connectTimeout=3000");
        LabProcess jmeter = JMeterLab.startJMeter(lab, run, properties);
        try {
            awaitLog(run, "copying live sessions", Duration.ofSeconds(40));
            ExecResult production = lab.assistant().exec(Duration.ofSeconds(60), "sh", "-c", "for i in $(seq "
                + CONNECTIONS + "); do curl -s -o /dev/null -o /dev/null http://" + onlineAddress + PATHS[0]
                + " http://" + onlineAddress + PATHS[1] + " || exit 1; sleep 0.1; done");
            assertThat(production.exitCode()).as(production.stderr()).isZero();
            awaitEnd(jmeter, Duration.ofSeconds(60));
        } finally {
            jmeter.stop();
        }

        List<AccessLogEntry> productionLog = online.accessLog().subList(onlineBefore, online.accessLog().size());
        assertThat(productionLog).as("the online server saw the production client only, unchanged by the copy")
            .hasSize(CONNECTIONS * 2)
            .allSatisfy(entry -> assertThat(entry.remoteAddress())
                .isEqualTo(lab.assistant().ipv4To(LabRole.CLIENT).getHostAddress()));
        List<Integer> sampled = new ArrayList<>();
        InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(onlineAddress), 80);
        productionLog.stream().map(AccessLogEntry::remotePort).distinct().forEach(port -> {
            InetSocketAddress client = new InetSocketAddress(productionLog.get(0).remoteAddress(), port);
            if (LiveSampling.keeps(client, server, 50)) {
                sampled.add(port);
            }
        });
        assertThat(sampled).as("the hash chooses some sessions, not all").isNotEmpty().hasSizeLessThan(CONNECTIONS);
        List<AccessLogEntry> copies = target.accessLog().stream()
            .filter(entry -> entry.remoteAddress().startsWith(clients)).toList();
        assertThat(copies).as(describe(run)).hasSize(sampled.size() * 2 * 2);
        assertThat(copies).extracting(AccessLogEntry::request).containsOnly("GET / HTTP/1.1",
            "GET /64k.bin HTTP/1.1");
        assertThat(copies.stream().map(entry -> entry.remoteAddress() + ":" + entry.remotePort()).distinct())
            .as("each copy from its own fake client").hasSize(sampled.size() * 2);
        List<Map<String, String>> rows = JtlRows.read(run.resolve("results.jtl"));
        assertThat(rows).as(describe(run)).hasSize(sampled.size() * 4).allSatisfy(row -> {
            assertThat(row.get("success")).as(row.toString()).isEqualTo("true");
            assertThat(row.get("responseCode")).as(row.toString()).isEqualTo("200");
        });
        assertThat(Files.readString(run.resolve("jmeter.log"))).contains("live copy: ")
            .contains(", " + sampled.size() + " sampled, " + sampled.size() * 2 + " copies handed out; drops: 0 ");

        List<Path> recorded;
        try (Stream<Path> files = Files.list(run)) {
            recorded = files.filter(file -> file.getFileName().toString().matches("prod-\\d{5}\\.pcapng")).toList();
        }
        assertThat(recorded).hasSize(1);
        List<RecordedSession> sessions = new CaptureReader().readSessions(recorded.get(0),
            CaptureOptions.defaults().withServerPorts(List.of(80)));
        assertThat(sessions).as("the recording holds every production session, sampled or not")
            .hasSize(CONNECTIONS).allSatisfy(session -> assertThat(session.exchangeCount()).isEqualTo(2));
    }

    /**
     * tcpcopy without {@code -c}: the copies keep the production client's address. The production client (curl in the
     * assistant namespace) sends from 198.18.250.7, an address on the assistant's loopback that the online server
     * reaches through the assistant; the assistant drops the target's answers to it at its input hook (as the real
     * client's absence would: its kernel would reset them), after the agent's capture saw them.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldReplayFromTheProductionClientsAddressWhenClientAddressesAreOriginal(Lab lab) throws Exception {
        String production = "198.18.250.7";
        Path run = Files.createDirectories(lab.workDir().resolve("live-original"));
        String onlineAddress = lab.client().ipv4To(LabRole.ASSISTANT).getHostAddress();
        String assistantDevice = lab.assistant().interfaceTo(LabRole.TARGET);
        lab.assistant().exec(Duration.ofSeconds(10), "sh", "-c", "ip addr add " + production + "/32 dev lo && "
            + "nft add table inet original && nft add chain inet original input '{ type filter hook input priority 0; "
            + "}' && nft add rule inet original input iifname " + assistantDevice + " ip daddr " + production
            + " drop").orThrow();
        lab.client().exec(Duration.ofSeconds(10), "ip", "route", "add", production + "/32", "via",
            lab.assistant().ipv4To(LabRole.CLIENT).getHostAddress()).orThrow();
        int onlineBefore = online.accessLog().size();
        int targetBefore = target.accessLog().size();
        List<String> properties = List.of("liveInterface=" + lab.client().interfaceTo(LabRole.ASSISTANT),
            "serverPort=80", "livePercent=50", "liveAmplification=2",
            "target=" + lab.target().ipv4To(LabRole.CLIENT).getHostAddress(), "targetPort=0",
            "agent=" + JMeterLab.agentAddress(lab), "tokenFile=" + tokenFile, "clientIps=original 198.18.250.0/24",
            "users=20", "loops=-1", "duration=14", "userMode=engine-driven", "responseTimeout=5000",
            "connectTimeout=3000");
        LabProcess jmeter = JMeterLab.startJMeter(lab, run, properties);
        try {
            awaitLog(run, "copying live sessions", Duration.ofSeconds(40));
            ExecResult traffic = lab.assistant().exec(Duration.ofSeconds(60), "sh", "-c", "for i in $(seq "
                + CONNECTIONS + "); do curl -s --interface " + production + " -o /dev/null -o /dev/null http://"
                + onlineAddress + PATHS[0] + " http://" + onlineAddress + PATHS[1] + " || exit 1; sleep 0.1; done");
            assertThat(traffic.exitCode()).as(traffic.stderr()).isZero();
            awaitEnd(jmeter, Duration.ofSeconds(60));
        } finally {
            jmeter.stop();
            lab.assistant().exec(Duration.ofSeconds(10), "sh", "-c", "nft delete table inet original; ip addr del "
                + production + "/32 dev lo");
            lab.client().exec(Duration.ofSeconds(10), "ip", "route", "del", production + "/32");
        }

        List<AccessLogEntry> productionLog = online.accessLog().subList(onlineBefore, online.accessLog().size());
        assertThat(productionLog).hasSize(CONNECTIONS * 2)
            .allSatisfy(entry -> assertThat(entry.remoteAddress()).isEqualTo(production));
        InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(onlineAddress), 80);
        List<Integer> sampled = productionLog.stream().map(AccessLogEntry::remotePort).distinct()
            .filter(port -> LiveSampling.keeps(new InetSocketAddress(production, port), server, 50)).toList();
        assertThat(sampled).as("the hash chooses some sessions, not all").isNotEmpty().hasSizeLessThan(CONNECTIONS);
        List<AccessLogEntry> copies = target.accessLog().subList(targetBefore, target.accessLog().size());
        assertThat(copies).as(describe(run)).hasSize(sampled.size() * 2 * 2)
            .allSatisfy(entry -> assertThat(entry.remoteAddress()).as("the production client's address")
                .isEqualTo(production));
        List<Integer> copyPorts = copies.stream().map(AccessLogEntry::remotePort).distinct().toList();
        assertThat(copyPorts).as("two copies per session: its recorded port, then a shifted one")
            .hasSize(sampled.size() * 2).containsAll(sampled);
        assertThat(JtlRows.read(run.resolve("results.jtl"))).as(describe(run)).hasSize(sampled.size() * 4)
            .allSatisfy(row -> assertThat(row.get("success")).as(row.toString()).isEqualTo("true"));
    }

    private static void awaitLog(Path run, String text, Duration timeout) throws Exception {
        Path log = run.resolve("jmeter.log");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("jmeter.log: no '" + text + "' within " + timeout + "\n" + describe(run));
    }

    private static void awaitEnd(LabProcess process, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(process.isAlive()).as("JMeter ended by its duration\n" + process.output()).isFalse();
    }

    private static String describe(Path run) {
        try {
            Path log = run.resolve("jmeter.log");
            Path jtl = run.resolve("results.jtl");
            return (Files.exists(log) ? Files.readString(log) : "(no jmeter.log)")
                + (Files.exists(jtl) ? "\nJTL:\n" + Files.readString(jtl) : "\n(no results.jtl)");
        } catch (IOException e) {
            return e.toString();
        }
    }
}
