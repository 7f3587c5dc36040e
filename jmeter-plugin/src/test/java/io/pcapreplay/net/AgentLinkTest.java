package io.pcapreplay.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.protocol.AcceptMessage;
import io.pcapreplay.protocol.AckMessage;
import io.pcapreplay.protocol.AddressRange;
import io.pcapreplay.protocol.AgentMessage;
import io.pcapreplay.protocol.AgentProtocol;
import io.pcapreplay.protocol.HeartbeatMessage;
import io.pcapreplay.protocol.HelloMessage;
import io.pcapreplay.protocol.RegisterMessage;
import io.pcapreplay.protocol.StatsMessage;
import io.pcapreplay.tcp.AddressAllocation;
import io.pcapreplay.tcp.ClientAddressPool;
import io.pcapreplay.tcp.EngineConfig;
import io.pcapreplay.tcp.ReplayEngine;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The link's reporting against a scripted agent: drops from STATS, the loss of the agent, failed reconnections, the
 * summary at the end. Reconnection to a restarted agent is a lab test (replay-loop-tests' AgentRestartLabIT).
 */
@Timeout(30)
class AgentLinkTest {

    private static final AcceptMessage ACCEPT = new AcceptMessage(AgentProtocol.VERSION, "test", 65_535, 16, 1024,
        30_000);

    private final BlockingQueue<String> warnings = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> infos = new LinkedBlockingQueue<>();
    private final AgentLink.Log log = new AgentLink.Log() {
        @Override
        public void info(String line) {
            infos.add(line);
        }

        @Override
        public void warn(String line) {
            (line.contains("clock offset") ? infos : warnings).add(line); // an untrusted estimate on a busy machine
        }
    };
    private final ReplayEngine engine = ReplayEngine.start(EngineConfig.builder(ClientAddressPool.parse(
        "198.18.0.0/24", List.of(), AddressAllocation.IP_FIRST, 1)).target(InetAddress.getLoopbackAddress(), 80)
        .connect(Duration.ofSeconds(2), 3).build(), (packet, offset, length) -> { });

    @AfterEach
    void stopEngine() {
        engine.close();
    }

    @Test
    void shouldLogAgentDroppedPacketsWhenItsStatsShowKernelDropsGrowing() throws Exception {
        try (FakeAgent agent = new FakeAgent(AgentLinkTest::answer)) {
            AgentLink link = open(agent);
            try {
                assertThat(infos.poll(5, TimeUnit.SECONDS)).as("the clock estimate").contains("clock offset");
                agent.send(new StatsMessage(10, 10, 0, 10, 0, 600, 1_000));
                agent.send(new StatsMessage(50, 50, 0, 48, 2, 3_000, 1_042));

                String warning = warnings.poll(5, TimeUnit.SECONDS);
                assertThat(warning).startsWith("agent " + agent.address() + " dropped 42 packets (kernel) / 2 (queue "
                    + "for this replayer) since ").contains("the engine retransmits");
                assertThat(link.kernelDrops()).isEqualTo(42);
                assertThat(link.queueDrops()).isEqualTo(2);
            } finally {
                link.close();
            }
            assertThat(warnings.poll(5, TimeUnit.SECONDS)).as("the summary at the end")
                .startsWith("agent " + agent.address() + " dropped 42 packets (kernel) / 2 (queue for this replayer) "
                    + "during the test since ").endsWith("; engine: 0 retransmission(s), 0 packet(s) dropped by its "
                    + "inbound queue");
            assertThat(link.state()).isEqualTo(AgentLink.State.CLOSED);
        }
    }

    @Test
    void shouldSayOnceThatTheAgentIsLostAndOnceWhyReconnectingFailsWhenTheAgentIsGone() throws Exception {
        FakeAgent agent = new FakeAgent(AgentLinkTest::answer);
        AgentLink link = open(agent);
        try {
            assertThat(infos.poll(5, TimeUnit.SECONDS)).contains("clock offset");
            agent.close();

            assertThat(warnings.poll(5, TimeUnit.SECONDS)).startsWith("agent " + agent.address() + " lost: ")
                .contains("the exchanges in flight end with AGENT_LOST", "connect timeout (2000 ms)");
            assertThat(link.state()).isEqualTo(AgentLink.State.RECONNECTING);
            assertThat(link.client()).isNull();
            assertThat(warnings.poll(5, TimeUnit.SECONDS)).contains("reconnecting failed", "cannot connect",
                "logged again only when the failure changes");
            Thread.sleep(3 * AgentLink.FIRST_RETRY_MILLIS * 4);
            assertThat(warnings).as("not one line per attempt").isEmpty();
        } finally {
            link.close();
        }
        assertThat(warnings.poll(5, TimeUnit.SECONDS)).contains("still away when the replayer stopped");
        assertThat(infos.poll(5, TimeUnit.SECONDS)).as("the summary: nothing known to be dropped")
            .contains("no STATS received");
        assertThat(link.reconnections()).isZero();
    }

    @Test
    void shouldBackOffDoublingUpToTheCapWithJitter() {
        assertThat(AgentLink.backoff(1)).isBetween(160L, 240L);
        assertThat(AgentLink.backoff(3)).isBetween(640L, 960L);
        for (int attempt = 6; attempt < 40; attempt++) {
            assertThat(AgentLink.backoff(attempt)).isBetween(4_000L, 6_000L);
        }
    }

    private AgentLink open(FakeAgent agent) throws AgentClientException {
        AgentClock clock = AgentClock.system();
        return AgentLink.open(AgentClientConfig.of(agent.address(), "s3cret", "r"), AgentClient::connect,
            List.of(AddressRange.parse("198.18.0.0/24")), clock, new EngineFeed(engine, clock), engine, log,
            Clock.systemUTC());
    }

    private static List<AgentMessage> answer(AgentMessage message) {
        if (message instanceof HelloMessage) {
            return List.of(ACCEPT);
        }
        if (message instanceof RegisterMessage register) {
            return List.of(new AckMessage(register.requestId()));
        }
        if (message instanceof HeartbeatMessage probe) {
            long now = wallNanos();
            return List.of(HeartbeatMessage.answer(probe, now, wallNanos()));
        }
        return List.of();
    }

    private static long wallNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
