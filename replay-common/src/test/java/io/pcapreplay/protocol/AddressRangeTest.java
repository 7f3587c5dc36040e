package io.pcapreplay.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressRangeTest {

    @Test
    void shouldContainAddressesWhenInsideTheBlock() {
        AddressRange range = AddressRange.parse("198.18.0.0/15");

        assertThat(range.contains(new byte[] {(byte) 198, 18, 0, 1})).isTrue();
        assertThat(range.contains(new byte[] {(byte) 198, 19, (byte) 255, (byte) 255})).isTrue();
        assertThat(range.contains(new byte[] {(byte) 198, 20, 0, 0})).isFalse();
        assertThat(range.contains(new byte[] {(byte) 198, 17, (byte) 255, (byte) 255})).isFalse();
        assertThat(range.contains(new byte[16])).isFalse();
        assertThat(range).hasToString("198.18.0.0/15");
    }

    @Test
    void shouldHandleIpv6WhenPrefixIsNotByteAligned() {
        AddressRange range = AddressRange.parse("2001:2::/47");

        assertThat(range.contains(AddressRange.parse("2001:2:1:0:0:0:0:1").address())).isTrue();
        assertThat(range.contains(AddressRange.parse("2001:2:2::").address())).isFalse();
        assertThat(AddressRange.parse("::/0").contains(new byte[16])).isTrue();
    }

    @Test
    void shouldOverlapWhenOneContainsTheOther() {
        AddressRange wide = AddressRange.parse("198.18.0.0/16");

        assertThat(wide.overlaps(AddressRange.parse("198.18.5.0/24"))).isTrue();
        assertThat(AddressRange.parse("198.18.5.0/24").overlaps(wide)).isTrue();
        assertThat(wide.overlaps(AddressRange.parse("198.19.0.0/16"))).isFalse();
        assertThat(wide.overlaps(AddressRange.parse("::/0"))).isFalse();
    }

    @Test
    void shouldRejectTextWhenNotALiteralCidr() {
        assertThatThrownBy(() -> AddressRange.parse("example.org/24"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(expected: CIDR");
        assertThatThrownBy(() -> AddressRange.parse("198.18.0.256/32"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..255");
        assertThatThrownBy(() -> AddressRange.parse("198.18.0.0/x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix");
        assertThatThrownBy(() -> AddressRange.parse("198.18.0.1/15"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host bits set");
        assertThatThrownBy(() -> AddressRange.parse("2001:2::/129"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..128");
    }

    @Test
    void shouldBeASingleHostWhenPrefixIsOmitted() {
        assertThat(AddressRange.parse("198.18.0.7").prefixLength()).isEqualTo(32);
        assertThat(AddressRange.parse("2001:2::7").prefixLength()).isEqualTo(128);
    }
}
