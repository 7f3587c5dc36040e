package io.pcapreplay.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.protocol.HostReportMessage;
import io.pcapreplay.tcp.AddressAllocation;
import io.pcapreplay.tcp.ClientAddressPool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pre-flight checks' parsing of what the host shows, and their messages. */
class PreflightPartsTest {

    @TempDir
    Path directory;

    @Test
    void shouldTellRootWithoutCapNetRawWhenAContainerDroppedIt() throws IOException {
        Privileges root = Privileges.read(status("0", "000001ffffffffff"));
        Privileges rootWithout = Privileges.read(status("0", "000001ffffffdfff"));
        Privileges user = Privileges.read(status("1000", "0000000000000000"));
        Privileges userWith = Privileges.read(status("1000", "0000000000002000"));

        assertThat(root.mayUseRawSockets()).isTrue();
        assertThat(root.describe()).isEqualTo("root");
        assertThat(rootWithout.mayUseRawSockets()).isFalse();
        assertThat(rootWithout.describe()).isEqualTo("root without CAP_NET_RAW");
        assertThat(user.describe()).isEqualTo("uid 1000 without CAP_NET_RAW");
        assertThat(userWith.mayUseRawSockets()).isTrue();
        assertThat(userWith.describe()).isEqualTo("uid 1000 with CAP_NET_RAW");
        assertThat(Privileges.read(directory.resolve("missing")).describe()).isEqualTo("an unknown user");
    }

    @Test
    void shouldGiveTheSetcapFixWhenAUserHasNoCapNetRaw() throws IOException {
        CheckResult result = RawSocketCheck.failure(TransportSpec.RAW_IP, Privileges.read(status("1000", "0")),
            "raw socket: permission denied");

        assertThat(result.failed()).isTrue();
        assertThat(result.message()).isEqualTo("permission denied: running as uid 1000 without CAP_NET_RAW (expected: "
            + "root or CAP_NET_RAW, for the raw-ip transport)");
        assertThat(result.fixes()).containsExactly("run JMeter (and this check) as root",
            "or give Java the capability once: sudo setcap cap_net_raw+ep $(readlink -f $(which java))",
            "or, without either, use transport kernel (no raw packets, no agent)");
    }

    @Test
    void shouldReadTheTableAndFindTheProbesEntryWhenConntrackIsLoaded() throws IOException {
        Path netfilter = Files.createDirectories(directory.resolve("netfilter"));
        Files.writeString(netfilter.resolve("nf_conntrack_count"), "1200\n");
        Files.writeString(netfilter.resolve("nf_conntrack_max"), "262144\n");
        Files.writeString(netfilter.resolve("nf_conntrack_tcp_timeout_syn_sent"), "120\n");
        Path table = directory.resolve("nf_conntrack");
        Files.writeString(table, "ipv4     2 tcp      6 119 SYN_SENT src=198.18.1.7 dst=10.0.0.5 sport=700 dport=80 "
            + "[UNREPLIED] src=10.0.0.5 dst=198.18.1.7 sport=80 dport=700 mark=0 zone=0 use=2\n");
        Conntrack conntrack = new Conntrack(netfilter, table);

        Conntrack.State state = conntrack.read();

        assertThat(state).isEqualTo(new Conntrack.State(true, 1200, 262_144, 120));
        assertThat(state.sessionsPerSecond()).isEqualTo(2174);
        assertThat(conntrack.tracks("198.18.1.7", 700, "10.0.0.5", 80)).isTrue();
        assertThat(conntrack.tracks("198.18.1.7", 70, "10.0.0.5", 80)).isFalse();
        assertThat(new Conntrack(netfilter, directory.resolve("none")).tracks("198.18.1.7", 700, "10.0.0.5", 80))
            .isNull();
        assertThat(new Conntrack(directory.resolve("none"), table).read().loaded()).isFalse();
    }

