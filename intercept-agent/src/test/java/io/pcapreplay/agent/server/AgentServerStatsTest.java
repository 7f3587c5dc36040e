package io.pcapreplay.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.agent.router.Router;
import io.pcapreplay.protocol.StatsMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AgentServerStatsTest {

    @Test
    void shouldTellEachReplayerTheKernelDropsAndItsOwnCountersWhenStatsAreBroadcast() throws Exception {
        Router<ReplayerSession> router = new Router<>(16);
        AgentCounters counters = new AgentCounters();
        AgentServer server = new AgentServer(new ServerSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                0), AgentChannels.TOKEN, "test", 65_535, 16, 1 << 20, 4 << 20, Duration.ofSeconds(10),
                Duration.ofSeconds(30), 8, 64, 8), router, counters);
        InetSocketAddress address = server.start();
        try (RawReplayer replayer = RawReplayer.registered(address, "stats", "198.18.1.0/24", 0)) {
            PacketDispatcher capture = new PacketDispatcher(router, counters);
            byte[] packet = ReplayerSessionTest.frameWithTcp(0, 1, 10);
            packet[16] = (byte) 198;
            packet[17] = 18;
            packet[18] = 1;
            packet[19] = 2;
            capture.accept(1, packet, 0, packet.length, packet.length);
            capture.accept(2, new byte[] {0x45, 0, 0, 20, 0, 0, 0, 0, 64, 6, 0, 0, 1, 1, 1, 1, 9, 9, 9, 9}, 0, 20,
                    20);
            capture.endOfBatch();
            replayer.next();

            server.broadcastStats(1234);

            assertThat(replayer.next()).isEqualTo(new StatsMessage(2, 1, 1, 1, 0, packet.length, 1234));
        } finally {
            server.close();
        }
    }
}
