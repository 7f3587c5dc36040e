package io.pcapreplay.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pcapreplay.pcap.Endpoint;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.AddressAllocation;
import io.pcapreplay.tcp.ClientAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayTargetsTest {

    private static final String IPV4 = "198.19.1.2";
    private static final String IPV6 = "2001:2:0:1::2";

    @Test
    void shouldSendEachSessionToTheTargetAddressOfItsRecordedFamilyWhenTheTargetHasBoth() throws Exception {
        ReplayTargets targets = ReplayTargets.of(InetAddress.getByName(IPV4), InetAddress.getByName(IPV6), 0,
            TargetMap.EMPTY);

        assertThat(targets.forSession(session("10.0.0.2")).getAddress()).isEqualTo(InetAddress.getByName(IPV4));
        assertThat(targets.forSession(session("2001:db8::2")).getAddress()).isEqualTo(InetAddress.getByName(IPV6));
        assertThat(targets.forSession(session("2001:db8::2")).getPort()).as("0: the target port, else recorded")
            .isZero();
    }

    @Test
    void shouldSendEverySessionToTheTargetWhenItIsALiteralOfOneFamily() throws Exception {
        ReplayTargets ipv6 = ReplayTargets.resolve(IPV6, 0, TargetMap.EMPTY);
        ReplayTargets bracketed = ReplayTargets.resolve("[" + IPV6 + "]", 0, TargetMap.EMPTY);
        ReplayTargets ipv4 = ReplayTargets.resolve(IPV4, 0, TargetMap.EMPTY);

        assertThat(ipv6.forSession(session("10.0.0.2")).getAddress()).isEqualTo(InetAddress.getByName(IPV6));
        assertThat(bracketed.forSession(session("10.0.0.2")).getAddress()).isEqualTo(InetAddress.getByName(IPV6));
        assertThat(ipv4.forSession(session("2001:db8::2")).getAddress()).isEqualTo(InetAddress.getByName(IPV4));
    }

    @Test
    void shouldFollowTheTargetMapWhenTheRecordedPortIsListed() throws Exception {
        ReplayTargets targets = ReplayTargets.of(InetAddress.getByName(IPV4), InetAddress.getByName(IPV6), 0,
            TargetMap.parse("80=198.19.1.5:8080"));

        InetSocketAddress mapped = targets.forSession(session("2001:db8::2"));

        assertThat(mapped.getAddress()).as("the map's family, not the recorded one")
            .isEqualTo(InetAddress.getByName("198.19.1.5"));
        assertThat(mapped.getPort()).isEqualTo(8080);
        assertThat(targets.addresses()).containsExactly(InetAddress.getByName(IPV4), InetAddress.getByName(IPV6),
            InetAddress.getByName("198.19.1.5"));
    }

    @Test
    void shouldGiveTheClientAddressesMessageWhenATargetOfOneFamilyHasNoClientRangeOfIt() throws Exception {
        ClientAddresses ipv4Only = ClientAddresses.parse("198.18.1.*", List.of(), AddressAllocation.IP_FIRST, 1);

        assertThatThrownBy(() -> ReplayTargets.resolve(IPV6, 80, TargetMap.EMPTY).check(ipv4Only))
            .isInstanceOf(ReplayRuntimeException.class)
            .hasMessage(ipv4Only.missingFamily("[" + IPV6 + "]:80", true));
        assertThatThrownBy(() -> ReplayTargets.resolve(IPV4, 0, TargetMap.parse("443=[2001:2:0:1::5]:8443"))
                .check(ipv4Only)).hasMessage(ipv4Only.missingFamily("[2001:2:0:1::5]:8443 (target map, recorded port "
                    + "443)", true));
        ReplayTargets.of(InetAddress.getByName(IPV4), InetAddress.getByName(IPV6), 0, TargetMap.EMPTY)
            .check(ipv4Only); // a dual-stack target: only the IPv6 sessions will fail, with the same message
    }

    @Test
    void shouldExplainAnEmptyOrUnknownTargetHost() {
        assertThatThrownBy(() -> ReplayTargets.resolve(" ", 0, TargetMap.EMPTY))
            .hasMessage("target host: empty (expected: the IPv4 or IPv6 address or name of the server under test)");
        assertThatThrownBy(() -> ReplayTargets.resolve("no.such.host.invalid", 0, TargetMap.EMPTY))
            .hasMessage("target host: no.such.host.invalid is unknown (expected: an IPv4 or IPv6 address, or a name "
                + "with an A or AAAA record)");
    }

    private static RecordedSession session(String server) throws Exception {
        InetAddress address = InetAddress.getByName(server);
        InetAddress client = InetAddress.getByName(address.getAddress().length == 16 ? "2001:db8::1" : "10.0.0.1");
        return RecordedSession.builder(new Endpoint(client, 40000), new Endpoint(address, 80))
            .exchange("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII), new byte[0], 0).build();
    }
}
