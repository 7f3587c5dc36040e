package io.pcapreplay.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabCapture;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.packet.IpAddresses;
import io.pcapreplay.packet.IpTcpEncoder;
import io.pcapreplay.lab.target.EmbeddedTarget;
import io.pcapreplay.packet.TcpHeader;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Checks of {@link RawIpSocket} that need root (a lab namespace). */
@LabTest
class RawIpSocketLabTest {

    @Test
    void shouldRejectPacketWhenVersionDoesNotMatchFamily(Lab lab) throws Exception {
        try (RawIpSocket socket = lab.client().call(RawIpSocket::openIpv4)) {
            byte[] ipv6 = new byte[60];
            ipv6[0] = 0x60;

            assertThatThrownBy(() -> socket.send(ipv6, 0, 60)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("IP version 6 (expected: 4)");
            assertThatThrownBy(() -> socket.send(new byte[10], 0, 10)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("10 bytes");
        }
    }

    @Test
    void shouldFailClearlyWhenClosed(Lab lab) throws Exception {
        RawIpSocket socket = lab.client().call(RawIpSocket::openIpv6);
        socket.sendBufferSize(1 << 20);
        socket.close();
        socket.close();

        assertThat(socket.family()).isEqualTo(RawIpSocket.Family.IPV6);
        assertThatThrownBy(() -> socket.send(new byte[60], 0, 60)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void shouldNotAllocatePerPacketWhenSendingManyPackets(Lab lab) throws Exception {
        byte[] fake = lab.fakeClientPool().host(0x0203).getAddress();
        byte[] target = lab.target().ipv4To(LabRole.CLIENT).getAddress();
        byte[] packet = new byte[64];
        int length = new IpTcpEncoder().ipv4(IpAddresses.readInt(fake, 0), IpAddresses.readInt(target, 0))
                .ports(40001, 9).sequence(1).flags(TcpHeader.ACK).encode(packet, 0);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)
                java.lang.management.ManagementFactory.getThreadMXBean();

        long allocated = lab.client().call(() -> {
            try (RawIpSocket socket = RawIpSocket.openIpv4()) {
                for (int i = 0; i < 1000; i++) {
                    socket.send(packet, 0, length);
                }
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 10_000; i++) {
                    socket.send(packet, 0, length);
                }
                return threads.getCurrentThreadAllocatedBytes() - before;
            }
        });

        assertThat(allocated).as("bytes allocated by 10000 sends").isLessThan(10_000);
    }

    @Test
    void shouldSendEachPacketOfABatchToItsOwnDestinationAndSkipABadOneWhenSendingABatch(Lab lab) throws Exception {
        EmbeddedTarget server = lab.target().startEmbeddedTarget(0, 0);
        byte[] target = lab.target().ipv4To(LabRole.CLIENT).getAddress();
        byte[] buffer = new byte[256];
        int[] offsets = {0, 64, 128};
        int[] lengths = new int[3];
        for (int i : new int[] {0, 2}) {
            byte[] fake = lab.fakeClientPool().host(0x0301 + i).getAddress();
            lengths[i] = new IpTcpEncoder().ipv4(IpAddresses.readInt(fake, 0), IpAddresses.readInt(target, 0))
                    .ports(42000 + i, server.httpPort()).sequence(7).flags(TcpHeader.SYN).encode(buffer, offsets[i]);
        }
        buffer[64] = 0x60; // an IPv6 version nibble on the IPv4 socket: skipped
        lengths[1] = 40;
        LabCapture assistant = lab.assistant().tcpdump(lab.assistant().interfaceTo(LabRole.TARGET), "")
                .awaitStarted(Duration.ofSeconds(20));

        int failed = lab.client().call(() -> {
            try (RawIpSocket socket = RawIpSocket.openIpv4()) {
                return socket.send(buffer, offsets, lengths, 3);
            }
        });

        assertThat(failed).isEqualTo(1);
        for (int i : new int[] {0, 2}) {
            assertThat(assistant.awaitPackets("tcp dst port " + (42000 + i) + " and dst host "
                    + lab.fakeClientPool().host(0x0301 + i).getHostAddress() + " and tcp[tcpflags] & tcp-syn != 0", 1,
                    Duration.ofSeconds(20))).as("the SYN-ACK to the batch's packet %d", i).hasSize(1);
        }
        assistant.stop();
    }

    @Test
    void shouldReportNoRouteWhenDestinationIsUnreachable(Lab lab) throws Exception {
        byte[] packet = new byte[40];
        packet[0] = 0x45;
        packet[3] = 40;
        packet[8] = 64;
        packet[9] = 6;
        packet[12] = (byte) 198;
        packet[13] = 18;
        packet[16] = (byte) 198;
        packet[17] = 19;
        packet[18] = (byte) 200;
        packet[19] = 1;
        try (RawIpSocket socket = lab.client().call(RawIpSocket::openIpv4)) {
            assertThatThrownBy(() -> socket.send(packet, 0, 40)).isInstanceOf(RawSocketException.class)
                    .hasMessageContaining("ENETUNREACH").hasMessageContaining("no route");
        }
    }
}
