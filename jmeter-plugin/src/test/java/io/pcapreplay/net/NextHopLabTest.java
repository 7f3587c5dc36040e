package io.pcapreplay.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabCapture;
import io.pcapreplay.lab.LabHost;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.lab.target.EmbeddedTarget;
import io.pcapreplay.packet.IpAddresses;
import io.pcapreplay.packet.IpTcpEncoder;
import io.pcapreplay.packet.TcpHeader;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The datalink transport without a next-hop MAC ({@code datalink IFACE}): from the client namespace, the next hop
 * of the route to the target is found in the neighbour table, resolved first when the table is empty.
 */
@LabTest
class NextHopLabTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void shouldFindTheTargetsMacWhenTheTargetIsOnTheInterfacesNetworkAndNotResolvedYet(Lab lab) {
        LabHost client = lab.client();
        String device = client.interfaceTo(LabRole.TARGET);
        String targetMac = DatalinkSenderLabTest.mac(lab.target(), lab.target().interfaceTo(LabRole.CLIENT));
        client.exec(TIMEOUT, "ip", "neigh", "flush", "dev", device).orThrow();

        String ipv4 = client.call(() -> NextHop.resolve(device, List.of(lab.target().ipv4To(LabRole.CLIENT)),
            NextHop.RESOLVE_TIMEOUT));
        String ipv6 = client.call(() -> NextHop.resolve(device, List.of(lab.target().ipv6To(LabRole.CLIENT)),
            NextHop.RESOLVE_TIMEOUT));

        assertThat(ipv4).isEqualTo(targetMac);
        assertThat(ipv6).isEqualTo(targetMac);
    }

    @Test
    void shouldFindTheGatewaysMacWhenTheRouteGoesThroughAGateway(Lab lab) {
        LabHost client = lab.client();
        String device = client.interfaceTo(LabRole.TARGET);
        String targetMac = DatalinkSenderLabTest.mac(lab.target(), lab.target().interfaceTo(LabRole.CLIENT));
        client.exec(TIMEOUT, "ip", "route", "add", "198.19.200.0/24", "via",
            lab.target().ipv4To(LabRole.CLIENT).getHostAddress(), "dev", device).orThrow();
        client.exec(TIMEOUT, "ip", "neigh", "flush", "dev", device).orThrow();
        InetAddress routed = address("198.19.200.9");

        String mac = client.call(() -> NextHop.resolve(device, List.of(routed), NextHop.RESOLVE_TIMEOUT));

        assertThat(mac).as("the gateway's (the target namespace's) MAC").isEqualTo(targetMac);
    }

    @Test
    void shouldNameTheNextHopWhenItDoesNotResolve(Lab lab) {
        LabHost client = lab.client();
        String device = client.interfaceTo(LabRole.TARGET);
        InetAddress nobody = address("198.19.1.250"); // on the client link, no host there

        assertThatThrownBy(() -> client.call(() -> NextHop.resolve(device, List.of(nobody), Duration.ofMillis(300))))
            .hasMessageContaining("datalink " + device + ": next hop 198.19.1.250 not in the neighbour table after "
                + "300 ms (expected: a next hop that answers ARP or neighbour discovery on " + device);
    }

    @Test
    void shouldNameTheInterfaceWhenItDoesNotExist(Lab lab) {
        InetAddress target = lab.target().ipv4To(LabRole.CLIENT);

        assertThatThrownBy(() -> lab.client().call(() -> NextHop.resolve("nosuch0", List.of(target),
            NextHop.RESOLVE_TIMEOUT))).hasMessageContaining("datalink nosuch0: no route to "
                + target.getHostAddress() + " through nosuch0: ip -4 route get " + target.getHostAddress()
                + " oif nosuch0 says 'Cannot find device \"nosuch0\"'");
    }

    @Test
    void shouldSendToTheTargetsMacWhenTheTransportNamesOnlyTheInterface(Lab lab) throws Exception {
        EmbeddedTarget server = lab.target().startEmbeddedTarget(0, 0);
        LabHost client = lab.client();
        String device = client.interfaceTo(LabRole.TARGET);
        InetAddress fake = lab.fakeClientPool().host(0x0204);
        InetAddress target = lab.target().ipv4To(LabRole.CLIENT);
        String targetMac = DatalinkSenderLabTest.mac(lab.target(), lab.target().interfaceTo(LabRole.CLIENT));
        byte[] syn = new byte[128];
        int length = new IpTcpEncoder().ipv4(IpAddresses.readInt(fake.getAddress(), 0),
            IpAddresses.readInt(target.getAddress(), 0)).ports(41002, server.httpPort()).sequence(7)
            .flags(TcpHeader.SYN).encode(syn, 0);
        client.exec(TIMEOUT, "ip", "neigh", "flush", "dev", device).orThrow();
        LabCapture arriving = lab.target().tcpdump(lab.target().interfaceTo(LabRole.CLIENT), "tcp")
            .awaitStarted(TIMEOUT);

        client.call(() -> {
            try (ReplayRuntime.Transport transport = PacketTransports.datalink(
                    TransportSpec.parse("datalink " + device), List.of(target))) {
                transport.send(syn, 0, length);
            }
            return null;
        });

        assertThat(arriving.awaitPackets("ether dst " + targetMac + " and src host " + fake.getHostAddress()
            + " and tcp[tcpflags] == tcp-syn", 1, TIMEOUT)).as("the SYN in a frame to the MAC found").hasSize(1);
        arriving.stop();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
