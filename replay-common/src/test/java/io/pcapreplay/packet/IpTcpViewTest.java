package io.pcapreplay.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpTcpViewTest {

    private final IpTcpView view = new IpTcpView();

    @Test
    void shouldDecodeSynAndOptionsWhenReadingRealCapture() throws IOException {
        byte[] syn = CaptureFrames.ipPacketsOf("zeek__http_get.pcap").get(0);

        view.wrap(syn, 0, syn.length);

        assertThat(view.version()).isEqualTo(4);
        assertThat(view.isTcp()).isTrue();
        assertThat(IpAddresses.formatV4(view.sourceV4())).isEqualTo("141.142.228.5");
        assertThat(view.destinationAddress().getHostAddress()).isEqualTo("192.150.187.43");
        assertThat(view.sourcePort()).isEqualTo(59856);
        assertThat(view.destinationPort()).isEqualTo(80);
        assertThat(TcpSequence.toUnsigned(view.sequence())).isEqualTo(4263588410L);
        assertThat(view.flags()).isEqualTo(TcpHeader.SYN);
        assertThat(view.window()).isEqualTo(65535);
        assertThat(view.dontFragment()).isTrue();
        assertThat(view.fragmentId()).isEqualTo(57230);
        TcpOptions options = view.options();
        assertThat(options.mss()).isEqualTo(1460);
        assertThat(options.windowScale()).isEqualTo(4);
        assertThat(options.sackPermitted()).isTrue();
        assertThat(options.hasTimestamps()).isTrue();
        assertThat(options.timestampValue()).isEqualTo(374005024);
        assertThat(options.timestampEcho()).isZero();
        assertThat(options.malformed()).isFalse();
        assertThat(view.payloadLength()).isZero();
    }

    @Test
    void shouldFindValidChecksumsWhenEveryFrameOfRealCaptureIsVerified() throws IOException {
        List<byte[]> packets = CaptureFrames.ipPacketsOf("zeek__http_get.pcap");
        int payload = 0;
        for (byte[] packet : packets) {
            view.wrap(packet, 0, packet.length);
            assertThat(Ipv4Header.verifyChecksum(packet, 0)).isZero();
            assertThat(view.verifyTcpChecksum()).as(view.toString()).isZero();
            payload += view.payloadLength();
        }
        assertThat(packets).hasSize(14);
        assertThat(payload).isEqualTo(5143);
    }

    @Test
    void shouldDecodePayloadWhenFrameHasOffsetInBuffer() throws IOException {
        byte[] request = CaptureFrames.ipPacketsOf("zeek__http_get.pcap").get(3);
        byte[] shifted = new byte[request.length + 30];
        System.arraycopy(request, 0, shifted, 7, request.length);

        view.wrap(shifted, 7, request.length);

        assertThat(view.payloadLength()).isEqualTo(136);
        assertThat(new String(shifted, view.payloadOffset(), 3, java.nio.charset.StandardCharsets.US_ASCII))
            .isEqualTo("GET");
        assertThat(view.verifyTcpChecksum()).isZero();
    }

    @Test
    void shouldUseCapturedLengthWhenIpv4TotalLengthIsZero() throws IOException {
        byte[] packet = CaptureFrames.ipPacketsOf("tcpdump__tests_bigtcp-ipv4.pcap").get(0);
        assertThat(Ipv4Header.totalLength(packet, 0)).isZero();

        view.wrap(packet, 0, packet.length);

        assertThat(view.payloadLength()).isEqualTo(80000);
        assertThat(view.capturedPayloadLength()).isEqualTo(80000);
        assertThat(view.isTruncated()).isFalse();
    }

    @Test
    void shouldUseJumboLengthWhenIpv6HopByHopCarriesJumboPayloadOption() throws IOException {
        byte[] packet = CaptureFrames.ipPacketsOf("tcpdump__tests_bigtcp-ipv6-hbh.pcap").get(0);

        view.wrap(packet, 0, packet.length);

        assertThat(view.version()).isEqualTo(6);
        assertThat(view.isJumbogram()).isTrue();
        assertThat(view.totalLength()).isEqualTo(40 + 80040);
        assertThat(view.ipHeaderLength()).isEqualTo(48);
        assertThat(view.isTcp()).isTrue();
        assertThat(view.sourcePort()).isEqualTo(41851);
        assertThat(view.payloadLength()).isEqualTo(80000);
        assertThat(IpAddresses.format(view.sourceHigh(), view.sourceLow())).isEqualTo("2604:1380:4091:ce00::d");
    }

    @Test
    void shouldDecodeTcpWhenIpv6AtomicFragmentHeaderPrecedesIt() throws IOException {
        List<byte[]> packets = CaptureFrames.ipPacketsOf("zeek__ipv6-http-atomic-frag.pcap");
        byte[] request = packets.stream()
            .filter(p -> p.length == 40 + 8 + 20 + 15 && p[6] == Ipv6Header.FRAGMENT).findFirst().orElseThrow();

        view.wrap(request, 0, request.length);

        assertThat(view.hasFragmentHeader()).isTrue();
        assertThat(view.isAtomicFragment()).isTrue();
        assertThat(view.isFragment()).isFalse();
        assertThat(view.isTcp()).isTrue();
        assertThat(view.payloadLength()).isEqualTo(15);
        assertThat(view.destinationPort()).isEqualTo(80);
        assertThat(view.verifyTcpChecksum()).isZero();
    }

    @Test
    void shouldWalkExtensionHeaderChainWhenHopByHopRoutingAndDestinationOptionsPrecedeTcp() {
        byte[] plain = Ipv6Packets.tcpPacket(new byte[] {1, 2, 3});
        byte[] chained = Ipv6Packets.withExtensionHeaders(plain, new int[] {
            Ipv6Header.HOP_BY_HOP, Ipv6Header.ROUTING, Ipv6Header.DESTINATION_OPTIONS}, new int[] {8, 24, 16});

        view.wrap(chained, 0, chained.length);

        assertThat(view.protocol()).isEqualTo(6);
        assertThat(view.ipHeaderLength()).isEqualTo(40 + 8 + 24 + 16);
        assertThat(view.isTcp()).isTrue();
        assertThat(view.payloadLength()).isEqualTo(3);
        assertThat(view.buffer()[view.payloadOffset() + 2]).isEqualTo((byte) 3);
        assertThat(view.verifyTcpChecksum()).isZero();
    }

    @Test
    void shouldWalkAuthenticationHeaderWhenLengthIsInFourByteUnits() {
        byte[] plain = Ipv6Packets.tcpPacket(new byte[] {7});
        byte[] chained = Ipv6Packets.withExtensionHeaders(plain, new int[] {Ipv6Header.AUTHENTICATION},
            new int[] {24});
        chained[41] = 4;

        view.wrap(chained, 0, chained.length);

        assertThat(view.ipHeaderLength()).isEqualTo(40 + 24);
        assertThat(view.isTcp()).isTrue();
        assertThat(view.payloadLength()).isEqualTo(1);
    }

    @Test
    void shouldSkipIpv4OptionsWhenHeaderLengthIsMoreThanTwenty() throws IOException {
        byte[] packet = CaptureFrames.ipPacketsOf("zeek__http_get.pcap").get(3);
        byte[] withOptions = new byte[packet.length + 4];
        System.arraycopy(packet, 0, withOptions, 0, 20);
        withOptions[20] = 1;
        withOptions[21] = 1;
        withOptions[22] = 1;
        withOptions[23] = 0;
        System.arraycopy(packet, 20, withOptions, 24, packet.length - 20);
        withOptions[0] = 0x46;
        Ipv4Header.writeShort(withOptions, 2, withOptions.length);

        view.wrap(withOptions, 0, withOptions.length);

        assertThat(view.ipHeaderLength()).isEqualTo(24);
        assertThat(view.payloadLength()).isEqualTo(136);
        assertThat(view.verifyTcpChecksum()).isZero();
    }

    @Test
    void shouldNotDecodeTcpWhenPacketIsNonFirstIpv6Fragment() {
        byte[] plain = Ipv6Packets.tcpPacket(new byte[8]);
        byte[] fragment = Ipv6Packets.withExtensionHeaders(plain, new int[] {Ipv6Header.FRAGMENT}, new int[] {8});
        int fragmentHeader = 40;
        fragment[fragmentHeader + 3] = (byte) (0x08 | 1);

        view.wrap(fragment, 0, fragment.length);

        assertThat(view.isFragment()).isTrue();
        assertThat(view.fragmentOffset()).isEqualTo(8);
        assertThat(view.moreFragments()).isTrue();
        assertThat(view.isTcp()).isFalse();
    }

    @Test
    void shouldNotDecodeTcpWhenIpv4PacketIsFragment() throws IOException {
        byte[] packet = CaptureFrames.ipPacketsOf("zeek__http_get.pcap").get(3);
        packet[6] = (byte) (packet[6] | 0x20);

        view.wrap(packet, 0, packet.length);

        assertThat(view.isFragment()).isTrue();
        assertThat(view.isTcp()).isFalse();
    }

    @Test
    void shouldReportTruncationWhenSnaplenCutPayload() throws IOException {
        byte[] packet = CaptureFrames.ipPacketsOf("zeek__http_get.pcap").get(3);

        view.wrap(packet, 0, 70);

        assertThat(view.isTruncated()).isTrue();
        assertThat(view.payloadLength()).isEqualTo(136);
        assertThat(view.capturedPayloadLength()).isEqualTo(70 - 52);
        assertThat(view.verifyTcpChecksum()).isEqualTo(-1);
    }

    @Test
    void shouldIgnoreEthernetPaddingWhenCapturedLengthExceedsTotalLength() throws IOException {
        byte[] packet = CaptureFrames.ipPacketsOf("zeek__http_get.pcap").get(2);
        byte[] padded = java.util.Arrays.copyOf(packet, packet.length + 6);

        view.wrap(padded, 0, padded.length);

        assertThat(view.capturedLength()).isEqualTo(52);
        assertThat(view.payloadLength()).isZero();
    }

    @Test
    void shouldThrowWhenHeadersAreTruncatedOrInvalid() throws IOException {
        byte[] packet = CaptureFrames.ipPacketsOf("zeek__http_get.pcap").get(3);

        assertThatThrownBy(() -> view.wrap(packet, 0, 10))
            .isInstanceOf(PacketProtocolException.class)
            .hasMessage("IPv4 header: 10 bytes captured (expected: at least 20)");
        assertThatThrownBy(() -> view.wrap(packet, 0, 0)).hasMessageContaining("IP header: 0 bytes captured");
        assertThatThrownBy(() -> view.wrap(packet, 0, 30))
            .hasMessage("TCP header: 10 bytes captured (expected: at least 20)");
        assertThatThrownBy(() -> view.wrap(packet, 0, 40))
            .hasMessage("TCP header: 20 bytes captured (expected: the data offset, 32)");
        byte[] badVersion = packet.clone();
        badVersion[0] = 0x55;
        assertThatThrownBy(() -> view.wrap(badVersion, 0, badVersion.length))
            .hasMessage("IP version: 5 (expected: 4 or 6)");
        byte[] badHeaderLength = packet.clone();
        badHeaderLength[0] = 0x44;
        assertThatThrownBy(() -> view.wrap(badHeaderLength, 0, badHeaderLength.length))
            .hasMessage("IPv4 header length: 16 bytes (expected: 20 to 60)");
        byte[] badTotal = packet.clone();
        badTotal[2] = 0;
        badTotal[3] = 12;
        assertThatThrownBy(() -> view.wrap(badTotal, 0, badTotal.length))
            .hasMessageStartingWith("IPv4 total length: 12 (expected: at least the header length 20");
    }

    @Test
    void shouldThrowWhenTcpDataOffsetIsInvalid() throws IOException {
        byte[] packet = CaptureFrames.ipPacketsOf("zeek__http_get.pcap").get(3);
        byte[] small = packet.clone();
        small[20 + 12] = 0x40;
        assertThatThrownBy(() -> view.wrap(small, 0, small.length))
            .isInstanceOf(PacketProtocolException.class)
            .hasMessage("TCP data offset: 16 bytes (expected: 20 to 60)");
        byte[] beyond = CaptureFrames.ipPacketsOf("zeek__http_get.pcap").get(2);
        beyond[20 + 12] = (byte) 0xF0;
        assertThatThrownBy(() -> view.wrap(beyond, 0, beyond.length))
            .hasMessage("TCP data offset: 60 bytes (expected: at most the segment length, 32)");
    }

    @Test
    void shouldThrowWhenIpv6ExtensionHeaderIsTruncated() {
        byte[] plain = Ipv6Packets.tcpPacket(new byte[0]);
        byte[] chained = Ipv6Packets.withExtensionHeaders(plain, new int[] {Ipv6Header.ROUTING}, new int[] {24});

        assertThatThrownBy(() -> view.wrap(chained, 0, 40 + 16))
            .isInstanceOf(PacketProtocolException.class)
            .hasMessage("IPv6 extension header 43: 16 bytes captured (expected: its length, 24)");
        assertThatThrownBy(() -> view.wrap(chained, 0, 39))
            .hasMessage("IPv6 header: 39 bytes captured (expected: at least 40)");
    }

    @Test
    void shouldFlagMalformedOptionsWhenOptionLengthIsInvalid() throws IOException {
        byte[] packet = CaptureFrames.ipPacketsOf("zeek__http_get.pcap").get(0);
        packet[20 + 20 + 1] = 0;

        view.wrap(packet, 0, packet.length);

        assertThat(view.isTcp()).isTrue();
        assertThat(view.optionsMalformed()).isTrue();
        assertThat(view.options().mss()).isEqualTo(-1);
    }
}