    @Test
    void shouldWarnWithTheRateAndTheNotrackRuleWhenConntrackTracksTheFakeClients() {
        Conntrack.State state = new Conntrack.State(true, 1200, 262_144, 120);
        List<String> ranges = List.of("198.18.1.0/24");

        CheckResult tracked = Conntrack.afterProbe(TransportSpec.RAW_IP, state, true, null, ranges);
        CheckResult dropped = Conntrack.afterProbe(TransportSpec.RAW_IP, state, true, "errno EPERM(1)", ranges);
        CheckResult untracked = Conntrack.afterProbe(TransportSpec.RAW_IP, state, false, null, ranges);
        CheckResult full = Conntrack.check(TransportSpec.RAW_IP, new Conntrack.State(true, 240_000, 262_144, 120),
            ranges);
        CheckResult datalink = Conntrack.afterProbe(TransportSpec.parse("datalink eth0 02:00:00:00:00:01"), state,
            true, "x", ranges);

        assertThat(tracked.status()).isEqualTo(CheckStatus.WARN);
        assertThat(tracked.message()).contains("holds an entry for 120 s").contains("at most about 2,174 new "
            + "sessions/s");
        assertThat(tracked.fixes()).contains("  nft add rule ip pcapreplay output ip saddr '{ 198.18.1.0/24 }' "
            + "notrack");
        assertThat(dropped.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(dropped.message()).contains("drops what conntrack marks INVALID").contains("errno EPERM(1)");
        assertThat(untracked.status()).isEqualTo(CheckStatus.OK);
        assertThat(full.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(full.message()).startsWith("table nearly full: 240,000 of 262,144 entries in use");
        assertThat(datalink.status()).isEqualTo(CheckStatus.OK);
        assertThat(datalink.message()).contains("below netfilter");
    }

    @Test
    void shouldCoverThePoolWithOneBlockWhenItIsNotMuchLarger() {
        assertThat(FakeClientRanges.of(pool("198.18.1.*"))).containsExactly("198.18.1.0/24");
        assertThat(FakeClientRanges.of(pool("198.18.1.0-198.18.2.255"))).containsExactly("198.18.0.0/22");
        assertThat(FakeClientRanges.of(pool("198.18.1.10-198.18.2.200"))).hasSizeGreaterThan(1);
        assertThat(FakeClientRanges.of(pool("198.18.0.0/16"))).containsExactly("198.18.0.0/16");
        assertThat(FakeClientRanges.of(pool("198.18.1.7"))).containsExactly("198.18.1.7/32");
        assertThat(FakeClientRanges.of(pool("198.18.1.*, 10.1.1.*"))).hasSizeGreaterThan(2);
    }

    @Test
    void shouldFailTheAssistantWithOneFixPerSettingWhenItForwards() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put(HostReportMessage.IPV4_FORWARDING, "1");
        facts.put(HostReportMessage.IPV6_FORWARDING, "0");
        facts.put("net.ipv4.conf.eth1.forwarding", "1");
        facts.put(HostReportMessage.CAPTURE_DEVICES, "eth1");
        facts.put(HostReportMessage.CAPTURE_FILTER, "tcp and dst net 198.18.0.0/15");

        CheckResult forwarding = AgentCheck.assistant(facts);
        facts.replaceAll((name, value) -> name.contains("forward") ? "0" : value);
        CheckResult fixed = AgentCheck.assistant(facts);

        assertThat(forwarding.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(forwarding.message()).startsWith("the agent's host forwards packets (net.ipv4.ip_forward=1, "
            + "net.ipv4.conf.eth1.forwarding=1)").endsWith("the agent captures on eth1 with filter 'tcp and dst net "
            + "198.18.0.0/15'");
        assertThat(forwarding.fixes()).containsExactly("on the assistant: sysctl -w net.ipv4.ip_forward=0",
            "on the assistant: sysctl -w net.ipv4.conf.eth1.forwarding=0");
        assertThat(fixed.status()).isEqualTo(CheckStatus.OK);
        assertThat(AgentCheck.assistant(Map.of()).status()).isEqualTo(CheckStatus.WARN);
    }

    @Test
    void shouldGiveTheFixOfEachWayTheAgentFailsWhenItIsUnreachableRefusesOrSpeaksAnotherVersion() {
        InetSocketAddress agent = new InetSocketAddress("198.19.3.3", 36524);

        CheckResult unreachable = AgentCheck.failed(agent, failure(AgentClientException.Kind.UNREACHABLE,
            "agent " + agent + ": cannot connect: Connection refused"));
        CheckResult token = AgentCheck.failed(agent, failure(AgentClientException.Kind.REFUSED,
            "agent " + agent + " refused this replayer: BAD_TOKEN: does not match"));
        CheckResult version = AgentCheck.failed(agent, failure(AgentClientException.Kind.VERSION_MISMATCH,
            "agent " + agent + " refused this replayer: BAD_VERSION: protocol version 1 (expected: 2)"));
        CheckResult owned = AgentCheck.failed(agent, failure(AgentClientException.Kind.REQUEST_FAILED,
            "agent " + agent + " refused request 1: RANGE_OWNED: 198.18.1.0/24 is held by 'jmeter-12'"));

        assertThat(List.of(unreachable, token, version, owned)).allSatisfy(check -> {
            assertThat(check.status()).isEqualTo(CheckStatus.FAIL);
            assertThat(check.message()).as("the address as typed").contains("198.19.3.3:36524")
                .doesNotContain("/198.19.3.3");
        });
        assertThat(unreachable.fixes()).first().asString().startsWith("start the agent on the assistant: java -jar ");
        assertThat(unreachable.fixes()).contains("on the assistant: ss -ltn 'sport = :36524' must list it (bound to "
            + "an address this host reaches: -b)");
        assertThat(token.fixes()).singleElement().asString().startsWith("use the agent's token");
        assertThat(version.fixes()).singleElement().asString().contains("(protocol 2)");
        assertThat(owned.fixes()).singleElement().asString().contains("give each replayer its own (clientIps)");
    }

    private static AgentClientException failure(AgentClientException.Kind kind, String message) {
        return new AgentClientException(kind, message, null);
    }

    @Test
    void shouldListTheCausesInOrderWhenTheProbeGotNoAnswer() throws IOException {
        InetAddress target = InetAddress.getByName("10.0.0.5");
        SynProbe.Result none = new SynProbe.Result((java.net.Inet4Address) InetAddress.getByName("198.18.1.7"), 700,
            SynProbe.Answer.NONE, -1, -1, false, null, null);
        CheckResult reached = CheckResult.ok(TargetCheck.NAME, "connects");

        CheckResult result = ProbeCheck.of(none, target, 80, reached, Map.of(HostReportMessage.CAPTURE_DEVICES,
            "eth1", HostReportMessage.CAPTURE_FILTER, "tcp"), List.of("198.18.1.0/24"), Duration.ofSeconds(1));
        CheckResult unreached = ProbeCheck.of(none, target, 80, CheckResult.fail(TargetCheck.NAME, "refused"), null,
            List.of("198.18.1.0/24"), Duration.ofSeconds(1));

        assertThat(result.message()).isEqualTo("no answer within 1000 ms to a SYN from 198.18.1.7:700 to 10.0.0.5:80; "
            + "the target answers this host's own address, so the fake clients' way back is broken");
        assertThat(result.fixes()).hasSize(5);
        assertThat(result.fixes().get(1)).startsWith("1. no route on the target").contains("'ip route get 198.18.1.7'")
            .endsWith("ip route add 198.18.1.0/24 via <that address>");
        assertThat(result.fixes().get(2)).startsWith("2. rp_filter on the target");
        assertThat(result.fixes().get(3)).contains("'tcpdump -ni eth1 tcp and src host 10.0.0.5'");
        assertThat(result.fixes().get(4)).startsWith("4. a firewall").contains("use transport kernel");
        assertThat(unreached.message()).endsWith("the target does not answer this host's own address either (see the "
            + "target check first)");
    }

    @Test
    void shouldPrintOneLineForTheLogAndIndentedFixesForATerminal() {
        CheckResult result = CheckResult.fail("agent", "refused", "fix one", "fix two");

        assertThat(result.oneLine()).isEqualTo("FAIL agent: refused | fix one | fix two");
        assertThat(result.lines()).containsExactly("FAIL agent: refused", "       fix one", "       fix two");
        assertThat(CheckResult.ok("mtu", "1500").lines()).containsExactly("OK   mtu: 1500");
    }

    @Test
    void shouldClampTheRecordedMssAndSayItWhenItIsAboveThePath() throws IOException {
        PathMtu hop = new PathMtu(InetAddress.getByName("10.0.0.1"), "eth0", 1450);
        InetAddress target = InetAddress.getByName("10.0.0.5");

        CheckResult result = PathMtu.check(hop, target, 1460, 1460);

        assertThat(hop.engineMtu()).isEqualTo(1450);
        assertThat(new PathMtu(null, "lo", 65536).engineMtu()).isEqualTo(1500);
        assertThat(result.status()).isEqualTo(CheckStatus.OK);
        assertThat(result.message()).startsWith("1450 on eth0 (10.0.0.1) towards 10.0.0.5: the replayer announces MSS "
            + "at most 1410").contains("the target announced MSS 1460")
            .endsWith("the recording announced MSS 1460, clamped to 1410: requests go out in more, smaller segments "
                + "than recorded (the server gets the same bytes)");
        assertThat(PathMtu.check(null, target, -1, -1).status()).isEqualTo(CheckStatus.WARN);
    }

    @Test
    void shouldFindTheLoopbackInterfaceWhenTheTargetIsLocal() {
        PathMtu hop = PathMtu.toward(InetAddress.getLoopbackAddress(), 80);

        assertThat(hop).isNotNull();
        assertThat(hop.local().isLoopbackAddress()).isTrue();
        assertThat(hop.mtu()).isGreaterThanOrEqualTo(PathMtu.MIN_MTU);
    }

    private Path status(String uid, String capabilities) throws IOException {
        Path file = Files.createTempFile(directory, "status", "");
        Files.writeString(file, "Name:\tjava\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\nCapInh:\t0\n"
            + "CapEff:\t" + capabilities + "\n");
        return file;
    }

    private static ClientAddressPool pool(String spec) {
        return ClientAddressPool.parse(spec, List.of(), AddressAllocation.IP_FIRST, 1);
    }
}
