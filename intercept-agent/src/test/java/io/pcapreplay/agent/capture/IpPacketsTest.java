package io.pcapreplay.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpPacketsTest {

    @Test
    void shouldDropEthernetPaddingWhenIpv4TotalLengthIsShorter() {
        byte[] packet = tcp4(40, 20, 46);

        assertThat(IpPackets.ipLength(packet, 0, packet.length)).isEqualTo(40);
        assertThat(IpPackets.statedLength(packet, 0, packet.length)).isEqualTo(40);
    }

    @Test
    void shouldUseAvailableBytesWhenTotalLengthIsZero() {
        byte[] packet = tcp4(0, 20, 3000);

        assertThat(IpPackets.ipLength(packet, 0, packet.length)).isEqualTo(3000);
    }

    @Test
    void shouldKeepHeadersWithOptionsWhenCapIsZero() {
        byte[] packet = tcp4(1052, 32, 1052);

        assertThat(IpPackets.headersLength(packet, 0, packet.length)).isEqualTo(52);
        assertThat(IpPackets.carriedLength(packet, 0, packet.length, 0)).isEqualTo(52);
        assertThat(IpPackets.carriedLength(packet, 0, packet.length, 100)).isEqualTo(152);
        assertThat(IpPackets.carriedLength(packet, 0, packet.length, 5000)).isEqualTo(1052);
        assertThat(IpPackets.carriedLength(packet, 0, packet.length, -1)).isEqualTo(1052);
    }

    @Test
    void shouldHandleIpv6WhenNextHeaderIsTcp() {
        byte[] packet = new byte[100];
        packet[0] = 0x60;
        packet[5] = 60;
        packet[6] = 6;
        packet[40 + 12] = 0x50;

        assertThat(IpPackets.ipLength(packet, 0, packet.length)).isEqualTo(100);
        assertThat(IpPackets.headersLength(packet, 0, 100)).isEqualTo(60);
    }

    @Test
    void shouldNeverThrowWhenPacketIsTruncatedOrGarbage() {
        byte[] packet = tcp4(1000, 60, 30);

        assertThat(IpPackets.headersLength(packet, 0, 30)).isEqualTo(20);
        assertThat(IpPackets.headersLength(new byte[] {0x45}, 0, 1)).isEqualTo(1);
        assertThat(IpPackets.ipLength(new byte[5], 0, 5)).isEqualTo(5);
        byte[] badIhl = tcp4(100, 20, 100);
        badIhl[0] = 0x4F;
        assertThat(IpPackets.headersLength(badIhl, 0, 100)).isLessThanOrEqualTo(100);
    }

    static byte[] tcp4(int totalLength, int tcpHeader, int size) {
        byte[] packet = new byte[size];
        packet[0] = 0x45;
        packet[2] = (byte) (totalLength >>> 8);
        packet[3] = (byte) totalLength;
        packet[9] = 6;
        if (size > 32) {
            packet[20 + 12] = (byte) ((tcpHeader / 4) << 4);
        }
        return packet;
    }
}
