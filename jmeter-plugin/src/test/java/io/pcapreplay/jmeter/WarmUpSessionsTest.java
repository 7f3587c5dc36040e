package io.pcapreplay.jmeter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.net.ReplayRuntime;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Warm-up sessions against a target that never answers: each ends with its connect timeout. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WarmUpSessionsTest {

    @AfterEach
    void stop() {
        ReplayRuntime.stopAll();
    }

    @Test
    void shouldWaitForEveryWarmUpSessionAndCountItsExchangesWhenTheyEndWithinTheLimit() throws Exception {
        WarmUpSessions.Result result = WarmUpSessions.run(EngineUsersTest.runtime("198.18.44.*"),
            EngineUsersTest.source(), new HttpReplay(), "", 5, Duration.ofSeconds(30));

        assertThat(result.started()).isEqualTo(5);
        assertThat(result.ended()).isEqualTo(5);
        assertThat(result.ok()).isZero();
        assertThat(result.failed()).as("connect timeouts: nobody answers").isEqualTo(5);
    }

    @Test
    void shouldStopWaitingAtTheLimitWhenSessionsAreStillUnderWay() throws Exception {
        ReplayRuntime runtime = EngineUsersTest.runtime("198.18.45.*", Duration.ofSeconds(30));

        WarmUpSessions.Result result = WarmUpSessions.run(runtime, EngineUsersTest.source(), new HttpReplay(), "", 3,
            Duration.ofMillis(200));

        assertThat(result.started()).isEqualTo(3);
        assertThat(result.ended()).as("a 30-s connect timeout: none ended").isZero();
        assertThat(result.elapsed()).isBetween(Duration.ofMillis(200), Duration.ofSeconds(10));
    }
}
