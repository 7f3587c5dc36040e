package io.pcapreplay.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinkLayerTest {

    @Test
    void shouldSkipEthernetHeaderWhenFrameCarriesIpv4() {
        byte[] frame = frame(0x08, 0x00);

        assertThat(LinkLayer.EN10MB.ipOffset(frame, frame.length)).isEqualTo(14);
    }

    @Test
    void shouldSkipVlanTagsWhenFrameIsTagged() {
        byte[] frame = new byte[80];
        frame[12] = (byte) 0x81;
        frame[16] = (byte) 0x88;
        frame[17] = (byte) 0xA8;
        frame[20] = (byte) 0x86;
        frame[21] = (byte) 0xDD;

        assertThat(LinkLayer.EN10MB.ipOffset(frame, frame.length)).isEqualTo(22);
    }

    @Test
    void shouldRejectFrameWhenEthertypeIsNotIp() {
        byte[] arp = frame(0x08, 0x06);

        assertThat(LinkLayer.EN10MB.ipOffset(arp, arp.length)).isEqualTo(-1);
        assertThat(LinkLayer.EN10MB.ipOffset(arp, 13)).isEqualTo(-1);
    }

    @Test
    void shouldSkipCookedHeaderWhenCapturingOnAny() {
        byte[] sll = new byte[60];
        sll[14] = 0x08;
        byte[] sll2 = new byte[60];
        sll2[0] = (byte) 0x86;
        sll2[1] = (byte) 0xDD;

        assertThat(LinkLayer.ofDlt(113).ipOffset(sll, sll.length)).isEqualTo(16);
        assertThat(LinkLayer.ofDlt(276).ipOffset(sll2, sll2.length)).isEqualTo(20);
        assertThat(LinkLayer.LINUX_SLL.ipOffset(sll, 16)).isEqualTo(-1);
    }

    @Test
    void shouldStartAtZeroWhenLinkIsRawIp() {
        byte[] ipv6 = {0x60, 0, 0, 0};

        assertThat(LinkLayer.ofDlt(12).ipOffset(ipv6, ipv6.length)).isZero();
        assertThat(LinkLayer.RAW.ipOffset(new byte[] {0x10}, 1)).isEqualTo(-1);
        assertThat(LinkLayer.ofDlt(9999)).isNull();
    }

    private static byte[] frame(int typeHigh, int typeLow) {
        byte[] frame = new byte[60];
        frame[12] = (byte) typeHigh;
        frame[13] = (byte) typeLow;
        frame[14] = 0x45;
        return frame;
    }
}
