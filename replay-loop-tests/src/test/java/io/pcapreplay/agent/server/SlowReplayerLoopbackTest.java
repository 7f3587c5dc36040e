package io.pcapreplay.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.agent.router.Router;
import io.pcapreplay.net.AgentClient;
import io.pcapreplay.net.AgentClientConfig;
import io.pcapreplay.net.AgentListener;
import io.pcapreplay.protocol.AddressRange;
import io.pcapreplay.protocol.CapturedPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent's server on loopback with two real AgentClients and a synthetic packet source (no capture): a replayer
 * that stops reading loses only its own packets, within its queue bound, and never stalls the other one.
 */
@Timeout(60)
class SlowReplayerLoopbackTest {

    private static final int PACKETS_EACH = 30_000;
    private static final int PAYLOAD = 1000;
    private static final long QUEUE_BYTES = 1 << 20;

    @Test
    void shouldDropOnlyForSlowReplayerWhenItStopsReading() throws Exception {
        Router<ReplayerSession> router = new Router<>(16);
        AgentCounters counters = new AgentCounters();
        AgentServer server = new AgentServer(new ServerSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                0), "token", "test", 65_535, 16, QUEUE_BYTES, 4 * QUEUE_BYTES, Duration.ofSeconds(10),
                Duration.ofSeconds(30), 8, 64, 8), router, counters);
        PacketDispatcher dispatcher = new PacketDispatcher(router, counters);
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong fastCount = new AtomicLong();
        AtomicLong fastOutOfOrder = new AtomicLong();
        AtomicLong slowCount = new AtomicLong();
        AgentListener fastListener = batch -> {
            for (CapturedPacket packet : batch) {
                if (packet.timestampNanos() != fastCount.getAndIncrement()) {
                    fastOutOfOrder.incrementAndGet();
                }
            }
        };
        AgentListener slowListener = batch -> {
            slowCount.addAndGet(batch.size());
            awaitQuietly(release);
        };
        InetSocketAddress address = server.start();
        try (AgentClient fast = AgentClient.connect(AgentClientConfig.of(address, "token", "fast"), fastListener);
                AgentClient slow = AgentClient.connect(AgentClientConfig.of(address, "token", "slow"), slowListener)) {
            fast.register(List.of(AddressRange.parse("198.18.1.0/24")));
            slow.register(List.of(AddressRange.parse("198.18.2.0/24")));
            ReplayerSession fastSession = session(server, "fast");
            ReplayerSession slowSession = session(server, "slow");

            for (int i = 0; i < PACKETS_EACH; i++) {
                byte[] toFast = packet(1);
                dispatcher.accept(i, toFast, 0, toFast.length, toFast.length);
                byte[] toSlow = packet(2);
                dispatcher.accept(i, toSlow, 0, toSlow.length, toSlow.length);
                dispatcher.endOfBatch();
                assertThat(slowSession.queuedBytes()).isLessThanOrEqualTo(QUEUE_BYTES);
                awaitBelow(fastSession, QUEUE_BYTES / 2);
            }
            awaitCount(fastCount, PACKETS_EACH);

            assertThat(fastCount.get()).isEqualTo(PACKETS_EACH);
            assertThat(fastOutOfOrder.get()).isZero();
            assertThat(fastSession.dropped()).isZero();
            assertThat(slowSession.dropped()).isPositive();
            assertThat(slowSession.delivered() + slowSession.dropped() + slowSession.queuedBytes() / (PAYLOAD + 104))
                    .isLessThanOrEqualTo(PACKETS_EACH);
            assertThat(counters.captured()).isEqualTo(2L * PACKETS_EACH);
            release.countDown();
        } finally {
            release.countDown();
            server.close();
        }
    }

    private static byte[] packet(int subnet) {
        byte[] packet = new byte[40 + PAYLOAD];
        packet[0] = 0x45;
        packet[2] = (byte) (packet.length >>> 8);
        packet[3] = (byte) packet.length;
        packet[9] = 6;
        packet[16] = (byte) 198;
        packet[17] = 18;
        packet[18] = (byte) subnet;
        packet[19] = 9;
        packet[32] = 0x50;
        return packet;
    }

    private static ReplayerSession session(AgentServer server, String name) {
        return server.sessions().stream().filter(session -> session.name().equals(name)).findFirst().orElseThrow();
    }

    private static void awaitBelow(ReplayerSession session, long bytes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (session.queuedBytes() > bytes && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    private static void awaitCount(AtomicLong count, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (count.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
