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
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * tcpburn's {@code --pcap-send}: the engine's IP packets leave through a packet socket with an Ethernet header we
 * write. A SYN from a fake client, sent this way from the client namespace to the target's MAC, arrives in a frame
 * from the client interface's own MAC, is answered by the target, and the SYN-ACK reaches the assistant.
 */
@LabTest
class DatalinkSenderLabTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void shouldReachTheTargetWhenSendingFramesToItsMac(Lab lab) throws Exception {
        EmbeddedTarget server = lab.target().startEmbeddedTarget(0, 0);
        LabHost client = lab.client();
        InetAddress fake = lab.fakeClientPool().host(0x0203);
        InetAddress target = lab.target().ipv4To(LabRole.CLIENT);
        String targetMac = mac(lab.target(), lab.target().interfaceTo(LabRole.CLIENT));
        byte[] syn = new byte[128];
        int length = new IpTcpEncoder().ipv4(IpAddresses.readInt(fake.getAddress(), 0),
                IpAddresses.readInt(target.getAddress(), 0)).ports(41000, server.httpPort()).sequence(7)
                .flags(TcpHeader.SYN).encode(syn, 0);
        String clientMac = mac(client, client.interfaceTo(LabRole.TARGET));
        LabCapture arriving = lab.target().tcpdump(lab.target().interfaceTo(LabRole.CLIENT), "tcp")
                .awaitStarted(TIMEOUT);
        LabCapture assistant = lab.assistant().tcpdump(lab.assistant().interfaceTo(LabRole.TARGET), "")
                .awaitStarted(TIMEOUT);

        assertThat(sendOnce(client, targetMac, syn, length)).as("failures").isZero();

        assertThat(arriving.awaitPackets("ether src " + clientMac + " and ether dst " + targetMac + " and src host "
                + fake.getHostAddress() + " and tcp[tcpflags] == tcp-syn", 1, TIMEOUT))
                .as("the SYN in a frame from the interface's own MAC (SIOCGIFHWADDR) to the next hop's").hasSize(1);
        assertThat(assistant.awaitPackets("src host " + target.getHostAddress() + " and dst host "
                + fake.getHostAddress() + " and tcp[tcpflags] & (tcp-syn|tcp-ack) == (tcp-syn|tcp-ack)", 1, TIMEOUT))
                .hasSize(1);
        arriving.stop();
        assistant.stop();
    }

    @Test
    void shouldReachTheTargetOverIpv6WhenTheFrameSaysIpv6(Lab lab) throws Exception {
        EmbeddedTarget server = lab.target().startEmbeddedTarget(0, 0);
        LabHost client = lab.client();
        byte[] fake = lab.fakeClientRangeIpv6().host(0x0203).getAddress();
        byte[] target = lab.target().ipv6To(LabRole.CLIENT).getAddress();
        String targetMac = mac(lab.target(), lab.target().interfaceTo(LabRole.CLIENT));
        byte[] syn = new byte[128];
        int length = new IpTcpEncoder().ipv6(IpAddresses.readLong(fake, 0), IpAddresses.readLong(fake, 8),
                IpAddresses.readLong(target, 0), IpAddresses.readLong(target, 8)).ports(41001, server.httpPort())
                .sequence(7).flags(TcpHeader.SYN).encode(syn, 0);
        LabCapture assistant = lab.assistant().tcpdump(lab.assistant().interfaceTo(LabRole.TARGET), "ip6")
                .awaitStarted(TIMEOUT);

        assertThat(sendOnce(client, targetMac, syn, length)).as("failures").isZero();

        assertThat(assistant.awaitPackets("ip6 and tcp src port " + server.httpPort() + " and tcp dst port 41001",
                1, TIMEOUT)).as("the SYN-ACK to the IPv6 fake client").hasSize(1);
        assistant.stop();
    }

    @Test
    void shouldSendEveryPacketOfABatchAsItsOwnFrameWhenSendingABatch(Lab lab) throws Exception {
        EmbeddedTarget server = lab.target().startEmbeddedTarget(0, 0);
        LabHost client = lab.client();
        InetAddress target = lab.target().ipv4To(LabRole.CLIENT);
        String targetMac = mac(lab.target(), lab.target().interfaceTo(LabRole.CLIENT));
        byte[] buffer = new byte[256];
        int[] offsets = {0, 128};
        int[] lengths = new int[2];
        for (int i = 0; i < 2; i++) {
            InetAddress fake = lab.fakeClientPool().host(0x0401 + i);
            lengths[i] = new IpTcpEncoder().ipv4(IpAddresses.readInt(fake.getAddress(), 0),
                    IpAddresses.readInt(target.getAddress(), 0)).ports(43000 + i, server.httpPort()).sequence(7)
                    .flags(TcpHeader.SYN).encode(buffer, offsets[i]);
        }
        LabCapture assistant = lab.assistant().tcpdump(lab.assistant().interfaceTo(LabRole.TARGET), "")
                .awaitStarted(TIMEOUT);

        try (DatalinkSender sender = client.call(() -> DatalinkSender.open(client.interfaceTo(LabRole.TARGET), null,
                targetMac))) {
            assertThat(sender.sendsBatches()).isTrue();
            assertThat(client.call(() -> sender.send(buffer, offsets, lengths, 2))).isZero();
        }

        assertThat(assistant.awaitPackets("src host " + target.getHostAddress() + " and (tcp dst port 43000 or tcp "
                + "dst port 43001) and tcp[tcpflags] & (tcp-syn|tcp-ack) == (tcp-syn|tcp-ack)", 2, TIMEOUT))
                .hasSize(2);
        assistant.stop();
    }

    @Test
    void shouldRefuseAnInterfaceThatIsNotEthernet(Lab lab) {
        assertThatThrownBy(() -> lab.client().call(() -> DatalinkSender.open("lo", null, "02:00:00:00:00:01")))
                .hasRootCauseInstanceOf(IOException.class).rootCause()
                .hasMessage("datalink interface lo: hardware type 772 (expected: Ethernet, 1)");
    }

    @Test
    void shouldExplainWhenTheInterfaceOrTheMacIsWrong(Lab lab) {
        assertThatThrownBy(() -> lab.client().call(() -> DatalinkSender.open("nosuchif0", null,
                "02:00:00:00:00:01"))).hasRootCauseInstanceOf(IOException.class)
                .rootCause().hasMessageContaining("datalink interface: 'nosuchif0' not found");
        assertThatThrownBy(() -> DatalinkSender.parseMac("next-hop MAC", "02:00:00"))
                .hasMessage("next-hop MAC: '02:00:00' (expected: six hex bytes, e.g. 02:00:00:00:00:01)");
    }

    /** Opens a sender on the client's interface to the target, sends one packet, closes; returns its failures. */
    private static long sendOnce(LabHost client, String targetMac, byte[] packet, int length) {
        return client.call(() -> {
            try (DatalinkSender sender = DatalinkSender.open(client.interfaceTo(LabRole.TARGET), null, targetMac)) {
                sender.send(packet, 0, length);
                return sender.failures();
            }
        });
    }

    /** The MAC of a lab host's interface ({@code ip -br link}). */
    static String mac(LabHost host, String interfaceName) {
        String output = host.exec(TIMEOUT, "ip", "-br", "link", "show", "dev", interfaceName).orThrow().stdout();
        for (String word : output.trim().split("\\s+")) {
            if (word.matches("([0-9a-f]{2}:){5}[0-9a-f]{2}")) {
                return word;
            }
        }
        throw new IllegalStateException("no MAC in: " + output);
    }
}
