package io.pcapreplay.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.pcapreplay.agent.router.Router;
import io.pcapreplay.protocol.AddressRange;
import io.pcapreplay.protocol.AgentMessage;
import io.pcapreplay.protocol.AgentMessageEncoder;
import io.pcapreplay.protocol.CapturedMessage;
import io.pcapreplay.protocol.ErrorCode;
import io.pcapreplay.protocol.ErrorMessage;
import io.pcapreplay.protocol.HeartbeatMessage;
import io.pcapreplay.protocol.UnregisterMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real agent server on loopback against hand-written hostile replayers (raw sockets speaking the documented
 * protocol); packets are injected where the capture thread would hand them over. Memory is asserted through the
 * agent's own counters of queued and pending bytes and Netty's allocator, under the module's bounded test heap
 * ({@code -Xmx192m}, see the pom), and the agent must serve a well-behaved replayer afterwards.
 */
@Timeout(120)
class HostilePeerTest {

    private static final long QUEUE = 4L << 20;
    private static final long PENDING_LIMIT = (4L << 20) + (1L << 20) + 64 * 1024;
    private static final long ALLOCATOR_LIMIT = 64L << 20;

    private final Router<ReplayerSession> router = new Router<>(16);
    private final AgentCounters counters = new AgentCounters();
    private final PacketDispatcher capture = new PacketDispatcher(router, counters);
    private AgentServer server;
    private InetSocketAddress address;

