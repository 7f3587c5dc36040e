package io.pcapreplay.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pcapreplay.pcap.Endpoint;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.ExchangeResult;
import io.pcapreplay.tcp.KernelReplayer;
import io.pcapreplay.tcp.Outcome;
import io.pcapreplay.tcp.SessionHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReplayRuntimeTest {

    private static final int TCP_FLAGS = 20 + 13;
    private static final int SYN = 0x02;
    private static final int RST = 0x04;

    private final List<byte[]> sent = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    @AfterEach
    void stopEverything() {
        ReplayRuntime.stopAll();
    }

    @Test
    void shouldShareOneRuntimeAndStopItWithTheLastReleaseWhenSettingsAreEqual() throws Exception {
        ReplayRuntime first = ReplayRuntime.acquire(settings("198.18.31.*"), this::transport);
        ReplayRuntime second = ReplayRuntime.acquire(settings("198.18.31.*"), this::transport);

        assertThat(second).isSameAs(first);
        assertThat(ReplayRuntime.runningCount()).isEqualTo(1);
        first.release();
        assertThat(first.isStopped()).isFalse();
        second.release();
        assertThat(first.isStopped()).isTrue();
        assertThat(closed).as("transport closed").isTrue();
        assertThat(ReplayRuntime.runningCount()).isZero();
    }

    @Test
    void shouldSendThroughTheTransportAndResetOpenSessionsWhenStoppedAtTestEnd() throws Exception {
        ReplayRuntime runtime = ReplayRuntime.acquire(settings("198.18.32.*"), this::transport);
        SessionHandle handle = runtime.replayer().startSession(session());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sent.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(sent).as("the SYN").isNotEmpty();
        assertThat(sent.get(0)[TCP_FLAGS] & SYN).isEqualTo(SYN);

        ReplayRuntime.stopAll();

        assertThat(handle.awaitNext(Duration.ofSeconds(5))).as("no result after the stop").isNull();
        assertThat(handle.isDone()).isTrue();
        assertThat(sent.get(sent.size() - 1)[TCP_FLAGS] & RST).as("last packet: RST").isEqualTo(RST);
        assertThat(runtime.isStopped()).isTrue();
    }

    @Test
    void shouldExplainBadSettingsWhenTheRuntimeCannotStart() {
        assertThatThrownBy(() -> ReplayRuntime.acquire(settings("not-an-address"), this::transport))
            .isInstanceOf(ReplayRuntimeException.class).hasMessageContaining("expected");
        ReplaySettings noToken = new ReplaySettings("198.19.1.2", 80, "198.19.3.3", null, "198.18.33.*", 1,
            Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), false, 0, 0, TransportSpec.RAW_IP,
            TargetMap.EMPTY);
        assertThatThrownBy(() -> ReplayRuntime.acquire(noToken, this::transport))
            .isInstanceOf(ReplayRuntimeException.class).hasMessageContaining("token file");
        assertThatThrownBy(() -> ReplayRuntime.agentAddress("host:port"))
            .hasMessageContaining("expected: host[:port]");
        assertThat(ReplayRuntime.runningCount()).isZero();
        assertThat(closed).as("transport closed after a failed start").isTrue();
    }

    @Test
    void shouldAddThePreflightFixToTheFailureWhenTheAgentIsUnreachableAtStart(@TempDir Path directory)
            throws Exception {
        Path token = Files.writeString(directory.resolve("agent.token"), "secret\n");
        int closedPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = free.getLocalPort();
        }
        ReplaySettings settings = new ReplaySettings("198.19.1.2", 80, "127.0.0.1:" + closedPort, token,
            "198.18.34.*", 1, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), false, 0, 0,
            TransportSpec.RAW_IP, TargetMap.EMPTY);

        assertThatThrownBy(() -> ReplayRuntime.acquire(settings, this::transport, true))
            .isInstanceOf(ReplayRuntimeException.class)
            .hasMessageContaining("127.0.0.1:" + closedPort)
            .hasMessageContaining("; pre-flight FAIL agent, to fix: start the agent on the assistant: java -jar "
                + "intercept-agent-*.jar")
            .hasMessageContaining("ss -ltn 'sport = :" + closedPort + "'");
        assertThatThrownBy(() -> ReplayRuntime.acquire(settings, this::transport, false))
            .as("without the checks, the failure alone").hasMessageNotContaining("pre-flight");
        assertThat(closed).as("transport closed after a failed start").isTrue();
        assertThat(ReplayRuntime.runningCount()).isZero();
    }

    @Test
    void shouldAddThePreflightFixToTheFailureWhenTheTransportCannotOpenAtStart() {
        ReplayRuntime.TransportFactory denied = targets -> {
            throw new ReplayRuntimeException("raw socket: socket(AF_INET, SOCK_RAW, IPPROTO_RAW): errno EPERM(1) "
                + "(expected: root or CAP_NET_RAW)", null);
        };

        assertThatThrownBy(() -> ReplayRuntime.acquire(settings("198.18.35.*"), denied, true))
            .isInstanceOf(ReplayRuntimeException.class)
            .hasMessageStartingWith("raw socket: socket(AF_INET, SOCK_RAW, IPPROTO_RAW): errno EPERM(1)")
            .hasMessageContaining("; pre-flight FAIL raw socket, to fix: ")
            .hasMessageContaining(Privileges.current().mayUseRawSockets() || Privileges.current().uid() < 0
                ? "docker run --cap-add NET_RAW" : "setcap cap_net_raw+ep");
        assertThat(ReplayRuntime.runningCount()).isZero();
    }

    @Test
    void shouldReadTheDefaultAgentPortWhenNoneIsGiven() throws Exception {
        assertThat(ReplayRuntime.agentAddress("198.19.3.3").getPort()).isEqualTo(AgentClientConfig.DEFAULT_PORT);
        assertThat(ReplayRuntime.agentAddress("198.19.3.3:4000").getPort()).isEqualTo(4000);
    }

    @Test
    void shouldReadAnIpv6AgentAddressWhenBracketedWithAPortOrBareWithout() throws Exception {
        assertThat(ReplayRuntime.agentAddress("[2001:2:0:3::3]:4000"))
            .isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:2:0:3::3"), 4000));
        assertThat(ReplayRuntime.agentAddress("2001:2:0:3::3"))
            .isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:2:0:3::3"), AgentClientConfig.DEFAULT_PORT));
        assertThat(ReplayRuntime.agentAddress("[2001:2:0:3::3]").getPort()).isEqualTo(AgentClientConfig.DEFAULT_PORT);
        assertThatThrownBy(() -> ReplayRuntime.agentAddress("[2001:2:0:3::3]4000"))
            .hasMessage("agent address: '[2001:2:0:3::3]4000' (expected: host[:port], e.g. 198.19.3.3:36524 or "
                + "[2001:2:0:3::3]:36524)");
    }

    @Test
    void shouldRefuseWithOneMessageNamingTheClientAddressesWhenTheTargetIsIpv6AndEveryRangeIpv4() {
        ReplaySettings settings = new ReplaySettings("2001:2:0:1::2", 80, "", null, "198.18.34.*", 1,
            Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), false, 1024, 0, TransportSpec.RAW_IP,
            TargetMap.EMPTY);

        assertThatThrownBy(() -> ReplayRuntime.acquire(settings, this::transport))
            .isInstanceOf(ReplayRuntimeException.class)
            .hasMessage("client addresses: '198.18.34.*' has no IPv6 range, needed to replay to the IPv6 server "
                + "[2001:2:0:1::2]:80 (expected: an IPv6 range next to the others, e.g. '198.18.34.*, "
                + "2001:2:0:ff00::/104'; or a target of the other family: an IPv4 address as the target host or in "
                + "the target map)");
        assertThat(ReplayRuntime.runningCount()).isZero();
    }

    @Test
    void shouldReplayIpv6AndIpv4SessionsFromTheirOwnRangesWhenTheClientAddressesListBoth() throws Exception {
        ReplaySettings settings = new ReplaySettings("2001:2:0:1::2", 80, "", null,
            "198.18.35.*, 2001:2:0:ff35::/112", 1, Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(5), false, 1024, 0, TransportSpec.RAW_IP, TargetMap.parse("81=198.19.1.2"));
        ReplayRuntime runtime = ReplayRuntime.acquire(settings, this::transport);

        runtime.startSession(session(), null);
        runtime.startSession(RecordedSession.builder(new Endpoint(InetAddress.getByName("10.0.0.1"), 40000),
                new Endpoint(InetAddress.getByName("10.0.0.2"), 81))
            .exchange("x".getBytes(java.nio.charset.StandardCharsets.US_ASCII), new byte[0], 0).build(), null);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sent.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }

        assertThat(sent).as("an IPv6 SYN to the IPv6 target (an IPv4 recording: the literal target decides), "
            + "an IPv4 SYN to the mapped target").extracting(packet -> (packet[0] >> 4) & 0x0F)
            .containsExactlyInAnyOrder(6, 4);
    }

    @Test
    void shouldReplayOverKernelSocketsWithoutAgentWhenTheTransportIsKernel() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            ReplaySettings settings = new ReplaySettings("127.0.0.1", server.getLocalPort(), "198.19.3.3", null,
                "198.18.1.*", 1, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), false, 1024, 0,
                TransportSpec.parse("kernel 127.0.0.1"), TargetMap.EMPTY);
            ReplayRuntime runtime = ReplayRuntime.acquire(settings, this::transport);

            assertThat(runtime.replayer()).isInstanceOf(KernelReplayer.class);
            assertThat(sent).as("no packet transport").isEmpty();
            assertThat(runtime.limits().localAddresses()).isEqualTo(1);
            assertThat(runtime.limits().capacity()).isPositive();
            SessionHandle handle = runtime.startSession(session(), null);
            try (Socket accepted = server.accept()) {
                accepted.getInputStream().readNBytes("GET / HTTP/1.1\r\n\r\n".length());
                ExchangeResult result = handle.awaitNext(Duration.ofSeconds(10));
                assertThat(result.outcome()).isEqualTo(Outcome.OK);
                assertThat(accepted.getInetAddress().getHostAddress()).isEqualTo("127.0.0.1");
            }
            assertThat(runtime.expectUsers(this, (int) Math.min(Integer.MAX_VALUE, runtime.limits().capacity())))
                .as("as many users as the host holds").isFalse();
            assertThat(runtime.expectUsers(new Object(), 1)).as("one more: warned").isTrue();
            assertThat(runtime.expectUsers(new Object(), 1)).as("warned once").isFalse();
            runtime.release();
            assertThat(runtime.isStopped()).isTrue();
        }
    }

    @Test
    void shouldExplainALocalAddressThatIsNotOnThisHostWhenTheTransportIsKernel() {
        ReplaySettings settings = new ReplaySettings("127.0.0.1", 80, "", null, "", 1, Duration.ofSeconds(5),
            Duration.ofSeconds(5), Duration.ofSeconds(5), false, 0, 0, TransportSpec.parse("kernel 192.0.2.1"),
            TargetMap.EMPTY);

        assertThatThrownBy(() -> ReplayRuntime.acquire(settings)).isInstanceOf(ReplayRuntimeException.class)
            .hasMessage("transport kernel: local address 192.0.2.1 is not on any interface of this host (expected: "
                + "addresses of this host, see 'ip -br address')");
        assertThat(ReplayRuntime.runningCount()).isZero();
    }

    private ReplayRuntime.Transport transport(List<InetAddress> targets) {
        closed = false;
        return new ReplayRuntime.Transport() {
            @Override
            public void send(byte[] packet, int offset, int length) {
                sent.add(java.util.Arrays.copyOfRange(packet, offset, offset + length));
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }

    private static ReplaySettings settings(String clients) {
        return new ReplaySettings("198.19.1.2", 80, "", null, clients, 1, Duration.ofSeconds(5),
            Duration.ofSeconds(5), Duration.ofSeconds(5), false, 1024, 0, TransportSpec.RAW_IP,
            TargetMap.EMPTY);
    }

    private static RecordedSession session() throws Exception {
        return RecordedSession.builder(new Endpoint(InetAddress.getByName("10.0.0.1"), 40000),
                new Endpoint(InetAddress.getByName("10.0.0.2"), 80))
            .exchange("GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), new byte[0], 0)
            .build();
    }
}
