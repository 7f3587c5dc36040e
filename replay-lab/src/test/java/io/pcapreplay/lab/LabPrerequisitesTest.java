package io.pcapreplay.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.LabPrerequisites.Decision;
import io.pcapreplay.lab.LabPrerequisites.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabPrerequisitesTest {

    @Test
    void shouldRunWhenNothingIsMissing() {
        assertThat(LabPrerequisites.decide(false, true, List.of()).outcome()).isEqualTo(Outcome.RUN);
        assertThat(LabPrerequisites.decide(false, false, List.of()).outcome()).isEqualTo(Outcome.RUN);
    }

    @Test
    void shouldSkipWithReasonWhenSomethingIsMissingOutsideCi() {
        Decision decision = LabPrerequisites.decide(false, false, List.of("command tcpdump"));

        assertThat(decision.outcome()).isEqualTo(Outcome.SKIP);
        assertThat(decision.reason()).contains("command tcpdump").contains("apt-get install").contains("CI=true");
    }

    @Test
    void shouldFailWhenSomethingIsMissingUnderCi() {
        Decision decision = LabPrerequisites.decide(false, true, List.of("root (effective uid 0; run with sudo)"));

        assertThat(decision.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(decision.reason()).contains("root").contains("CI=true").contains("lab.skip=true");
    }

    @Test
    void shouldSkipOnPurposeWhenLabSkipIsSetEvenUnderCi() {
        Decision decision = LabPrerequisites.decide(true, true, List.of("command nginx"));

        assertThat(decision.outcome()).isEqualTo(Outcome.SKIP);
        assertThat(decision.reason()).contains("on purpose").contains("lab.skip=true");
    }

    @Test
    void shouldReadCiFromEnvironmentWhenTrue() {
        assertThat(LabPrerequisites.isCi(Map.of("CI", "true"))).isTrue();
        assertThat(LabPrerequisites.isCi(Map.of("CI", "TRUE "))).isTrue();
        assertThat(LabPrerequisites.isCi(Map.of("CI", "false"))).isFalse();
        assertThat(LabPrerequisites.isCi(Map.of())).isFalse();
    }

    @Test
    void shouldFindToolsWhenOnPath() {
        assertThat(LabPrerequisites.onPath("sh")).isTrue();
        assertThat(LabPrerequisites.onPath("no-such-tool-for-the-lab")).isFalse();
    }
}
