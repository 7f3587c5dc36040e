package io.pcapreplay.tcp;

import static io.pcapreplay.tcp.EngineHarness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pcapreplay.packet.IpAddresses;
import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.pcap.RecordedSession;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Client addresses {@code original} (tcpcopy without {@code -c}): each session is sent from its recorded client
 * address, from its recorded port while that endpoint is free; copies running at once take shifted ports.
 */
class EngineOriginalAddressesTest {

    private static final RecordedSession SESSION = EngineHarness.builder()
        .exchange(text("GET /a HTTP/1.1\r\n\r\n"), text("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na"), 0).build();

    @Test
    @Timeout(10)
    void shouldSendFromTheRecordedClientAddressAndPortWhenAddressesAreOriginal() {
        EngineHarness harness = harness();

        harness.start();
        harness.runUntil(() -> harness.ends.size() == 1, 2_000);

        assertThat(harness.results).singleElement().satisfies(result ->
            assertThat(result.outcome()).isEqualTo(Outcome.OK));
        assertThat(harness.server.seen).isNotEmpty().allSatisfy(seen -> {
            assertThat(IpAddresses.formatV4(seen.clientAddress())).isEqualTo("198.18.200.1");
            assertThat(seen.clientPort()).isEqualTo(40_000);
        });
    }

    @Test
    @Timeout(10)
    void shouldShiftThePortWhenCopiesOfTheSessionRunAtOnce() {
        EngineHarness harness = harness();

        for (int copy = 0; copy < 3; copy++) {
            harness.start();
        }
        harness.runUntil(() -> harness.ends.size() == 3, 2_000);

        assertThat(harness.results).hasSize(3).allSatisfy(result ->
            assertThat(result.outcome()).isEqualTo(Outcome.OK));
        List<SimulatedServer.Seen> syns = harness.server.seen.stream().filter(seen -> seen.has(TcpHeader.SYN))
            .toList();
        assertThat(syns).hasSize(3).allSatisfy(syn ->
            assertThat(IpAddresses.formatV4(syn.clientAddress())).isEqualTo("198.18.200.1"));
        assertThat(syns.stream().map(SimulatedServer.Seen::clientPort).distinct()).hasSize(3).contains(40_000)
            .allSatisfy(port -> assertThat(port).isBetween(1024, 65_535));
    }

    @Test
    void shouldRefuseASessionWhenItsRecordedClientIsOfAnotherFamilyThanItsServer() throws Exception {
        EngineHarness harness = harness();
        InetSocketAddress ipv6Server = new InetSocketAddress(InetAddress.getByName("2001:2:0:1::2"), 80);

        assertThatThrownBy(() -> harness.engine.startSession(SESSION, ipv6Server, harness.listener))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("client address: original 198.18.200.1:40000 is IPv4, the server [2001:2:0:1::2]:80 IPv6 "
                + "(expected: a target of the recorded client's family, or fake client addresses instead of "
                + "'original')");
    }

    private static EngineHarness harness() {
        return new EngineHarness(SESSION, ClientAddresses.parse("original", List.of(), AddressAllocation.IP_FIRST, 1),
            config -> { }, WireClock.ENGINE);
    }
}
