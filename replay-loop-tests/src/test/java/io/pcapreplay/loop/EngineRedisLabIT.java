package io.pcapreplay.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.EngineConfig;
import io.pcapreplay.tcp.Outcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A redis session recorded in the lab ({@link RecordedRedis}: SET two keys, INCR a counter, GET), replayed by many
 * users against a fresh redis (port 6380): afterwards the keys hold the recorded values and the counter counts every
 * user.
 */
@LabTest
class EngineRedisLabIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int FRESH_PORT = 6380;
    private static LabAgent agent;
    private static List<RecordedSession> sessions;

    @BeforeAll
    static void start(Lab lab) throws Exception {
        lab.target().startRedis(6379);
        lab.target().startRedis(FRESH_PORT);
        agent = LabAgent.start(lab);
        sessions = RecordedRedis.record(lab);
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void shouldLeaveTheRecordedKeysWhenReplayedAgainstAFreshRedis(Lab lab) throws Exception {
        assertThat(redis(lab, FRESH_PORT, "DBSIZE")).isEqualTo("0");
        int copies = 50;
        EngineConfig config = EngineLab.config(lab, "198.18.90.0/24", FRESH_PORT)
            .response(TIMEOUT, Duration.ofMillis(300)).build();
        EngineLab.Run run;
        try (EngineLab engineLab = EngineLab.start(lab, agent, config, 0)) {
            run = engineLab.start(sessions, copies).await(TIMEOUT.multipliedBy(2));
        }

        System.out.println("redis: " + run);
        assertThat(run.finished()).as(run.toString()).isTrue();
        assertThat(run.results()).hasSize(4 * copies);
        assertThat(run.outcomes()).as(run.toString()).containsOnlyKeys(Outcome.OK);
        assertThat(redis(lab, FRESH_PORT, "GET", "replay:key1")).isEqualTo("value-one");
        assertThat(redis(lab, FRESH_PORT, "GET", "replay:key2")).isEqualTo("value-two");
        assertThat(redis(lab, FRESH_PORT, "GET", "replay:counter")).isEqualTo(Integer.toString(copies));
        assertThat(redis(lab, FRESH_PORT, "DBSIZE")).isEqualTo("3");
    }

    private static String redis(Lab lab, int port, String... command) {
        return RecordedRedis.redis(lab, port, command);
    }
}
