package io.pcapreplay.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IpTcpEncoderTest {

    private static final int CLIENT = 0xC612_0001;
    private static final int SERVER = 0xC613_0002;

    private final IpTcpView view = new IpTcpView();

    @Test
    void shouldDecodeWhatWasEncodedWhenIpv4WithOptionsAndPayload() {
        IpTcpEncoder encoder = new IpTcpEncoder().ipv4(CLIENT, SERVER).ports(40001, 8080)
            .sequence(0xFFFF_FFF0).acknowledgment(77).flags(TcpHeader.SYN).window(29200).hopLimit(61);
        encoder.options().mss(1460).windowScale(7).sackPermitted(true).timestamps(123456, 0);
        byte[] payload = "hello".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[200];

        int length = encoder.encode(out, 10, payload, 0, payload.length);

        assertThat(length).isEqualTo(20 + 20 + 20 + 5);
        view.wrap(out, 10, length);
        assertThat(view.sourceV4()).isEqualTo(CLIENT);
        assertThat(view.destinationV4()).isEqualTo(SERVER);
        assertThat(view.sourcePort()).isEqualTo(40001);
        assertThat(view.destinationPort()).isEqualTo(8080);
        assertThat(view.sequence()).isEqualTo(0xFFFF_FFF0);
        assertThat(view.acknowledgment()).isEqualTo(77);
        assertThat(view.flags()).isEqualTo(TcpHeader.SYN);
        assertThat(view.window()).isEqualTo(29200);
        assertThat(view.hopLimit()).isEqualTo(61);
        assertThat(view.options().mss()).isEqualTo(1460);
        assertThat(view.options().windowScale()).isEqualTo(7);
        assertThat(view.options().sackPermitted()).isTrue();
        assertThat(view.options().timestampValue()).isEqualTo(123456);
        assertThat(view.payloadLength()).isEqualTo(5);
        assertThat(new String(out, view.payloadOffset(), 5, StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(Ipv4Header.verifyChecksum(out, 10)).isZero();
        assertThat(view.verifyTcpChecksum()).isZero();
    }

    @Test
    void shouldDecodeWhatWasEncodedWhenIpv6WithSackBlocks() {
        IpTcpEncoder encoder = new IpTcpEncoder()
            .ipv6(Ipv6Packets.SOURCE_HIGH, 5, Ipv6Packets.DESTINATION_HIGH, 6).ports(50000, 443)
            .flags(TcpHeader.ACK | TcpHeader.AE).trafficClass(0x28).flowLabel(0x12345);
        encoder.options().timestamps(1, 2).sackBlocks(new int[] {100, 200, 300, 400}, 2);
        byte[] out = new byte[encoder.headerLength() + 3];

        int length = encoder.encode(out, 0, new byte[] {9, 8, 7}, 0, 3);

        view.wrap(out, 0, length);
        assertThat(view.version()).isEqualTo(6);
        assertThat(view.trafficClass()).isEqualTo(0x28);
        assertThat(Ipv6Header.flowLabel(out, 0)).isEqualTo(0x12345);
        assertThat(view.flags()).isEqualTo(TcpHeader.ACK | TcpHeader.AE);
        assertThat(view.options().sackBlockCount()).isEqualTo(2);
        assertThat(view.options().sackLeft(1)).isEqualTo(300);
        assertThat(view.options().sackRight(1)).isEqualTo(400);
        assertThat(view.options().hasTimestamps()).isTrue();
        assertThat(view.payloadLength()).isEqualTo(3);
        assertThat(view.verifyTcpChecksum()).isZero();
        assertThat(view.sourceAddress().getHostAddress()).isEqualTo("2001:2:0:0:0:0:0:5");
    }

    @Test
    void shouldReproduceRealFrameByteForByteWhenFieldsAreCopied() throws IOException {
        for (int index : new int[] {1, 3}) {
            byte[] original = CaptureFrames.ipPacketsOf("zeek__http_get.pcap").get(index);
            view.wrap(original, 0, original.length);
            IpTcpEncoder encoder = new IpTcpEncoder().ipv4(view.sourceV4(), view.destinationV4())
                .ports(view.sourcePort(), view.destinationPort()).sequence(view.sequence())
                .acknowledgment(view.acknowledgment()).flags(view.flags()).window(view.window())
                .hopLimit(view.hopLimit()).identification((int) view.fragmentId()).dontFragment(view.dontFragment());
            TcpOptions options = encoder.options().mss(view.options().mss())
                .windowScale(view.options().windowScale()).sackPermitted(view.options().sackPermitted());
            options.timestamps(view.options().timestampValue(), view.options().timestampEcho());
            byte[] out = new byte[original.length];

            int length = encoder.encode(out, 0, original, view.payloadOffset(), view.payloadLength());

            assertThat(length).isEqualTo(original.length);
            assertThat(out).as("frame " + index).isEqualTo(original);
        }
    }

    @Test
    void shouldThrowWhenOutputBufferIsTooSmall() {
        IpTcpEncoder encoder = new IpTcpEncoder().ipv4(CLIENT, SERVER);

        assertThatThrownBy(() -> encoder.encode(new byte[50], 0, new byte[20], 0, 20))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("output buffer: 50 bytes left (expected: at least 60)");
    }

    @Test
    void shouldThrowWhenPacketExceedsIpLengthField() {
        IpTcpEncoder encoder = new IpTcpEncoder().ipv4(CLIENT, SERVER);
        byte[] big = new byte[70000];

        assertThatThrownBy(() -> encoder.encode(big, 0, big, 0, 65500))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("IPv4 packet length: 65540 bytes (expected: at most 65535");
    }

    @Test
    void shouldThrowWhenOptionsExceedFortyBytes() {
        IpTcpEncoder encoder = new IpTcpEncoder().ipv4(CLIENT, SERVER);
        encoder.options().mss(1460).windowScale(2).timestamps(1, 1).sackBlocks(new int[8], 3);

        assertThatThrownBy(() -> encoder.encode(new byte[200], 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("TCP options: 48 bytes (expected: at most 40");
    }

    @Test
    void shouldRejectOutOfRangeFieldsWhenSet() {
        IpTcpEncoder encoder = new IpTcpEncoder();

        assertThatThrownBy(() -> encoder.ports(70000, 1)).hasMessage("source port: 70000 (expected: 0 to 65535)");
        assertThatThrownBy(() -> encoder.options().windowScale(15))
            .hasMessage("window scale: 15 (expected: 0 to 14, or -1 for none)");
        assertThatThrownBy(() -> encoder.hopLimit(0)).hasMessage("hop limit: 0 (expected: 1 to 255)");
    }

    @Test
    void shouldCopyPayloadWhenItIsAlreadyInTheOutputBuffer() {
        IpTcpEncoder encoder = new IpTcpEncoder().ipv4(CLIENT, SERVER);
        byte[] out = new byte[100];
        Arrays.fill(out, 40, 50, (byte) 'x');

        int length = encoder.encode(out, 0, out, 40, 10);

        view.wrap(out, 0, length);
        assertThat(out[view.payloadOffset() + 9]).isEqualTo((byte) 'x');
        assertThat(view.verifyTcpChecksum()).isZero();
    }
}
