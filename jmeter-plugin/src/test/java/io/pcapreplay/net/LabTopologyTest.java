package io.pcapreplay.net;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves the lab topology with real raw packets: a SYN from a fake client address, sent by the client through a
 * {@link RawIpSocket}, reaches the target; the target's SYN-ACK goes to the assistant (which captures it and
 * drops it: no RST, nothing sent) and never into the client namespace.
 */
@LabTest
class LabTopologyTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int FAKE_PORT = 40000;
    private static final String SYN_ACK = "tcp[tcpflags] & (tcp-syn|tcp-ack) == (tcp-syn|tcp-ack)";
    private static final String SYN_ACK6 = "ip6[13 + 40] & 0x12 == 0x12";
    private static EmbeddedTarget server;

    @BeforeAll
    static void startServer(Lab lab) {
        server = lab.target().startEmbeddedTarget(0, 0);
    }

    @Test
    void shouldDeliverSynAckOnlyToAssistantWhenFakeIpv4ClientSendsSyn(Lab lab) throws Exception {
        InetAddress fake = lab.fakeClientPool().host(0x0102);
        InetAddress target = lab.target().ipv4To(LabRole.CLIENT);
        byte[] syn = new byte[128];
        int length = new IpTcpEncoder().ipv4(IpAddresses.readInt(fake.getAddress(), 0),
                IpAddresses.readInt(target.getAddress(), 0)).ports(FAKE_PORT, server.httpPort()).sequence(1000)
                .flags(TcpHeader.SYN).encode(syn, 0);

        Captures captures = Captures.start(lab);
        try (RawIpSocket socket = lab.client().call(RawIpSocket::openIpv4)) {
            socket.send(syn, 0, length);
        }
        captures.assistant.awaitPackets("src host " + target.getHostAddress() + " and dst host "
                + fake.getHostAddress() + " and " + SYN_ACK, 1, TIMEOUT);
        captures.stop();

        captures.assertClientSent("src host " + fake.getHostAddress() + " and tcp[tcpflags] == tcp-syn");
        captures.assertNothingReachedClient("ip and dst net " + lab.fakeClientRange() + " and not dst net "
                + subnet(lab.client().ipv4To(LabRole.TARGET)) + " and not dst net "
                + subnet(lab.client().ipv4To(LabRole.ASSISTANT)));
        captures.assertAssistantSilent(lab.assistant(), "tcp[tcpflags] & tcp-rst != 0");
    }

    @Test
    void shouldDeliverSynAckOnlyToAssistantWhenFakeIpv6ClientSendsSyn(Lab lab) throws Exception {
        InetAddress fake = lab.fakeClientRangeIpv6().host(0x0102);
        InetAddress target = lab.target().ipv6To(LabRole.CLIENT);
        byte[] fakeBytes = fake.getAddress();
        byte[] targetBytes = target.getAddress();
        byte[] syn = new byte[128];
        int length = new IpTcpEncoder().ipv6(IpAddresses.readLong(fakeBytes, 0), IpAddresses.readLong(fakeBytes, 8),
                IpAddresses.readLong(targetBytes, 0), IpAddresses.readLong(targetBytes, 8))
                .ports(FAKE_PORT, server.httpPort()).sequence(1000).flags(TcpHeader.SYN).encode(syn, 0);

        Captures captures = Captures.start(lab);
        try (RawIpSocket socket = lab.client().call(RawIpSocket::openIpv6)) {
            socket.send(syn, 0, length);
        }
        captures.assistant.awaitPackets("ip6 and src host " + target.getHostAddress() + " and dst host "
                + fake.getHostAddress() + " and " + SYN_ACK6, 1, TIMEOUT);
        captures.stop();

        captures.assertClientSent("ip6 and src host " + fake.getHostAddress());
        captures.assertNothingReachedClient("dst net " + lab.fakeClientRangeIpv6());
        captures.assertAssistantSilent(lab.assistant(), "ip6[13 + 40] & 0x04 != 0");
    }

    /** The /24 link network of an address: the client's own links are inside 198.18.0.0/15 too. */
    private static String subnet(InetAddress address) {
        byte[] bytes = address.getAddress();
        return (bytes[0] & 0xFF) + "." + (bytes[1] & 0xFF) + "." + (bytes[2] & 0xFF) + ".0/24";
    }

    /** tcpdump in the client (every interface) and in the assistant (its interface to the target). */
    private static final class Captures {
        private final LabCapture client;
        private final LabCapture assistant;

        private Captures(LabCapture client, LabCapture assistant) {
            this.client = client;
            this.assistant = assistant;
        }

        static Captures start(Lab lab) {
            LabCapture client = lab.client().tcpdump("any", "").awaitStarted(TIMEOUT);
            LabCapture assistant = lab.assistant().tcpdump(lab.assistant().interfaceTo(LabRole.TARGET), "")
                    .awaitStarted(TIMEOUT);
            return new Captures(client, assistant);
        }

        void stop() {
            assertThat(client.stop()).isRegularFile();
            assertThat(assistant.stop()).isRegularFile();
        }

        void assertClientSent(String bpf) {
            assertThat(client.packets(bpf)).as("the SYN leaving the client").hasSize(1);
        }

        void assertNothingReachedClient(String bpf) {
            assertThat(client.packets(bpf)).as("packets to fake clients in the client").isEmpty();
            assertThat(client.packets("")).as("all packets in the client").isNotEmpty();
        }

        void assertAssistantSilent(LabHost host, String resetFilter) {
            assertThat(assistant.packets(resetFilter)).as("RST in the assistant").isEmpty();
            String sentByAssistant = "(ip and src host " + host.ipv4To(LabRole.TARGET).getHostAddress()
                    + ") or (ip6 and src host " + host.ipv6To(LabRole.TARGET).getHostAddress() + ")";
            assertThat(assistant.packets(sentByAssistant + " and not icmp6"))
                    .as("IP packets sent by the assistant").isEmpty();
        }
    }
}
