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
 * examples/pcaps/http-keepalive.pcap replayed by 1,000 users at once (2,000 connections: each user replays both
 * recorded sessions, from its own fake endpoints in 198.18.64.0/21) against nginx (2 workers, reuseport) in the
 * target namespace, through the real agent jar.
 */
@LabTest
class EngineLoadLabIT {

    private static final int USERS = 1_000;
    private static RecordedNginx nginx;
    private static LabAgent agent;
    private static List<RecordedSession> sessions;

    @BeforeAll
    static void start(Lab lab) throws Exception {
        nginx = RecordedNginx.start(lab, "load-nginx", 80);
        agent = LabAgent.start(lab);
        sessions = EngineReplayLabIT.keepAliveSessions();
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void shouldCompleteEverySessionWhenAThousandUsersReplayAtOnce(Lab lab) throws Exception {
        EngineConfig config = EngineLab.config(lab, "198.18.64.0/21", 80)
            .response(EngineReplayLabIT.WAIT, Duration.ofMillis(300)).connect(Duration.ofSeconds(10), 4)
            .inboundQueueCapacity(1 << 16).expectedSessions(4_096).build();
        EngineLab.Run run;
        try (EngineLab engineLab = EngineLab.start(lab, agent, config, 0)) {
            run = engineLab.start(sessions, USERS).await(Duration.ofSeconds(60));
        }

        System.out.println("1,000 users: " + run);
        assertThat(run.finished()).as(run.toString()).isTrue();
        assertThat(run.results()).hasSize(USERS * 4);
        assertThat(run.outcomes()).as(run.toString()).containsOnlyKeys(Outcome.OK);
        assertThat(run.completedSessions()).isEqualTo(2L * USERS);
        assertThat(run.stats().openSessions()).isZero();
        List<String> log = nginx.accessLog("198.18.");
        assertThat(log).hasSize(USERS * 4)
            .containsExactlyInAnyOrderElementsOf(EngineReplayLabIT.recordedRequests(USERS));
    }
}
