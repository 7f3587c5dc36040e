package io.pcapreplay.jmeter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.net.ReplayRuntime;
import io.pcapreplay.tcp.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Warm-up sessions before engine-driven users, against a target that never answers: each ends with its timeout. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WarmUpSessionsTest {

    @AfterEach
    void stop() {
        EngineUsers.stopAll();
        ReplayRuntime.stopAll();
    }

    @Test
    void shouldStartTheUsersOnlyAfterEveryWarmUpSessionEndedWhenTheyEndWithinTheLimit() throws Exception {
        WarmUpSessions warmUp = new WarmUpSessions(5, Duration.ofSeconds(30));
        long before = System.nanoTime();
        EngineUsers users = new EngineUsers(EngineUsersTest.runtime("198.18.44.*"), EngineUsersTest.source(), 2, 1,
            Long.MAX_VALUE, 100).warmUp(warmUp).start(Duration.ZERO);

        List<EngineUsers.Finished> published = EngineUsersTest.drain(users);

        WarmUpSessions.Result result = warmUp.result();
        assertThat(result.started()).isEqualTo(5);
        assertThat(result.ended()).isEqualTo(5);
        assertThat(result.ok()).isZero();
        assertThat(result.failed()).as("connect timeouts: nobody answers").isEqualTo(5);
        assertThat(published).as("the users' exchanges only: a failed warm-up exchange is not published")
            .hasSize(2).allSatisfy(finished -> {
                assertThat(finished.warmUp()).isFalse();
                assertThat(finished.result().outcome()).isEqualTo(Outcome.TIMEOUT);
                assertThat(finished.result().startNanos() - before).as("started after the warm-up ended")
                    .isGreaterThanOrEqualTo(result.elapsed().toNanos());
            });
    }

    @Test
    void shouldStartTheUsersAtTheLimitWhenWarmUpSessionsAreStillUnderWay() throws Exception {
        WarmUpSessions warmUp = new WarmUpSessions(3, Duration.ofMillis(200));
        EngineUsers users = new EngineUsers(EngineUsersTest.runtime("198.18.45.*", Duration.ofSeconds(30)),
            EngineUsersTest.source(), 1, 1, Long.MAX_VALUE, 100).warmUp(warmUp).start(Duration.ZERO);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (users.activeUsers() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        assertThat(users.activeUsers()).as("the user's session runs, the warm-up's 30-s connects still waiting")
            .isEqualTo(1);
        WarmUpSessions.Result result = warmUp.result();
        assertThat(result.started()).isEqualTo(3);
        assertThat(result.ended()).as("a 30-s connect timeout: none ended").isZero();
        assertThat(result.elapsed()).isBetween(Duration.ofMillis(200), Duration.ofSeconds(10));
    }
}
