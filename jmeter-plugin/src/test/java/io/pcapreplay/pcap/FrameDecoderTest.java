package io.pcapreplay.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    private static final byte[] IPV4 = {0x45, 0, 0, 20};
    private static final byte[] IPV6 = {0x60, 0, 0, 0};

    @Test
    void shouldSkipEveryVlanTagWhenEthernetFrameIsStacked() {
        byte[] frame = concat(new byte[12], bytes(0x88, 0xA8, 0, 1, 0x81, 0x00, 0, 2, 0x81, 0x00, 0, 3, 0x08, 0x00),
            IPV4);
        FrameDecoder decoder = new FrameDecoder(LinkType.EN10MB);

        assertThat(decoder.decode(frame, 0, frame.length)).isTrue();
        assertThat(decoder.ipOffset()).isEqualTo(26);
        assertThat(decoder.ipLength()).isEqualTo(4);
    }

    @Test
    void shouldRejectFrameWhenEtherTypeIsNotIp() {
        byte[] arp = concat(new byte[12], bytes(0x08, 0x06), IPV4);

        assertThat(new FrameDecoder(LinkType.EN10MB).decode(arp, 0, arp.length)).isFalse();
        assertThat(new FrameDecoder(LinkType.EN10MB).decode(arp, 0, 13)).isFalse();
    }

    @Test
    void shouldAcceptAddressFamilyInBothByteOrdersWhenLinkTypeIsNull() {
        FrameDecoder decoder = new FrameDecoder(LinkType.NULL);
        byte[] littleEndianInet = concat(bytes(2, 0, 0, 0), IPV4);
        byte[] bigEndianInet6 = concat(bytes(0, 0, 0, 30), IPV6);
        byte[] linuxInet6 = concat(bytes(10, 0, 0, 0), IPV6);
        byte[] other = concat(bytes(7, 0, 0, 0), IPV4);

        assertThat(decoder.decode(littleEndianInet, 0, littleEndianInet.length)).isTrue();
        assertThat(decoder.ipOffset()).isEqualTo(4);
        assertThat(decoder.decode(bigEndianInet6, 0, bigEndianInet6.length)).isTrue();
        assertThat(decoder.decode(linuxInet6, 0, linuxInet6.length)).isTrue();
        assertThat(decoder.decode(other, 0, other.length)).isFalse();
    }

    @Test
    void shouldFindPacketWhenLinuxCookedHeadersPrecedeIt() {
        byte[] sll = concat(new byte[14], bytes(0x86, 0xDD), IPV6);
        byte[] sll2 = concat(bytes(0x08, 0x00), new byte[18], IPV4);

        FrameDecoder cooked = new FrameDecoder(LinkType.LINUX_SLL);
        assertThat(cooked.decode(sll, 0, sll.length)).isTrue();
        assertThat(cooked.ipOffset()).isEqualTo(16);
        FrameDecoder cooked2 = new FrameDecoder(LinkType.LINUX_SLL2);
        assertThat(cooked2.decode(sll2, 0, sll2.length)).isTrue();
        assertThat(cooked2.ipOffset()).isEqualTo(20);
    }

    @Test
    void shouldFindPayloadTlvWhenFrameIsNflogInEitherByteOrder() {
        byte[] prefixLittle = bytes(5, 0, 0x08, 0x00);
        byte[] payloadLittle = bytes(8, 0, 9, 0);
        byte[] little = concat(bytes(2, 0, 0, 0), prefixLittle, bytes(0, 0, 0, 0), payloadLittle, IPV4);
        byte[] big = concat(bytes(2, 0, 0, 0), bytes(0, 8, 0, 1), bytes(0, 0, 0, 0), bytes(0, 8, 0, 9), IPV4);

        FrameDecoder decoder = new FrameDecoder(LinkType.NFLOG);
        assertThat(decoder.decode(little, 0, little.length)).isTrue();
        assertThat(decoder.ipOffset()).isEqualTo(16);
        assertThat(decoder.ipLength()).isEqualTo(4);
        assertThat(decoder.decode(big, 0, big.length)).isTrue();
        assertThat(decoder.ipOffset()).isEqualTo(16);
    }

    @Test
    void shouldTakeFrameAsPacketWhenLinkTypeIsRaw() {
        FrameDecoder decoder = new FrameDecoder(LinkType.RAW_OPENBSD);

        assertThat(decoder.decode(IPV6, 0, IPV6.length)).isTrue();
        assertThat(decoder.ipOffset()).isZero();
        assertThat(decoder.decode(bytes(0x15, 0, 0, 0), 0, 4)).isFalse();
        assertThat(LinkType.valueOf(101)).isEqualTo(LinkType.RAW_LINKTYPE);
        assertThat(LinkType.valueOf(147)).isNull();
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int index = 0; index < values.length; index++) {
            bytes[index] = (byte) values[index];
        }
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] result = new byte[length];
        int position = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, result, position, part.length);
            position += part.length;
        }
        return result;
    }
}
