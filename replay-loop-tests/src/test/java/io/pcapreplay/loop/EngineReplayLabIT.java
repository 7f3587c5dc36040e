package io.pcapreplay.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.pcap.CaptureOptions;
import io.pcapreplay.pcap.CaptureReader;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.EngineConfig;
import io.pcapreplay.tcp.ExchangeResult;
import io.pcapreplay.tcp.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The replay engine end to end in the lab: examples/pcaps/http-keepalive.pcap (3 requests on a keep-alive
 * connection, then one more connection, recorded against nginx on port 80) is replayed from fake clients in
 * 198.18.7.0/24 against nginx in the target namespace. The engine sends through a raw socket opened in the client
 * namespace; the target's answers are captured by the agent (the real jar in the assistant namespace) and fed back
 * through an AgentClient ({@link EngineLab}). Lives here because this module's tests see both the agent and the
 * plugin.
 */
@LabTest
class EngineReplayLabIT {

    static final Duration WAIT = Duration.ofSeconds(20);
    private static final int LOSS_EVERY = 13;
    private static RecordedNginx nginx;
    private static LabAgent agent;
    private static List<RecordedSession> sessions;

    @BeforeAll
    static void start(Lab lab) throws Exception {
        nginx = RecordedNginx.start(lab, "engine-nginx", 80);
        agent = LabAgent.start(lab);
        sessions = keepAliveSessions();
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    /** The sessions of examples/pcaps/http-keepalive.pcap (2: 3 exchanges, then 1). */
    static List<RecordedSession> keepAliveSessions() throws Exception {
        Path capture = Path.of(System.getProperty("project.root"), "examples", "pcaps", "http-keepalive.pcap");
        return new CaptureReader().read(capture, CaptureOptions.defaults())
            .requireSessions(CaptureOptions.defaults());
    }

    /** The recorded requests, {@code copies} times. */
    static List<String> recordedRequests(int copies) {
        List<String> expected = new ArrayList<>();
        for (int copy = 0; copy < copies; copy++) {
            expected.addAll(RecordedNginx.RECORDED_REQUESTS);
        }
        return expected;
    }

    @Test
    void shouldReplayTheKeepAliveCaptureAgainstNginxWhenTheAgentFeedsTheResponses(Lab lab) throws Exception {
        assertThat(sessions).hasSize(2);
        EngineLab.Run run = replay(lab, "198.18.7.1-198.18.7.254", 1, 0);

        assertThat(run.results()).hasSize(4).allSatisfy(result -> assertThat(result.outcome())
            .as(result.toString()).isEqualTo(Outcome.OK));
        List<ExchangeResult> results = run.results();
        assertThat(new String(results.get(0).response(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200 OK");
        assertThat(new String(results.get(2).response(), StandardCharsets.ISO_8859_1))
            .endsWith(RecordedNginx.LOGIN_ANSWER);
        assertThat(results.get(1).bytesReceived()).isGreaterThan(3_000);
        assertThat(run.ends().values()).containsOnly("closed");
        assertThat(run.stats().sendErrors()).isZero();
        assertThat(run.stats().openSessions()).isZero();
        assertThat(nginx.accessLog("198.18.7.")).containsExactlyInAnyOrderElementsOf(recordedRequests(1));
    }

    @Test
    void shouldCompleteEveryExchangeWhenPacketsAreLostBothWays(Lab lab) throws Exception {
        int copies = 20;
        EngineLab.Run run = replay(lab, "198.18.8.1-198.18.8.254", copies, LOSS_EVERY);

        System.out.println("replay with loss: " + run);
        assertThat(run.results()).hasSize(4 * copies).allSatisfy(result -> assertThat(result.outcome())
            .as(result.toString()).isEqualTo(Outcome.OK));
        assertThat(run.stats().retransmissions()).as("every %dth packet of the engine lost", LOSS_EVERY)
            .isPositive();
        assertThat(nginx.accessLog("198.18.8.")).containsExactlyInAnyOrderElementsOf(recordedRequests(copies));
    }

    @Test
    void shouldReplayFromIpv6FakeClientsWhenThePoolIsIpv6(Lab lab) throws Exception {
        EngineLab.Run run = replay(lab, "2001:2:0:ff00::100/120", 2, 0);

        assertThat(run.results()).hasSize(8).allSatisfy(result -> assertThat(result.outcome())
            .as(result.toString()).isEqualTo(Outcome.OK));
        assertThat(run.ends().values()).containsOnly("closed");
        assertThat(nginx.accessLog("2001:2:0:ff00::")).hasSize(8).containsAll(RecordedNginx.RECORDED_REQUESTS);
    }

    /**
     * Replays {@code copies} times every recorded session at once, from the pool; waits for every end. With
     * {@code lossEvery > 0}, every so many packets are lost each way: not sent by the engine, not fed to it.
     */
    private static EngineLab.Run replay(Lab lab, String poolSpec, int copies, int lossEvery) throws Exception {
        EngineConfig config = EngineLab.config(lab, poolSpec, 80).response(WAIT, Duration.ofMillis(300))
            .connect(Duration.ofSeconds(10), 3).responseCaptureBytes(4_096).build();
        try (EngineLab engineLab = EngineLab.start(lab, agent, config, lossEvery)) {
            EngineLab.Run run = engineLab.start(sessions, copies).await(WAIT.multipliedBy(2));
            assertThat(run.finished()).as(run.toString()).isTrue();
            assertThat(run.results()).hasSize(run.expectedExchanges());
            return run;
        }
    }
}
