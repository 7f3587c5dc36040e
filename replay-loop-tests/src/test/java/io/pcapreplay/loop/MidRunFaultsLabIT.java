package io.pcapreplay.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.net.AgentLink;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.EngineConfig;
import io.pcapreplay.tcp.ExchangeResult;
import io.pcapreplay.tcp.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults in the middle of a run, with the real agent jar and nginx killed by PID: the agent killed and restarted (the
 * link reconnects, re-registers its range, the exchanges in flight end with AGENT_LOST, sessions started while it was
 * away wait for it, later sessions succeed); the target killed and restarted (failures, then recovery, nothing
 * hangs).
 */
@LabTest
@Timeout(180)
class MidRunFaultsLabIT {

    private static final Duration BOUND = Duration.ofSeconds(40);
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
    void shouldFailTheExchangesInFlightWithAgentLostAndReconnectWhenTheAgentIsKilledAndRestarted(Lab lab)
            throws Exception {
        assertThat(agent.isProcess()).as("the real agent jar as a process (-Dagent.jar, as failsafe sets it)")
            .isTrue();
        RecordedNginx nginx = RecordedNginx.start(lab, "agent-restart-nginx", 80);
        // think times (0.2 s recorded) stretched to 2 s: the 3-exchange sessions are between exchanges at the kill;
        // a connect timeout long enough for sessions started while the agent is away to wait for its return
        EngineConfig config = EngineLab.config(lab, "198.18.90.0/24", 80).speedFactor(0.1)
            .connect(Duration.ofSeconds(20), 6).response(Duration.ofSeconds(5), Duration.ofMillis(300)).build();
        int copies = 30;
        try (EngineLab engineLab = EngineLab.startLinked(lab, agent, config)) {
            AgentLink link = engineLab.link();
            EngineLab.Batch inFlight = engineLab.start(sessions, copies);
            await(() -> inFlight.resultCount() >= 2 * copies, "first exchanges answered before the kill");

            agent.kill();
            await(() -> link.state() == AgentLink.State.RECONNECTING, "the link sees the agent gone");
            EngineLab.Run cut = inFlight.await(BOUND);
            EngineLab.Batch waiting = engineLab.start(sessions, copies);
            agent = LabAgent.start(lab);
            await(() -> link.state() == AgentLink.State.CONNECTED, "the link back");
            EngineLab.Run waited = waiting.await(BOUND);
            EngineLab.Run later = engineLab.start(sessions, copies).await(BOUND);
            System.out.println("agent killed mid-run: " + cut + "\nstarted while away: " + waited + "\nlater: "
                + later);

            assertThat(cut.finished()).as(cut.toString()).isTrue();
            Map<Outcome, Integer> outcomes = cut.outcomes();
            assertThat(outcomes).as(cut.toString()).containsOnlyKeys(Outcome.OK, Outcome.AGENT_LOST);
            assertThat(outcomes.get(Outcome.AGENT_LOST)).as("one per 3-exchange session, mid-way at the kill")
                .isEqualTo(copies);
            assertThat(cut.results()).filteredOn(result -> result.outcome() == Outcome.AGENT_LOST)
                .extracting(ExchangeResult::message).allSatisfy(message -> assertThat(message).startsWith(
                    "agent lost: "));
            assertThat(waited.outcomes()).as("waited for the agent, then ran: " + waited)
                .containsOnlyKeys(Outcome.OK);
            assertThat(waited.completedSessions()).isEqualTo(2L * copies);
            assertThat(later.outcomes()).as(later.toString()).containsOnlyKeys(Outcome.OK);
            assertThat(later.completedSessions()).isEqualTo(2L * copies);
            assertThat(link.reconnections()).isEqualTo(1);
            assertThat(agent.output()).as("the new agent knows this replayer").contains("engine-lab-");
            assertThat(engineLab.engine().stats().openSessions()).isZero();
        }
        assertThat(nginx.accessLog("198.18.90.")).as("requests of every exchange answered OK")
            .hasSizeGreaterThanOrEqualTo(2 * copies + 8 * copies);
    }

