package io.pcapreplay.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.agent.router.Router;
import io.pcapreplay.agent.router.RouterTestPackets;
import io.pcapreplay.protocol.AddressRange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Against a real agent server on loopback: the warm-up's replayer goes through the real channel and router. */
@Timeout(60)
class RelayWarmUpTest {

    private final Router<ReplayerSession> router = new Router<>(16);
    private final AgentCounters counters = new AgentCounters();
    private final AtomicLong nanos = new AtomicLong();
    private AgentServer server;
    private InetSocketAddress address;

    @BeforeEach
    void startServer() throws Exception {
        server = new AgentServer(new ServerSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                AgentChannels.TOKEN, "test", 65_535, 16, 1 << 20, 4 << 20, Duration.ofSeconds(10),
                Duration.ofSeconds(30), 8, 64, 8), router, counters);
        address = server.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** A clock that moves one millisecond each time it is read. */
    private long tick() {
        return nanos.addAndGet(1_000_000);
    }

    @Test
    void shouldRelayUntilTheJitIsQuietWithoutTouchingTheAgentsCounters() throws Exception {
        RelayWarmUp.Result result = RelayWarmUp.run(address, AgentChannels.TOKEN, router, Duration.ofHours(1),
                () -> 42, this::tick);

        assertThat(result.failure()).isNull();
        assertThat(result.quiet()).isTrue();
        assertThat(result.packets()).isGreaterThanOrEqualTo(RelayWarmUp.MIN_PACKETS);
        assertThat(counters.captured()).as("the agent's own counters").isZero();
        awaitNoReplayer();
        assertThat(router.route(RouterTestPackets.ipv4To(192, 0, 2, 1), 0, 40)).as("its range is gone with it")
                .isNull();
    }

    @Test
    void shouldStopAtTheLimitWhileTheJitKeepsCompiling() {
        AtomicLong compiled = new AtomicLong();

        RelayWarmUp.Result result = RelayWarmUp.run(address, AgentChannels.TOKEN, router, Duration.ofMillis(200),
                compiled::incrementAndGet, this::tick);

        assertThat(result.failure()).isNull();
        assertThat(result.quiet()).isFalse();
        assertThat(result.packets()).isPositive();
    }

    @Test
    void shouldSaySkippedWhenTheTokenIsRefused() {
        RelayWarmUp.Result result = RelayWarmUp.run(address, "not-the-token", router, Duration.ofSeconds(1));

        assertThat(result.failure()).contains("closed before its ACK", "wrong token");
        assertThat(result.packets()).isZero();
    }

    @Test
    void shouldSaySkippedWhenItsRangeIsHeldByAReplayer() throws Exception {
        ReplayerSession other = new ReplayerSession(new io.netty.channel.embedded.EmbeddedChannel(), "other", -1,
                1 << 20);
        assertThat(router.register(other, List.of(AddressRange.parse(RelayWarmUp.RANGE)), ReplayerSession::name))
                .isNull();

        RelayWarmUp.Result result = RelayWarmUp.run(address, AgentChannels.TOKEN, router, Duration.ofSeconds(1));

        assertThat(result.failure()).contains("refused");
    }

    private void awaitNoReplayer() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!server.sessions().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.sessions()).as("the warm-up replayer closed").isEmpty();
    }
}