    @BeforeEach
    void startAgent() throws Exception {
        server = new AgentServer(new ServerSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                AgentChannels.TOKEN, "test", 65_535, 16, QUEUE, 2 * QUEUE, Duration.ofSeconds(10),
                Duration.ofSeconds(2), 8, 64, 8), router, counters);
        address = server.start();
    }

    @AfterEach
    void stopAgent() {
        server.close();
    }

    @Test
    void shouldBoundQueuesAndCloseReplayerWhenItNeverReads() throws Exception {
        try (RawReplayer slow = RawReplayer.registered(address, "slow", "198.18.1.0/24", 4096)) {
            ReplayerSession session = server.sessions().get(0);
            byte[] packet = packetTo(198, 18, 1, 7, 1000);
            long maxQueued = 0;
            long maxPending = 0;
            long maxAllQueues = 0;
            long lastHeartbeat = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (server.sessions().contains(session) && System.nanoTime() < deadline) {
                for (int i = 0; i < 2000; i++) {
                    capture.accept(System.currentTimeMillis() * 1_000_000L, packet, 0, packet.length, packet.length);
                }
                capture.endOfBatch();
                maxQueued = Math.max(maxQueued, session.queuedBytes());
                maxAllQueues = Math.max(maxAllQueues, server.queuedBytes());
                maxPending = Math.max(maxPending, session.pendingWriteBytes());
                if (System.nanoTime() - lastHeartbeat > 300_000_000L) {
                    slow.send(HeartbeatMessage.probe(1, HeartbeatMessage.UNKNOWN_OFFSET, -1));
                    lastHeartbeat = System.nanoTime();
                }
                Thread.sleep(5);
            }

            assertThat(server.sessions()).as("the replayer that never reads is closed").doesNotContain(session);
            assertThat(counters.notReadingClosed()).isEqualTo(1);
            assertThat(session.dropped()).as("packets dropped and counted, not held").isPositive();
            assertThat(maxQueued).isLessThanOrEqualTo(QUEUE);
            assertThat(maxAllQueues).isLessThanOrEqualTo(2 * QUEUE);
            assertThat(maxPending).isLessThanOrEqualTo(PENDING_LIMIT);
            await(() -> server.queuedBytes() == 0);
        }
        assertHealthy();
    }

    @Test
    void shouldAnswerWithinBoundAndCloseWhenHeartbeatFloodIsNeverRead() throws Exception {
        long maxAllocated = 0;
        try (RawReplayer flooder = RawReplayer.registered(address, "flood", "198.18.2.0/24", 4096)) {
            byte[] chunk = repeat(new AgentMessageEncoder().encode(
                    HeartbeatMessage.probe(1, HeartbeatMessage.UNKNOWN_OFFSET, -1)), 10_000);
            try {
                for (int sent = 0; sent < 1_000_000 && server.sessions().size() == 1; sent += 10_000) {
                    flooder.sendBytes(chunk);
                    maxAllocated = Math.max(maxAllocated, allocatedDirect());
                }
            } catch (IOException e) {
                // the agent closed the connection: what this test expects
            }
            await(() -> server.sessions().isEmpty());
        }
        assertThat(counters.notReadingClosed()).isEqualTo(1);
        assertThat(maxAllocated).isLessThan(ALLOCATOR_LIMIT);
        assertHealthy();
    }

    @Test
    void shouldHoldAtMostTheCapWhen3000ConnectionsSendPartialHellos() throws Exception {
        List<RawReplayer> peers = new ArrayList<>();
        int maxPending = 0;
        long maxAllocated = 0;
        try {
            byte[] partialHello = ByteBuffer.allocate(4 + 300).putInt(500).put((byte) 0x01).array();
            byte[] hugeLength = ByteBuffer.allocate(8).putInt(60_000).put((byte) 0x01).array();
            for (int i = 0; i < 3000; i++) {
                int host = i < 200 ? 1 : 2 + i % 250;
                InetAddress from = InetAddress.getByAddress(new byte[] {127, 0, 1, (byte) host});
                RawReplayer peer = RawReplayer.connect(address, from, 0);
                peers.add(peer);
                try {
                    peer.sendBytes(i % 10 == 0 ? hugeLength : partialHello);
                } catch (IOException e) {
                    // refused already
                }
                if (i % 100 == 0) {
                    maxPending = Math.max(maxPending, server.pendingHandshakes());
                    maxAllocated = Math.max(maxAllocated, allocatedDirect());
                }
            }
            await(() -> counters.handshakesRefused() + counters.handshakesEvicted() + counters.handshakesFailed()
                    >= 3000 - 64);
            maxPending = Math.max(maxPending, server.pendingHandshakes());

            assertThat(maxPending).isLessThanOrEqualTo(64);
            assertThat(counters.handshakesRefused()).as("beyond 8 per address").isPositive();
            assertThat(counters.handshakesEvicted()).as("beyond 64 in all, the oldest").isPositive();
            assertThat(maxAllocated).isLessThan(ALLOCATOR_LIMIT);
            // every one refused or still awaiting HELLO before the good replayer connects, else 64 that come after it
            // would evict it (the oldest), as they would a real replayer that had not said HELLO yet; the sum above
            // counts a refusal twice (refused or evicted, then failed): a refused connection counts once in failed
            await(() -> counters.handshakesFailed() + server.pendingHandshakes() >= 3000);
            assertHealthy();
        } finally {
            for (RawReplayer peer : peers) {
                peer.close();
            }
        }
        await(() -> server.pendingHandshakes() == 0);
    }

    @Test
    void shouldAnswerEveryRequestButLogOnlyAFewLinesWhenUnregisterFloodArrives() throws Exception {
        int requests = 50_000;
        long began = System.nanoTime();
        try (RawReplayer flooder = RawReplayer.registered(address, "unregister", "198.18.3.0/24", 0)) {
            ReplayerSession session = server.sessions().get(0);
            AtomicLong errors = new AtomicLong();
            Thread reader = new Thread(() -> {
                try {
                    while (errors.get() < requests) {
                        AgentMessage message = flooder.next();
                        if (message instanceof ErrorMessage error && error.code() == ErrorCode.NOT_REGISTERED) {
                            errors.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    // counted below
                }
            });
            reader.start();
            UnregisterMessage unregister = new UnregisterMessage(7, List.of(AddressRange.parse("198.18.4.0/24")));
            byte[] chunk = repeat(new AgentMessageEncoder().encode(unregister), 1000);
            for (int sent = 0; sent < requests; sent += 1000) {
                flooder.sendBytes(chunk);
            }
            reader.join(60_000);

            assertThat(errors.get()).as("every request answered").isEqualTo(requests);
            // each window: at most BURST lines per kind plus the line saying how many were left out
            long windows = (System.nanoTime() - began) / RateLimitedLog.WINDOW.toNanos() + 1;
            long bound = windows * 2L * (RateLimitedLog.BURST + 1);
            assertThat(session.log().written()).as("log lines written in " + windows + " window(s)")
                .isLessThanOrEqualTo(bound);
            assertThat(session.log().suppressed()).isGreaterThanOrEqualTo(requests - bound);
            assertThat(server.sessions()).contains(session);
        }
        assertHealthy();
    }

    /** A well-behaved replayer gets ACCEPT, ACK, a relayed packet and a heartbeat answer. */
    private void assertHealthy() throws Exception {
        try (RawReplayer good = RawReplayer.registered(address, "good", "198.18.9.0/24", 0)) {
            byte[] packet = packetTo(198, 18, 9, 1, 100);
            capture.accept(System.currentTimeMillis() * 1_000_000L, packet, 0, packet.length, packet.length);
            capture.endOfBatch();
            AgentMessage relayed = good.next();
            assertThat(relayed).isInstanceOfSatisfying(CapturedMessage.class,
                    captured -> assertThat(captured.packets().get(0).data()).isEqualTo(packet));
            good.send(HeartbeatMessage.probe(5, HeartbeatMessage.UNKNOWN_OFFSET, -1));
            assertThat(good.next()).isInstanceOf(HeartbeatMessage.class);
        }
    }

    private static byte[] packetTo(int a, int b, int c, int d, int payload) {
        byte[] packet = ReplayerSessionTest.frameWithTcp(0, 1, payload);
        packet[16] = (byte) a;
        packet[17] = (byte) b;
        packet[18] = (byte) c;
        packet[19] = (byte) d;
        return packet;
    }

    private static byte[] repeat(byte[] frame, int times) {
        ByteBuffer out = ByteBuffer.allocate(frame.length * times);
        for (int i = 0; i < times; i++) {
            out.put(frame);
        }
        return out.array();
    }

    private static long allocatedDirect() {
        return ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider
                ? provider.metric().usedDirectMemory() : 0;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(20);
        }
    }
}