    @Test
    void shouldFailThenRecoverWithoutHangingWhenTheTargetIsKilledAndRestarted(Lab lab) throws Exception {
        RecordedNginx nginx = RecordedNginx.start(lab, "restarted-nginx", 8081);
        EngineConfig config = EngineLab.config(lab, "198.18.91.0/24", 8081)
            .connect(Duration.ofSeconds(2), 2).response(Duration.ofSeconds(3), Duration.ofMillis(300))
            .closing(Duration.ofSeconds(2), Duration.ofSeconds(2)).retransmission(4, 200_000, 1_000_000).build();
        List<EngineLab.Batch> before = new ArrayList<>();
        List<EngineLab.Batch> down = new ArrayList<>();
        List<EngineLab.Batch> after = new ArrayList<>();
        try (EngineLab engineLab = EngineLab.startLinked(lab, agent, config)) {
            steady(engineLab, before, Duration.ofSeconds(1));
            // master first, then its workers (each holds every reuseport listener): a master still alive would
            // replace a killed worker, and that orphan would accept connections it never serves
            nginx.process().kill();
            await(() -> lab.target().exec(Duration.ofSeconds(5), "ss", "-Hltn", "sport = :8081").stdout().isBlank(),
                "listener on port 8081 left in the target");
            steady(engineLab, down, Duration.ofSeconds(1));
            RecordedNginx.start(lab, "restarted-nginx", 8081);
            Thread.sleep(200); // let the last sessions refused by the dead target end before "after" starts
            steady(engineLab, after, Duration.ofSeconds(1));

            List<EngineLab.Run> runs = new ArrayList<>();
            for (List<EngineLab.Batch> phase : List.of(before, down, after)) {
                for (EngineLab.Batch batch : phase) {
                    runs.add(batch.await(BOUND));
                }
            }
            int beforeCount = before.size();
            int downCount = down.size();
            List<EngineLab.Run> beforeRuns = runs.subList(0, beforeCount);
            List<EngineLab.Run> downRuns = runs.subList(beforeCount, beforeCount + downCount);
            List<EngineLab.Run> afterRuns = runs.subList(beforeCount + downCount, runs.size());
            System.out.println("target restarted: before " + summary(beforeRuns) + "; down " + summary(downRuns)
                + "; after " + summary(afterRuns) + "; " + engineLab.engine().stats());

            assertThat(runs).as("every session ended within the engine's timeouts: no hang")
                .allSatisfy(run -> assertThat(run.finished()).as(run.toString()).isTrue());
            // refused; RESET for a SYN that reached a listener of the dying nginx just before it closed
            assertThat(downRuns).as("the target down: refused").allSatisfy(run -> assertThat(run.outcomes().keySet())
                .as(run.toString()).isSubsetOf(Outcome.REFUSED, Outcome.RESET));
            assertThat(downRuns).anySatisfy(run -> assertThat(run.outcomes()).containsKey(Outcome.REFUSED));
            assertThat(afterRuns).as("the target back: every session completes").allSatisfy(run ->
                assertThat(run.completedSessions()).as(run.toString()).isEqualTo(run.sessions()));
            assertThat(beforeRuns).allSatisfy(run -> assertThat(run.outcomes().keySet()).as(run.toString())
                .isSubsetOf(Outcome.OK, Outcome.RESET, Outcome.REFUSED, Outcome.TIMEOUT, Outcome.CLOSED_EARLY));
            assertThat(engineLab.engine().stats().openSessions()).isZero();
        }
    }

    /** Starts both recorded sessions every 100 ms for {@code duration}: a steady rate, bounded in count. */
    private static void steady(EngineLab engineLab, List<EngineLab.Batch> batches, Duration duration)
            throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        for (int round = 0; round < 100 && System.nanoTime() < end; round++) {
            batches.add(engineLab.start(sessions, 1));
            Thread.sleep(100);
        }
    }

    private static String summary(List<EngineLab.Run> runs) {
        Map<Outcome, Integer> outcomes = new java.util.EnumMap<>(Outcome.class);
        runs.forEach(run -> run.outcomes().forEach((outcome, count) -> outcomes.merge(outcome, count, Integer::sum)));
        return runs.size() * 2 + " sessions " + outcomes;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + BOUND);
            }
            Thread.sleep(20);
        }
    }
}
