package io.pcapreplay.packet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TcpSequenceTest {

    @Test
    void shouldOrderAcrossWrapWhenNumbersStraddleTwoToThe32() {
        int high = 0xFFFF_FFF0;
        int low = 0x10;

        assertThat(TcpSequence.before(high, low)).isTrue();
        assertThat(TcpSequence.after(low, high)).isTrue();
        assertThat(TcpSequence.beforeOrEqual(high, high)).isTrue();
        assertThat(TcpSequence.afterOrEqual(high, low)).isFalse();
        assertThat(TcpSequence.distance(high, low)).isEqualTo(0x20);
        assertThat(TcpSequence.distance(low, high)).isEqualTo(-0x20);
        assertThat(TcpSequence.add(high, 0x20)).isEqualTo(low);
        assertThat(TcpSequence.max(high, low)).isEqualTo(low);
        assertThat(TcpSequence.min(high, low)).isEqualTo(high);
        assertThat(TcpSequence.inWindow(0x2, high, low)).isTrue();
        assertThat(TcpSequence.inWindow(low, high, low)).isFalse();
    }

    @Test
    void shouldUseLow32BitsWhenGivenLongs() {
        long high = 0xFFFF_FFF0L;
        long low = 0x1_0000_0010L;

        assertThat(TcpSequence.before(high, low)).isTrue();
        assertThat(TcpSequence.after(low, high)).isTrue();
        assertThat(TcpSequence.beforeOrEqual(high, 0xFFFF_FFF0L)).isTrue();
        assertThat(TcpSequence.afterOrEqual(low, 0x10L)).isTrue();
        assertThat(TcpSequence.distance(high, low)).isEqualTo(0x20);
        assertThat(TcpSequence.toUnsigned(-1)).isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void shouldTreatHalfSpaceAsLimitWhenDistanceIsTwoToThe31() {
        assertThat(TcpSequence.before(0, 0x7FFF_FFFF)).isTrue();
        assertThat(TcpSequence.before(0, 0x8000_0001)).isFalse();
        assertThat(TcpSequence.after(0, 0x8000_0001)).isTrue();
    }

    @Test
    void shouldFormatFlagsWhenSeveralAreSet() {
        assertThat(TcpFlag.toString(TcpHeader.SYN | TcpHeader.ACK)).isEqualTo("SYN|ACK");
        assertThat(TcpFlag.toString(0)).isEqualTo("none");
        assertThat(TcpFlag.FIN.isSet(TcpHeader.FIN | TcpHeader.PSH)).isTrue();
        assertThat(TcpFlag.CWR.bit()).isEqualTo(0x80);
    }
}
