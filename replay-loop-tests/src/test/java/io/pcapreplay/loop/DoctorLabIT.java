package io.pcapreplay.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pcapreplay.cli.Main;
import io.pcapreplay.lab.ExecResult;
import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabHost;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.net.CheckResult;
import io.pcapreplay.net.CheckStatus;
import io.pcapreplay.net.ReplayRuntime;
import io.pcapreplay.net.ReplaySettings;
import io.pcapreplay.net.TargetMap;
import io.pcapreplay.net.TransportSpec;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.ExchangeResult;
import io.pcapreplay.tcp.Outcome;
import io.pcapreplay.tcp.SessionHandle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code doctor} command in the lab's client namespace (the real plugin jar when built, {@code java -jar}),
 * against nginx in the target and the real agent jar in the assistant: all checks pass in the lab as built, and
 * breaking each prerequisite in turn (the target's route and rp_filter, forwarding on the assistant, the token,
 * conntrack dropping INVALID packets on the replayer, CAP_NET_RAW) fails the check that names it, with its fix; the
 * printed fixes for forwarding and conntrack are run and the check passes again. And the same checks at a replay's
 * start ({@link ReplayRuntime#preflight()}): the quick ones when it starts, the probe beside its first session.
 */
@LabTest
class DoctorLabIT {

    private static final int PORT = 8080;
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    private static LabAgent agent;
    private static List<RecordedSession> sessions;

    @BeforeAll
    static void start(Lab lab) throws Exception {
        agent = LabAgent.start(lab);
        sessions = EngineReplayLabIT.keepAliveSessions();
        RecordedNginx.start(lab, "doctor-nginx", PORT);
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void shouldPassEveryCheckWhenTheLabIsSetUpAsDocumented(Lab lab) {
        ExecResult result = doctor(lab, "198.18.90.*");

        assertThat(result.exitCode()).as(describe(result)).isZero();
        assertThat(result.stdout()).as(describe(result))
            .contains("OK   raw socket: socket(AF_INET, SOCK_RAW, IPPROTO_RAW) opens (running as root)")
            .contains("OK   agent: " + agent.address().getHostString() + ":" + LabAgent.PORT + " accepted this "
                + "replayer: protocol ")
            .contains("OK   assistant: forwarding off (net.ipv4.ip_forward=0")
            .contains("the agent captures on " + lab.assistant().interfaceTo(LabRole.TARGET) + " with filter")
            .contains("OK   target: this host (198.19.1.1) connects to 198.19.1.2:8080")
            .containsPattern("OK   probe: SYN from 198\\.18\\.90\\.\\d+:\\d+ to 198\\.19\\.1\\.2:8080 answered by "
                + "SYN-ACK through the agent in [0-9.]+ ms \\(target MSS 1460\\); reset")
            .contains("OK   conntrack:")
            .contains("OK   mtu: 1500 on " + lab.client().interfaceTo(LabRole.TARGET) + " (198.19.1.1) towards "
                + "198.19.1.2: the replayer announces MSS at most 1460")
            .contains("0 WARN, 0 FAIL");
        assertThat(result.stderr()).as(describe(result)).isEmpty();
    }

    @Test
    void shouldNameTheRouteFirstWhenTheTargetHasNoRouteForTheFakeClients(Lab lab) {
        String route = lab.fakeClientRange() + " via " + lab.assistant().ipv4To(LabRole.TARGET).getHostAddress();
        run(lab.target(), "ip route del " + route);
        ExecResult result;
        ExecResult routeGet;
        try {
            result = doctor(lab, "198.18.91.*");
            routeGet = lab.target().exec(RUN_TIMEOUT, "ip", "route", "get", "198.18.91.7");
        } finally {
            run(lab.target(), "ip route add " + route);
        }

        assertProbeFailed(result, "198.18.91.");
        String assistant = lab.assistant().ipv4To(LabRole.TARGET).getHostAddress();
        assertThat(routeGet.stdout() + routeGet.stderr()).as("the check the message names").doesNotContain("via "
            + assistant);
        assertThat(lab.target().exec(RUN_TIMEOUT, "ip", "route", "get", "198.18.91.7").stdout()).contains("via "
            + assistant);
    }

    @Test
    void shouldNameRpFilterWhenTheTargetDropsTheFakeClientsByReversePath(Lab lab) {
        run(lab.target(), "sysctl -w net.ipv4.conf.all.rp_filter=1");
        ExecResult result;
        try {
            result = doctor(lab, "198.18.92.*");
            assertThat(lab.target().exec(RUN_TIMEOUT, "sysctl", "net.ipv4.conf.all.rp_filter").stdout())
                .contains("net.ipv4.conf.all.rp_filter = 1");
        } finally {
            run(lab.target(), "sysctl -w net.ipv4.conf.all.rp_filter=0");
        }

        assertProbeFailed(result, "198.18.92.");
        ExecResult counters = lab.target().exec(RUN_TIMEOUT, "nstat", "-az", "TcpExtIPReversePathFilter");
        assertThat(counters.stdout()).as("the check the message names counts the drops")
            .containsPattern("TcpExtIPReversePathFilter\\s+[1-9]");
    }

    @Test
    void shouldFailTheAssistantUntilItsFixIsRunWhenItForwards(Lab lab) {
        run(lab.assistant(), "sysctl -w net.ipv4.ip_forward=1");
        ExecResult broken;
        try {
            broken = doctor(lab, "198.18.93.*");
            assertThat(broken.exitCode()).as(describe(broken)).isEqualTo(3);
            assertThat(broken.stdout()).as(describe(broken))
                .contains("FAIL assistant: the agent's host forwards packets (net.ipv4.ip_forward=1")
                .contains("on the assistant: sysctl -w net.ipv4.ip_forward=0")
                .as("the probe alone cannot see it: the agent captures before forwarding")
                .contains("OK   probe: SYN from 198.18.93.");
            for (String line : broken.stdout().lines().filter(line -> line.contains("on the assistant: sysctl -w"))
                    .toList()) {
                run(lab.assistant(), line.substring(line.indexOf("sysctl -w")));
            }
        } finally {
            run(lab.assistant(), "sysctl -w net.ipv4.ip_forward=0");
        }
        ExecResult fixed = doctor(lab, "198.18.93.*");

        assertThat(fixed.exitCode()).as(describe(fixed)).isZero();
        assertThat(fixed.stdout()).contains("OK   assistant: forwarding off");
    }

    @Test
    void shouldFailTheAgentWithTheTokenFixWhenTheTokenIsWrong(Lab lab) throws IOException {
        Path wrong = lab.workDir().resolve("wrong.token");
        Files.writeString(wrong, "not-the-agents-token\n");

        ExecResult result = doctor(lab, "198.18.94.*", "--token-file", wrong.toString());

        assertThat(result.exitCode()).as(describe(result)).isEqualTo(3);
        assertThat(result.stdout()).as(describe(result))
            .contains("FAIL agent: agent ")
            .contains("refused this replayer: BAD_TOKEN")
            .contains("the token file must hold what the agent's --token-file holds")
            .contains("SKIP probe: needs the agent");
    }

    @Test
    void shouldFailConntrackUntilTheFakeClientsAreExemptedWhenInvalidPacketsAreDropped(Lab lab) {
        run(lab.client(), "nft add table ip doctortest && nft add chain ip doctortest output "
            + "'{ type filter hook output priority 0; }' && nft add rule ip doctortest output ct state invalid drop");
        try {
            ExecResult broken = doctor(lab, "198.18.95.*");
            assertThat(broken.exitCode()).as(describe(broken)).isEqualTo(3);
            assertThat(broken.stdout()).as(describe(broken))
                .contains("FAIL conntrack: a rule of this host drops what conntrack marks INVALID: the probe's ACK "
                    + "was refused")
                .contains("EPERM")
                .contains("OK   probe: SYN from 198.18.95.");
            List<String> commands = broken.stdout().lines().map(String::strip).filter(line -> line.startsWith("nft "))
                .filter(line -> !line.startsWith("nft list")).toList();
            assertThat(commands).as(describe(broken)).hasSize(3);
            commands.forEach(command -> run(lab.client(), command));

            ExecResult fixed = doctor(lab, "198.18.95.*");

            assertThat(fixed.exitCode()).as(describe(fixed)).isZero();
            assertThat(fixed.stdout()).as(describe(fixed)).contains("OK   conntrack: loaded, but the probe's SYN left "
                + "no entry: the fake clients are not tracked");
        } finally {
            lab.client().exec(RUN_TIMEOUT, "nft", "delete", "table", "ip", "doctortest");
            lab.client().exec(RUN_TIMEOUT, "nft", "delete", "table", "ip", "pcapreplay");
        }
    }

    @Test
    void shouldWarnThatConntrackTracksTheFakeClientsWhenARuleUsesIt(Lab lab) {
        run(lab.client(), "nft add table ip doctortest && nft add chain ip doctortest output "
            + "'{ type filter hook output priority 0; }' && nft add rule ip doctortest output ct state established "
            + "accept");
        ExecResult result;
        try {
            result = doctor(lab, "198.18.96.*");
        } finally {
            lab.client().exec(RUN_TIMEOUT, "nft", "delete", "table", "ip", "doctortest");
        }

        assertThat(result.exitCode()).as(describe(result)).isZero();
        assertThat(result.stdout()).as(describe(result))
            .contains("WARN conntrack: tracks the fake clients: each replayed session holds an entry for 120 s")
            .contains("nft add rule ip pcapreplay output ip saddr '{ 198.18.96.0/24 }' notrack");
    }

    @Test
    void shouldFailTheRawSocketWithItsFixWhenTheProcessHasNoCapNetRaw(Lab lab) {
        ExecResult result = doctor(lab, List.of("setpriv", "--bounding-set", "-net_raw", "--inh-caps", "-net_raw"),
            "198.18.97.*");

        assertThat(result.exitCode()).as(describe(result)).isEqualTo(3);
        assertThat(result.stdout()).as(describe(result))
            .contains("FAIL raw socket: permission denied: running as root without CAP_NET_RAW")
            .contains("docker run --cap-add NET_RAW")
            .contains("SKIP probe: no permission to send");
    }

    @Test
    void shouldCheckTheTargetAndTheHostLimitsWhenTheTransportIsKernel(Lab lab) {
        ExecResult open = doctor(lab, "198.18.98.*", "--transport", "kernel");
        ExecResult closed = doctor(lab, "198.18.98.*", "--transport", "kernel", "--target", "198.19.1.2:8081");

        assertThat(open.exitCode()).as(describe(open)).isZero();
        assertThat(open.stdout()).as(describe(open))
            .contains("OK   raw socket: not needed: transport kernel")
            .containsPattern("(OK  |WARN) kernel limits: transport kernel: at most [0-9,]+ concurrent users")
            .contains("SKIP agent: not used by transport kernel")
            .contains("OK   target: this host (198.19.1.1) connects to 198.19.1.2:8080");
        assertThat(closed.exitCode()).as(describe(closed)).isEqualTo(3);
        assertThat(closed.stdout()).as(describe(closed))
            .contains("FAIL target: connection from this host's own address to 198.19.1.2:8081 refused")
            .contains("ss -ltn 'sport = :8081'");
        assertThat(lab.target().exec(RUN_TIMEOUT, "sh", "-c", "ss -ltn 'sport = :8081'").stdout())
            .as("the check the message names").doesNotContain(":8081");
        assertThat(lab.target().exec(RUN_TIMEOUT, "sh", "-c", "ss -ltn 'sport = :8080'").stdout()).contains(":8080");
    }

    @Test
    void shouldRunTheQuickChecksAtStartAndTheProbeBesideTheFirstSessionWhenAReplayStarts(Lab lab) throws Exception {
        ReplaySettings settings = replaySettings(lab, "198.18.99.*");
        long start = System.nanoTime();
        ReplayRuntime runtime = lab.client().call(() -> ReplayRuntime.acquire(settings));
        long startMillis = (System.nanoTime() - start) / 1_000_000;
        try {
            List<CheckResult> atStart = runtime.preflight();
            SessionHandle handle = lab.client().call(() -> runtime.startSession(sessions.get(0), null));
            ExchangeResult first = handle.awaitNext(Duration.ofSeconds(10));
            assertThat(runtime.awaitPreflight(Duration.ofSeconds(5))).isTrue();
            System.out.println("replay start with its checks: " + startMillis + " ms; " + runtime.preflight());

            assertThat(atStart).extracting(CheckResult::name, CheckResult::status).containsExactly(
                tuple("raw socket", CheckStatus.OK), tuple("agent", CheckStatus.OK),
                tuple("assistant", CheckStatus.OK), tuple("conntrack", CheckStatus.OK), tuple("mtu", CheckStatus.OK));
            assertThat(runtime.preflight()).extracting(CheckResult::name, CheckResult::status)
                .endsWith(tuple("probe", CheckStatus.OK), tuple("conntrack", CheckStatus.OK));
            assertThat(first).as("the first session runs beside the probe").isNotNull();
            assertThat(first.outcome()).isEqualTo(Outcome.OK);
        } finally {
            runtime.release();
        }
    }

    @Test
    void shouldLogTheProbesCausesWhenTheFirstSessionStartsAndTheTargetHasNoRoute(Lab lab) throws Exception {
        String route = lab.fakeClientRange() + " via " + lab.assistant().ipv4To(LabRole.TARGET).getHostAddress();
        ReplaySettings settings = replaySettings(lab, "198.18.100.*");
        run(lab.target(), "ip route del " + route);
        try {
            ReplayRuntime runtime = lab.client().call(() -> ReplayRuntime.acquire(settings));
            try {
                lab.client().call(() -> runtime.startSession(sessions.get(0), null));
                assertThat(runtime.awaitPreflight(Duration.ofSeconds(5))).isTrue();
                List<CheckResult> checks = runtime.preflight();
                System.out.println(checks);

                assertThat(checks).extracting(CheckResult::name, CheckResult::status).contains(
                    tuple("target", CheckStatus.OK), tuple("probe", CheckStatus.FAIL));
                assertThat(checks).filteredOn(check -> check.name().equals("probe")).singleElement()
                    .satisfies(probe -> assertThat(probe.oneLine()).contains("no answer within 1000 ms")
                        .contains("the fake clients' way back is broken").contains("1. no route on the target"));
            } finally {
                runtime.release();
            }
        } finally {
            run(lab.target(), "ip route add " + route);
        }
    }

    private static ReplaySettings replaySettings(Lab lab, String clients) {
        return new ReplaySettings("198.19.1.2", PORT, agent.address().getHostString() + ":" + LabAgent.PORT,
            lab.workDir().resolve("agent.token"), clients, 1, Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(2), false, 0, 0, TransportSpec.RAW_IP, TargetMap.EMPTY);
    }

    private static void assertProbeFailed(ExecResult result, String clients) {
        assertThat(result.exitCode()).as(describe(result)).isEqualTo(3);
        assertThat(result.stdout()).as(describe(result))
            .contains("OK   target: this host (198.19.1.1) connects to 198.19.1.2:8080")
            .contains("FAIL probe: no answer within 1000 ms to a SYN from " + clients)
            .contains("the target answers this host's own address, so the fake clients' way back is broken")
            .contains("1. no route on the target sends the fake clients to the assistant: on the target, 'ip route "
                + "get " + clients)
            .contains("2. rp_filter on the target")
            .contains("nstat -az TcpExtIPReversePathFilter")
            .contains("3. the agent does not capture the answers")
            .contains("4. a firewall or anti-spoofing filter");
    }

    private static ExecResult doctor(Lab lab, String clients, String... extra) {
        return doctor(lab, List.of(), clients, extra);
    }

    private static ExecResult doctor(Lab lab, List<String> prefix, String clients, String... extra) {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String jar = System.getProperty("plugin.jar");
        if (jar != null && Files.isRegularFile(Path.of(jar))) {
            command.addAll(List.of("-jar", jar));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        }
        command.addAll(List.of("doctor", "--target", "198.19.1.2:" + PORT, "--agent",
            agent.address().getHostString() + ":" + LabAgent.PORT, "--token-file",
            lab.workDir().resolve("agent.token").toString(), "--client-ips", clients, "--connect-timeout", "1000"));
        command.addAll(Arrays.asList(extra));
        ExecResult result = lab.client().exec(RUN_TIMEOUT, command.toArray(new String[0]));
        System.out.println(String.join(" ", command.subList(command.indexOf("doctor"), command.size())) + "\n"
            + result.stdout() + result.stderr());
        return result;
    }

    private static void run(LabHost host, String command) {
        host.exec(RUN_TIMEOUT, "sh", "-c", command).orThrow();
    }

    private static String describe(ExecResult result) {
        return "exit " + result.exitCode() + "; stdout:\n" + result.stdout() + "\nstderr:\n" + result.stderr();
    }
}
