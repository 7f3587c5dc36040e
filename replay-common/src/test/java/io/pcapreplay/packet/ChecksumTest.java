package io.pcapreplay.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ChecksumTest {

    @Test
    void shouldMatchRfc1071ExampleWhenSummingEightBytes() {
        byte[] bytes = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};

        assertThat(Checksum.fold(Checksum.add(0, bytes, 0, bytes.length))).isEqualTo(0xddf2);
        assertThat(Checksum.compute(bytes, 0, bytes.length)).isEqualTo(~0xddf2 & 0xFFFF);
    }

    @Test
    void shouldPadWithZeroWhenLengthIsOdd() {
        byte[] bytes = {0x12, 0x34, 0x56};

        assertThat(Checksum.fold(Checksum.add(0, bytes, 0, 3))).isEqualTo(0x1234 + 0x5600);
    }

    @Test
    void shouldEqualFullRecomputationWhenUpdatedIncrementally() throws IOException {
        byte[] packet = CaptureFrames.ipPacketsOf("zeek__http_get.pcap").get(3);
        int before = Ipv4Header.checksum(packet, 0);
        int oldTtlWord = Ipv4Header.readShort(packet, Ipv4Header.TTL_OFFSET);
        packet[Ipv4Header.TTL_OFFSET]--;
        int newTtlWord = Ipv4Header.readShort(packet, Ipv4Header.TTL_OFFSET);

        int updated = Checksum.update(before, oldTtlWord, newTtlWord);

        Ipv4Header.writeShort(packet, Ipv4Header.CHECKSUM_OFFSET, 0);
        assertThat(updated).isEqualTo(Checksum.compute(packet, 0, 20));
    }

    @Test
    void shouldNotOverflowWhenSummingHugeSegment() {
        byte[] bytes = new byte[200_000];
        java.util.Arrays.fill(bytes, (byte) 0xFF);

        assertThat(Checksum.compute(bytes, 0, bytes.length)).isZero();
    }

    @Test
    void shouldGiveSameSumWhenAddedInPieces() {
        byte[] bytes = new byte[37];
        for (int index = 0; index < bytes.length; index++) {
            bytes[index] = (byte) (index * 31 + 7);
        }
        long pieces = Checksum.add(Checksum.add(0, bytes, 0, 10), bytes, 10, 27);

        assertThat(Checksum.finish(pieces)).isEqualTo(Checksum.compute(bytes, 0, 37));
    }
}
