package io.pcapreplay.tcp;

import static io.pcapreplay.tcp.EngineHarness.MS;
import static io.pcapreplay.tcp.EngineHarness.filled;
import static io.pcapreplay.tcp.EngineHarness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pcapreplay.packet.IpAddresses;
import io.pcapreplay.packet.IpTcpView;
import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.pcap.RecordedSession;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EngineIpv6Test {

    private static final String SERVER = "2001:2:0:1::2";

    @Test
    void shouldReplayOverIpv6WhenThePoolIsIpv6() throws Exception {
        byte[] request = filled(4_000, 3);
        RecordedSession session = EngineHarness.builder().exchange(request, filled(3_000, 4), 0)
            .exchange(text("bye"), text("ok"), 0).build(); // recorded over IPv4: replayed to an IPv6 target
        byte[] server = InetAddress.getByName(SERVER).getAddress();
        SimulatedServer peer = new SimulatedServer(session, 0, 80);
        peer.ipv6 = true;
        peer.serverHigh = IpAddresses.readLong(server, 0);
        peer.serverLow = IpAddresses.readLong(server, 8);
        EngineHarness.ManualClock clock = new EngineHarness.ManualClock();
        peer.clock = clock;
        ClientAddressPool pool = ClientAddressPool.parse("2001:2:0:ff00::/120", List.of(), AddressAllocation.IP_FIRST,
            3);
        ReplayEngine engine = ReplayEngine.manual(EngineConfig.builder(pool)
            .target(InetAddress.getByName(SERVER), 80).build(), peer, clock);
        peer.engine = engine;
        List<ExchangeResult> results = new ArrayList<>();
        for (int index = 0; index < 3; index++) {
            engine.startSession(session, results::add);
        }
        for (int step = 0; step < 100; step++) {
            engine.runOnce(clock.now);
            clock.now += MS;
        }

        assertThat(results).hasSize(6).allSatisfy(result -> assertThat(result.outcome()).isEqualTo(Outcome.OK));
        assertThat(peer.seen).allSatisfy(seen -> assertThat(seen.version()).isEqualTo(6));
        SimulatedServer.Seen syn = peer.seen.get(0);
        assertThat(syn.has(TcpHeader.SYN)).isTrue();
        assertThat(syn.mss()).isEqualTo(1_440); // 1500 - 40 (IPv6) - 20 (TCP)
        assertThat(peer.dataSegments().get(0).payload()).hasSize(1_428); // 1440 minus timestamps
        Set<String> clients = new HashSet<>();
        peer.seen.forEach(seen -> clients.add(IpAddresses.format(seen.clientHigh(), seen.clientLow())));
        assertThat(clients).hasSize(3).allSatisfy(client -> assertThat(client).startsWith("2001:2:0:ff00::"));
        assertThat(peer.count(TcpHeader.FIN)).isEqualTo(3);
        assertThat(engine.stats().openSessions()).isZero();
        assertThat(engine.stats().ignoredPackets()).isZero();
    }

    @Test
    void shouldSendEachSessionFromThePoolOfItsServersFamilyWhenClientAddressesListBoth() throws Exception {
        ClientAddresses clients = ClientAddresses.parse("198.18.1.*, 2001:2:0:ff00::/120", List.of(),
            AddressAllocation.IP_FIRST, 3);
        List<byte[]> sent = new ArrayList<>();
        EngineHarness.ManualClock clock = new EngineHarness.ManualClock();
        ReplayEngine engine = ReplayEngine.manual(EngineConfig.builder(clients).build(),
            (packet, offset, length) -> sent.add(Arrays.copyOfRange(packet, offset, offset + length)), clock);
        RecordedSession session = EngineHarness.builder().exchange(text("hi"), text("ho"), 0).build();

        engine.startSession(session, new InetSocketAddress(InetAddress.getByName(SERVER), 80), result -> { });
        engine.startSession(session, new InetSocketAddress(InetAddress.getByName("198.19.1.2"), 80), result -> { });
        engine.runOnce(clock.now);

        assertThat(sent).as("two SYNs").hasSize(2);
        List<IpTcpView> syns = sent.stream().map(packet -> new IpTcpView().wrap(packet, 0, packet.length)).toList();
        IpTcpView ipv6 = syns.stream().filter(view -> view.version() == 6).findFirst().orElseThrow();
        IpTcpView ipv4 = syns.stream().filter(view -> view.version() == 4).findFirst().orElseThrow();
        assertThat(IpAddresses.format(ipv6.sourceAddress())).startsWith("2001:2:0:ff00::");
        assertThat(IpAddresses.format(ipv6.destinationAddress())).isEqualTo(SERVER);
        assertThat(ipv6.options().mss()).as("1500 - 40 (IPv6) - 20 (TCP)").isEqualTo(1_440);
        assertThat(IpAddresses.format(ipv4.sourceAddress())).startsWith("198.18.1.");
        assertThat(ipv4.options().mss()).as("1500 - 20 (IPv4) - 20 (TCP)").isEqualTo(1_460);
    }

    @Test
    void shouldRefuseWithTheClientAddressesMessageWhenTheServersFamilyHasNoRange() throws Exception {
        ClientAddresses clients = ClientAddresses.parse("198.18.1.*", List.of(), AddressAllocation.IP_FIRST, 3);
        ReplayEngine engine = ReplayEngine.manual(EngineConfig.builder(clients).build(),
            (packet, offset, length) -> { }, new EngineHarness.ManualClock());
        RecordedSession session = EngineHarness.builder().exchange(text("hi"), text("ho"), 0).build();

        assertThatThrownBy(() -> engine.startSession(session,
                new InetSocketAddress(InetAddress.getByName(SERVER), 80), result -> { }))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(clients.missingFamily("[" + SERVER + "]:80", true));
    }
}
