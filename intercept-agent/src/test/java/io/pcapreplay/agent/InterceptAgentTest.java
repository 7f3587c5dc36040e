package io.pcapreplay.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pcapreplay.protocol.AcceptMessage;
import io.pcapreplay.protocol.AckMessage;
import io.pcapreplay.protocol.AddressRange;
import io.pcapreplay.protocol.AgentMessage;
import io.pcapreplay.protocol.AgentMessageDecoder;
import io.pcapreplay.protocol.AgentMessageEncoder;
import io.pcapreplay.protocol.CapturedMessage;
import io.pcapreplay.protocol.CapturedPacket;
import io.pcapreplay.protocol.HelloMessage;
import io.pcapreplay.protocol.RegisterMessage;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class InterceptAgentTest {

    private static final String TOKEN = "s3cret";

    @Test
    void shouldKeepTheReplayerChannelOutOfTheKernelFilterWhenFilterIsBroad() {
        assertThat(InterceptAgent.kernelFilter("tcp", 36524)).isEqualTo("(tcp) and not (tcp port 36524)");
    }

    @Test
    void shouldNotCaptureItsOwnChannelWhenReplayerRegistersLoopbackAndFilterIsTcp() throws Exception {
        assumeTrue(Privileges.canCapture(), "needs root or CAP_NET_RAW");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        AgentOptions options = AgentOptions.parse("-i", "lo", "-F", "tcp", "-p", Integer.toString(port), "-b",
                "127.0.0.1", "--token-file", "unused", "--stats-interval", "0", "--queue-total-mib", "32");
        try (InterceptAgent agent = new InterceptAgent(options, TOKEN);
                ServerSocket target = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = agent.start();
            try (Socket replayer = new Socket(address.getAddress(), address.getPort())) {
                replayer.setSoTimeout(300);
                AgentMessageEncoder encoder = new AgentMessageEncoder();
                replayer.getOutputStream().write(encoder.encode(HelloMessage.of(TOKEN, "loop", -1)));
                replayer.getOutputStream().write(encoder.encode(new RegisterMessage(1,
                        List.of(AddressRange.parse("127.0.0.0/8")))));
                List<CapturedPacket> relayed = new ArrayList<>();
                List<AgentMessage> control = new ArrayList<>();
                AgentMessageDecoder decoder = new AgentMessageDecoder();
                long deadline = System.currentTimeMillis() + 5000;
                while (control.stream().noneMatch(AckMessage.class::isInstance)
                        && System.currentTimeMillis() < deadline) {
                    readFor(replayer.getInputStream(), decoder, 300, relayed, control);
                }
                try (Socket client = new Socket(target.getInetAddress(), target.getLocalPort());
                        Socket accepted = target.accept()) {
                    client.getOutputStream().write("ping".getBytes());
                    accepted.getOutputStream().write("pong".getBytes());
                    readFor(replayer.getInputStream(), decoder, 2000, relayed, control);
                }
                assertThat(control).hasAtLeastOneElementOfType(AcceptMessage.class)
                        .hasAtLeastOneElementOfType(AckMessage.class);
                assertThat(relayed).as("the target exchange is relayed").anySatisfy(packet ->
                        assertThat(ports(packet)).contains(target.getLocalPort()));
                assertThat(relayed).as("the agent's own channel is not").noneSatisfy(packet ->
                        assertThat(ports(packet)).contains(port));
                assertThat(agent.counters().captured()).as("no feedback loop").isLessThan(10_000);
            }
        }
    }

    private static void readFor(InputStream in, AgentMessageDecoder decoder, long millis,
            List<CapturedPacket> relayed, List<AgentMessage> control) throws Exception {
        byte[] buffer = new byte[65_536];
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            int count;
            try {
                count = in.read(buffer);
            } catch (SocketTimeoutException e) {
                continue;
            }
            if (count < 0) {
                return;
            }
            for (AgentMessage message : decoder.feed(ByteBuffer.wrap(buffer, 0, count))) {
                if (message instanceof CapturedMessage captured) {
                    relayed.addAll(captured.packets());
                } else {
                    control.add(message);
                }
            }
        }
    }

    private static List<Integer> ports(CapturedPacket packet) {
        byte[] ip = packet.data();
        int header = (ip[0] & 0x0F) * 4;
        return List.of(((ip[header] & 0xFF) << 8) | (ip[header + 1] & 0xFF),
                ((ip[header + 2] & 0xFF) << 8) | (ip[header + 3] & 0xFF));
    }
}
