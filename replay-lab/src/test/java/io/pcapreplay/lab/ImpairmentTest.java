package io.pcapreplay.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImpairmentTest {

    @Test
    void shouldCombineLossAndReorderWhenChained() {
        Impairment impairment = Impairment.loss(5).reorder(25).slowPathRate("500kbit");

        assertThat(impairment).isEqualTo(new Impairment(5, 25, "500kbit"));
        assertThat(Impairment.reorderOnly(10).lossPercent()).isZero();
        assertThat(Impairment.loss(3).slowPathRate()).isEqualTo(Impairment.DEFAULT_SLOW_PATH_RATE);
    }

    @Test
    void shouldRejectWhenAShareIsNoPercentage() {
        assertThatThrownBy(() -> Impairment.loss(101)).hasMessage("impairment loss: 101% (expected: 0-100)");
        assertThatThrownBy(() -> Impairment.loss(1).reorder(-1))
                .hasMessage("impairment reorder: -1% (expected: 0-100)");
    }

    @Test
    void shouldRejectWhenTheRateIsNoTcRate() {
        assertThatThrownBy(() -> Impairment.loss(1).slowPathRate("fast; rm -rf"))
                .hasMessageStartingWith("impairment slow path rate: fast; rm -rf (expected: a tc rate");
    }
}
