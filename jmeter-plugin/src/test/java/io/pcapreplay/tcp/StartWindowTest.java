package io.pcapreplay.tcp;

import static io.pcapreplay.tcp.EngineHarness.MS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartWindowTest {

    @Test
    void shouldStartAtTheInitialWindowAndGrowByOnePerAnswerUpToTheCeiling() {
        StartWindow window = new StartWindow(300);

        assertThat(window.limit()).isEqualTo(StartWindow.INITIAL);
        for (int answer = 0; answer < 100; answer++) {
            window.onAnswered();
        }

        assertThat(window.limit()).as("never above the half-open cap").isEqualTo(300);
    }

    @Test
    void shouldHalveOncePerBackOffIntervalWhenSynsGoUnanswered() {
        StartWindow window = new StartWindow(10_000);
        for (int answer = 0; answer < 744; answer++) {
            window.onAnswered();
        }
        assertThat(window.limit()).isEqualTo(1_000);

        window.onLost(5_000 * MS);
        window.onLost(5_500 * MS); // the same burst's losses
        assertThat(window.limit()).isEqualTo(500);
        window.onLost(6_000 * MS);

        assertThat(window.limit()).isEqualTo(250);
        assertThat(window.backOffs()).isEqualTo(2);
        assertThat(window.lowest()).isEqualTo(250);
    }

    @Test
    void shouldGrowByAboutOnePerWindowAfterACutAndNeverShrinkBelowTheMinimum() {
        StartWindow window = new StartWindow(10_000);
        for (int cut = 0; cut < 10; cut++) {
            window.onLost(cut * 2_000 * MS);
        }
        assertThat(window.limit()).isEqualTo(StartWindow.MINIMUM);

        for (int answer = 0; answer < 2 * StartWindow.MINIMUM; answer++) {
            window.onAnswered();
        }

        assertThat(window.limit()).as("congestion avoidance: about one more per window of answers")
            .isEqualTo(StartWindow.MINIMUM + 1);
    }
}
