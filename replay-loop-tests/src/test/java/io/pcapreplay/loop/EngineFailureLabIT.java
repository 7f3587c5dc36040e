package io.pcapreplay.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.EngineConfig;
import io.pcapreplay.tcp.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A target that refuses, and one that dies while sessions run: every session ends with a failure outcome within
 * the engine's timeouts, none hangs.
 */
@LabTest
class EngineFailureLabIT {

    private static final Duration BOUND = Duration.ofSeconds(30);
    private static LabAgent agent;
    private static List<RecordedSession> sessions;

    @BeforeAll
    static void start(Lab lab) throws Exception {
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
    void shouldReportRefusedWhenNothingListens(Lab lab) throws Exception {
        EngineConfig config = EngineLab.config(lab, "198.18.80.0/24", 81).build();
        EngineLab.Run run;
        try (EngineLab engineLab = EngineLab.start(lab, agent, config, 0)) {
            run = engineLab.start(sessions, 10).await(BOUND);
        }

        assertThat(run.finished()).as(run.toString()).isTrue();
        assertThat(run.results()).as(run.toString()).hasSize(20)
            .allSatisfy(result -> assertThat(result.outcome()).isEqualTo(Outcome.REFUSED));
        assertThat(run.stats().openSessions()).isZero();
    }

    @Test
    void shouldEndEverySessionWhenTheTargetDiesMidway(Lab lab) throws Exception {
        RecordedNginx nginx = RecordedNginx.start(lab, "dying-nginx", 8080);
        // think times (0.2 s recorded) stretched to 2 s: the 3-exchange sessions are mid-way when nginx dies
        EngineConfig config = EngineLab.config(lab, "198.18.81.0/24", 8080).speedFactor(0.1)
            .response(Duration.ofSeconds(5), Duration.ofMillis(300)).closing(Duration.ofSeconds(3),
                Duration.ofSeconds(2)).retransmission(4, 200_000, 1_000_000).build();
        int copies = 50;
        EngineLab.Run run;
        try (EngineLab engineLab = EngineLab.start(lab, agent, config, 0)) {
            EngineLab.Batch batch = engineLab.start(sessions, copies);
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (batch.resultCount() < 2 * copies && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(batch.resultCount()).as("first exchanges done before the kill").isGreaterThanOrEqualTo(copies);
            nginx.process().kill();
            run = batch.await(BOUND);
        }

        System.out.println("target died: " + run);
        assertThat(run.finished()).as(run.toString()).isTrue();
        Map<Outcome, Integer> outcomes = run.outcomes();
        assertThat(outcomes.keySet()).as(run.toString())
            .isSubsetOf(Outcome.OK, Outcome.RESET, Outcome.TIMEOUT, Outcome.CLOSED_EARLY);
        int failures = outcomes.getOrDefault(Outcome.RESET, 0) + outcomes.getOrDefault(Outcome.TIMEOUT, 0)
            + outcomes.getOrDefault(Outcome.CLOSED_EARLY, 0);
        assertThat(failures).as("the 3-exchange sessions cut short: %s", run).isGreaterThanOrEqualTo(copies);
        assertThat(run.completedSessions()).as(run.toString()).isLessThanOrEqualTo(copies);
        assertThat(run.stats().openSessions()).isZero();
    }
}
