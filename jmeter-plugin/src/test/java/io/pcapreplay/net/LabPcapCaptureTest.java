package io.pcapreplay.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.lab.target.EmbeddedTarget;
import io.pcapreplay.packet.IpAddresses;
import io.pcapreplay.packet.IpTcpEncoder;
import io.pcapreplay.packet.TcpHeader;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface;

/**
 * Shows that libpcap (pcap4j) opened on a lab host's namespace thread captures that namespace's interface, as the
 * intercept agent will: the SYN-ACK to a fake client is seen in the assistant.
 */
@LabTest
class LabPcapCaptureTest {

    @Test
    void shouldCaptureInAssistantWhenPcapOpenedOnNamespaceThread(Lab lab) throws Exception {
        EmbeddedTarget server = lab.target().startEmbeddedTarget(0, 0);
        String iface = lab.assistant().interfaceTo(LabRole.TARGET);
        InetAddress fake = lab.fakeClientPool().host(0x0405);
        PcapHandle handle = lab.assistant().call(() -> {
            PcapHandle opened = new PcapHandle.Builder(iface).snaplen(65536).timeoutMillis(50)
                    .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS).immediateMode(true).build();
            opened.setFilter("tcp and dst host " + fake.getHostAddress(), BpfProgram.BpfCompileMode.OPTIMIZE);
            return opened;
        });
        try {
            byte[] syn = new byte[64];
            byte[] target = lab.target().ipv4To(LabRole.CLIENT).getAddress();
            int length = new IpTcpEncoder().ipv4(IpAddresses.readInt(fake.getAddress(), 0),
                    IpAddresses.readInt(target, 0)).ports(40002, server.httpPort()).sequence(77)
                    .flags(TcpHeader.SYN).encode(syn, 0);
            try (RawIpSocket socket = lab.client().call(RawIpSocket::openIpv4)) {
                socket.send(syn, 0, length);
            }

            byte[] frame = null;
            for (int i = 0; i < 200 && frame == null; i++) {
                frame = handle.getNextRawPacket();
            }

            assertThat(frame).as("SYN-ACK captured with libpcap in the assistant").isNotNull();
            int tcpFlags = frame[14 + 20 + 13] & 0xFF;
            assertThat(tcpFlags & (TcpHeader.SYN | TcpHeader.ACK)).isEqualTo(TcpHeader.SYN | TcpHeader.ACK);
        } finally {
            handle.close();
        }
    }
}
