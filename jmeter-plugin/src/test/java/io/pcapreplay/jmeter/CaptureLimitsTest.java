package io.pcapreplay.jmeter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pcapreplay.pcap.CaptureOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reading limits come from -Jpcapreplay.* properties; a bad value names the property and the rule. */
class CaptureLimitsTest {

    @Test
    void shouldUseTheDefaultsWhenNoPropertyIsSet() {
        CaptureLimits limits = CaptureLimits.read(name -> null);

        assertThat(limits.options()).isEqualTo(CaptureOptions.defaults());
        assertThat(limits.randomWindow()).isEqualTo(SessionSource.DEFAULT_LOOK_AHEAD);
    }

    @Test
    void shouldTakeEachLimitFromItsPropertyWhenSet() {
        Map<String, String> properties = Map.of("pcapreplay.maxSessionMiB", "8", "pcapreplay.maxOpenSessions",
            "5000", "pcapreplay.maxWindowMiB", " 32 ", "pcapreplay.idleSeconds", "60", "pcapreplay.randomWindow", "10");

        CaptureLimits limits = CaptureLimits.read(properties::get);

        assertThat(limits.options().maxSessionBytes()).isEqualTo(8L << 20);
        assertThat(limits.options().maxOpenSessions()).isEqualTo(5000);
        assertThat(limits.options().maxWindowBytes()).isEqualTo(32L << 20);
        assertThat(limits.options().idleNanos()).isEqualTo(60_000_000_000L);
        assertThat(limits.randomWindow()).isEqualTo(10);
    }

    @Test
    void shouldNameThePropertyAndTheRuleWhenAValueIsBad() {
        assertThatThrownBy(() -> CaptureLimits.read(Map.of("pcapreplay.maxSessionMiB", "2048")::get))
            .hasMessage("property pcapreplay.maxSessionMiB: '2048' (expected: a whole number from 1 to 1024)");
        assertThatThrownBy(() -> CaptureLimits.read(Map.of("pcapreplay.maxOpenSessions", "many")::get))
            .hasMessageStartingWith("property pcapreplay.maxOpenSessions: 'many' (expected: a whole number from 1");
    }
}
