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
 * examples/pcaps/http-keepalive.pcap replayed against nginx over a client-target link that loses 5% and reorders
 * 25% of the packets each way ({@link Lab#impair}: nftables and a slower second path, no netem): every session
 * still completes, by retransmission.
 */
@LabTest
class EngineImpairedLabIT {

    private static RecordedNginx nginx;
    private static LabAgent agent;
    private static List<RecordedSession> sessions;

    @BeforeAll
    static void start(Lab lab) throws Exception {
        nginx = RecordedNginx.start(lab, "impaired-nginx", 80);
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
    void shouldCompleteEverySessionWhenTheLinkLosesAndReorders(Lab lab) throws Exception {
        int copies = 100;
        EngineConfig config = EngineLab.config(lab, "198.18.100.0/24", 80)
            .response(EngineReplayLabIT.WAIT, Duration.ofMillis(300)).connect(Duration.ofSeconds(10), 6).build();
        EngineLab.Run run;
        try (LabImpairment impairment = lab.impair(LabLink.CLIENT_TARGET, Impairment.loss(5).reorder(25));
             EngineLab engineLab = EngineLab.start(lab, agent, config, 0)) {
            run = engineLab.start(sessions, copies).await(Duration.ofSeconds(60));
            System.out.println("impaired: " + run + "; arrived at the target " + impairment.arrived(LabRole.TARGET)
                + ", dropped " + impairment.dropped(LabRole.TARGET) + ", rerouted by the client "
                + impairment.rerouted(LabRole.CLIENT));
            assertThat(impairment.dropped(LabRole.TARGET)).as("packets lost on the way").isPositive();
            assertThat(impairment.rerouted(LabRole.CLIENT)).as("packets sent the slow way").isPositive();
        }

        assertThat(run.finished()).as(run.toString()).isTrue();
        assertThat(run.results()).hasSize(4 * copies);
        assertThat(run.outcomes()).as(run.toString()).containsOnlyKeys(Outcome.OK);
        assertThat(run.completedSessions()).isEqualTo(2L * copies);
        assertThat(run.stats().retransmissions()).isPositive();
        assertThat(nginx.accessLog("198.18.100.")).hasSize(4 * copies)
            .containsExactlyInAnyOrderElementsOf(EngineReplayLabIT.recordedRequests(copies));
    }
}
