package io.pcapreplay.tcp;

import static io.pcapreplay.tcp.RetransmissionTimeout.DEFAULT_MAXIMUM_MICROS;
import static io.pcapreplay.tcp.RetransmissionTimeout.DEFAULT_MINIMUM_MICROS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetransmissionTimeoutTest {

    @Test
    void shouldSeedEstimatorWhenFirstSampleArrives() {
        int srtt = RetransmissionTimeout.smoothedRtt(0, 80_000);
        int variance = RetransmissionTimeout.rttVariance(0, 0, 80_000);
        assertThat(srtt).isEqualTo(80_000);
        assertThat(variance).isEqualTo(40_000);
        // 80 ms + 4 * 40 ms
        assertThat(RetransmissionTimeout.timeout(srtt, variance, DEFAULT_MINIMUM_MICROS, DEFAULT_MAXIMUM_MICROS))
                .isEqualTo(240_000);
    }

    @Test
    void shouldSmoothWithOneEighthAndOneQuarterWhenMoreSamplesArrive() {
        int srtt = 80_000;
        int variance = 40_000;
        int sample = 160_000;
        int newVariance = RetransmissionTimeout.rttVariance(srtt, variance, sample);
        int newSrtt = RetransmissionTimeout.smoothedRtt(srtt, sample);
        assertThat(newVariance).isEqualTo(40_000 + (80_000 - 40_000) / 4);
        assertThat(newSrtt).isEqualTo(80_000 + 80_000 / 8);
    }

    @Test
    void shouldClampToMinimumWhenRttIsTiny() {
        int srtt = RetransmissionTimeout.smoothedRtt(0, 50);
        int variance = RetransmissionTimeout.rttVariance(0, 0, 50);
        assertThat(RetransmissionTimeout.timeout(srtt, variance, DEFAULT_MINIMUM_MICROS, DEFAULT_MAXIMUM_MICROS))
                .isEqualTo(DEFAULT_MINIMUM_MICROS);
    }

    @Test
    void shouldDoubleUpToMaximumWhenBackingOff() {
        int rto = RetransmissionTimeout.INITIAL_MICROS;
        for (int i = 0; i < 10; i++) {
            rto = RetransmissionTimeout.backOff(rto, DEFAULT_MAXIMUM_MICROS);
        }
        assertThat(rto).isEqualTo(DEFAULT_MAXIMUM_MICROS);
        assertThat(RetransmissionTimeout.backOff(300_000, DEFAULT_MAXIMUM_MICROS)).isEqualTo(600_000);
    }
}
