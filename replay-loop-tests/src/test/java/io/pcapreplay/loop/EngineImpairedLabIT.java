package io.pcapreplay.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.Impairment;
import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabImpairment;
import io.pcapreplay.lab.LabLink;
import io.pcapreplay.lab.LabRole;
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
 * examples/pcaps/http-keepalive.pcap replayed against nginx with both links of the loop impaired: the requests'
 * (client-target) and the responses' (target-assistant, where the agent captures) each lose 5% and reorder 25% of
 * the packets each way ({@link Lab#impair}: nftables and a slower second path, no netem: this kernel has none). The
 * reordered packets are also delayed: they wait behind the slow path's backlog (a 1 mbit/s tbf, 12 ms per full
 * packet). The agent captures on both of the assistant's paths from the target. Every session still completes, by
 * the engine's retransmission.
 */
@LabTest
class EngineImpairedLabIT {

    private static final Impairment IMPAIRMENT = Impairment.loss(5).reorder(25);
    private static RecordedNginx nginx;
    private static LabAgent agent;
    private static List<RecordedSession> sessions;
    private static LabImpairment requests;
    private static LabImpairment responses;

    @BeforeAll
    static void start(Lab lab) throws Exception {
        nginx = RecordedNginx.start(lab, "impaired-nginx", 80);
        requests = lab.impair(LabLink.CLIENT_TARGET, IMPAIRMENT);
        responses = lab.impair(LabLink.TARGET_ASSISTANT, IMPAIRMENT);
        agent = LabAgent.start(lab, lab.assistant().interfaceTo(LabRole.TARGET) + ","
            + responses.slowPathInterface(LabRole.ASSISTANT), LabAgent.JVM_OPTIONS);
        sessions = EngineReplayLabIT.keepAliveSessions();
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void shouldCompleteEverySessionWhenBothLinksLoseReorderAndDelay(Lab lab) throws Exception {
        int copies = 100;
        EngineConfig config = EngineLab.config(lab, "198.18.100.0/24", 80)
            .response(EngineReplayLabIT.WAIT, Duration.ofMillis(300)).connect(Duration.ofSeconds(10), 6).build();
        EngineLab.Run run;
        try (EngineLab engineLab = EngineLab.start(lab, agent, config, 0)) {
            run = engineLab.start(sessions, copies).await(Duration.ofSeconds(90));
        }
        System.out.println("impaired: " + run + "; requests: sent to the target " + requests.arrived(LabRole.TARGET)
            + ", lost " + requests.dropped(LabRole.TARGET) + ", reordered " + requests.rerouted(LabRole.CLIENT)
            + "; responses: sent to the assistant " + responses.arrived(LabRole.ASSISTANT) + ", lost "
            + responses.dropped(LabRole.ASSISTANT) + ", reordered " + responses.rerouted(LabRole.TARGET));

        assertThat(requests.dropped(LabRole.TARGET)).as("requests lost on the way").isPositive();
        assertThat(requests.rerouted(LabRole.CLIENT)).as("requests sent the slow way").isPositive();
        assertThat(responses.dropped(LabRole.ASSISTANT)).as("responses lost before the agent").isPositive();
        assertThat(responses.rerouted(LabRole.TARGET)).as("responses sent the slow way").isPositive();
        assertThat(run.finished()).as(run.toString()).isTrue();
        assertThat(run.results()).hasSize(4 * copies);
        assertThat(run.outcomes()).as(run.toString()).containsOnlyKeys(Outcome.OK);
        assertThat(run.completedSessions()).isEqualTo(2L * copies);
        assertThat(run.stats().retransmissions()).isPositive();
        assertThat(nginx.accessLog("198.18.100.")).hasSize(4 * copies)
            .containsExactlyInAnyOrderElementsOf(EngineReplayLabIT.recordedRequests(copies));
    }
}
