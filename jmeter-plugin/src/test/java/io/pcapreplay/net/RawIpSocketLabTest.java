package io.pcapreplay.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabTest;
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
