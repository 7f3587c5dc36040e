package io.pcapreplay.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pcapreplay.protocol.AcceptMessage;
import io.pcapreplay.protocol.AckMessage;
import io.pcapreplay.protocol.AddressRange;
import io.pcapreplay.protocol.AgentMessage;
import io.pcapreplay.protocol.AgentProtocol;
import io.pcapreplay.protocol.CapturedMessage;
import io.pcapreplay.protocol.CapturedPacket;
import io.pcapreplay.protocol.ErrorCode;
import io.pcapreplay.protocol.ErrorMessage;
import io.pcapreplay.protocol.HeartbeatMessage;
import io.pcapreplay.protocol.HelloMessage;
import io.pcapreplay.protocol.HostQueryMessage;
import io.pcapreplay.protocol.HostReportMessage;
import io.pcapreplay.protocol.RegisterMessage;
import io.pcapreplay.protocol.RejectMessage;
import io.pcapreplay.protocol.StatsMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AgentClientTest {

    private static final AcceptMessage ACCEPT = new AcceptMessage(AgentProtocol.VERSION, "test", 65_535, 16, 1024,
            30_000);

    private final BlockingQueue<CapturedPacket> packets = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> closed = new LinkedBlockingQueue<>();
    private final AgentListener listener = new AgentListener() {
        @Override
        public void onPackets(List<CapturedPacket> batch) {
            packets.addAll(batch);
        }

        @Override
        public void onClosed(String reason) {
            closed.add(reason);
        }
    };

    @Test
    void shouldRegisterAndReceivePacketsInOrderWhenAgentAccepts() throws Exception {
        List<CapturedPacket> sent = List.of(new CapturedPacket(1, 40, new byte[40]),
                new CapturedPacket(2, 1500, new byte[60]));
        try (FakeAgent agent = new FakeAgent(message -> answer(message, sent))) {
            try (AgentClient client = AgentClient.connect(config(agent.address()).withPayloadCap(0), listener)) {
                client.register(List.of(AddressRange.parse("198.18.0.0/24")));

                assertThat(client.accept().agentVersion()).isEqualTo("test");
                assertThat(next()).isEqualTo(sent.get(0));
                assertThat(next()).isEqualTo(sent.get(1));
                HelloMessage hello = (HelloMessage) agent.received().poll(5, TimeUnit.SECONDS);
                assertThat(hello.token()).isEqualTo("s3cret");
                assertThat(hello.payloadCap()).isZero();
                agent.send(new StatsMessage(1, 2, 3, 4, 5, 6, 7));
                agent.send(new ErrorMessage(0, ErrorCode.SHUTTING_DOWN, "agent is stopping"));
            }
            assertThat(closed.poll(5, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void shouldFailRefusedWithAgentReasonWhenTokenIsWrong() throws Exception {
        try (FakeAgent agent = new FakeAgent(message -> List.of(new RejectMessage(ErrorCode.BAD_TOKEN,
                "auth token of replayer 'r': does not match")))) {
            assertThatThrownBy(() -> AgentClient.connect(config(agent.address()), listener))
                    .isInstanceOfSatisfying(AgentClientException.class,
                            e -> assertThat(e.kind()).isEqualTo(AgentClientException.Kind.REFUSED))
                    .hasMessageContaining("refused this replayer: BAD_TOKEN: auth token of replayer 'r'");
        }
    }

    @Test
    void shouldFailVersionMismatchWhenAgentSpeaksAnotherVersion() throws Exception {
        try (FakeAgent agent = new FakeAgent(message -> List.of(new AcceptMessage(7, "9.9", 0, 1, 1, 0))))  {
            assertThatThrownBy(() -> AgentClient.connect(config(agent.address()), listener))
                    .isInstanceOfSatisfying(AgentClientException.class,
                            e -> assertThat(e.kind()).isEqualTo(AgentClientException.Kind.VERSION_MISMATCH))
                    .hasMessageContaining("protocol version: 7 (expected: " + AgentProtocol.VERSION
                            + "; agent software 9.9");
        }
    }

    @Test
    void shouldFailUnreachableWhenNothingListens() throws IOException {
        InetSocketAddress closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = (InetSocketAddress) socket.getLocalSocketAddress();
        }

        assertThatThrownBy(() -> AgentClient.connect(config(closedPort), listener))
                .isInstanceOfSatisfying(AgentClientException.class,
                        e -> assertThat(e.kind()).isEqualTo(AgentClientException.Kind.UNREACHABLE))
                .hasMessageContaining("cannot connect")
                .hasMessageContaining("intercept agent listening there");
    }

    @Test
    void shouldFailProtocolWhenPeerIsAnHttpServer() throws Exception {
        byte[] http = "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try (FakeAgent agent = FakeAgent.rawAnswer(http)) {
            assertThatThrownBy(() -> AgentClient.connect(config(agent.address()), listener))
                    .isInstanceOfSatisfying(AgentClientException.class,
                            e -> assertThat(e.kind()).isEqualTo(AgentClientException.Kind.PROTOCOL))
                    .hasMessageContaining("is the peer a pcap-replay agent");
        }
    }

    @Test
    void shouldFailRequestWhenAgentRefusesTheRange() throws Exception {
        try (FakeAgent agent = new FakeAgent(message -> message instanceof RegisterMessage register
                ? List.of(new ErrorMessage(register.requestId(), ErrorCode.RANGE_OWNED, "owned by 'other'"))
                : List.of(ACCEPT));
                AgentClient client = AgentClient.connect(config(agent.address()), listener)) {
            assertThatThrownBy(() -> client.register(List.of(AddressRange.parse("198.18.0.0/24"))))
                    .isInstanceOfSatisfying(AgentClientException.class,
                            e -> assertThat(e.kind()).isEqualTo(AgentClientException.Kind.REQUEST_FAILED))
                    .hasMessageContaining("RANGE_OWNED: owned by 'other'");
            assertThat(client.isConnected()).isTrue();
        }
    }

    @Test
    void shouldFailTimeoutWhenAgentNeverAnswers() throws Exception {
        try (FakeAgent agent = new FakeAgent(message -> List.of())) {
            AgentClientConfig quick = new AgentClientConfig(agent.address(), "s3cret", "r", -1,
                    Duration.ofSeconds(2), Duration.ofMillis(300));

            assertThatThrownBy(() -> AgentClient.connect(quick, listener))
                    .isInstanceOfSatisfying(AgentClientException.class,
                            e -> assertThat(e.kind()).isEqualTo(AgentClientException.Kind.TIMEOUT))
                    .hasMessageContaining("handshake with agent");
        }
    }

    @Test
    void shouldSendHeartbeatsAndCloseWhenAgentStaysSilent() throws Exception {
        AcceptMessage shortTimeout = new AcceptMessage(AgentProtocol.VERSION, "test", 65_535, 16, 1024, 600);
        try (FakeAgent agent = new FakeAgent(message -> message instanceof HelloMessage
                ? List.of(shortTimeout) : List.of());
                AgentClient client = AgentClient.connect(config(agent.address()), listener)) {
            assertThat(agent.received().poll(5, TimeUnit.SECONDS)).isInstanceOf(HelloMessage.class);

            assertThat(agent.received().poll(5, TimeUnit.SECONDS)).isInstanceOf(HeartbeatMessage.class);
            assertThat(closed.poll(10, TimeUnit.SECONDS)).contains("silent too long");
            assertThat(client.isConnected()).isFalse();
        }
    }

    @Test
    void shouldEstimateTheAgentClockOffsetWhenTheAgentAnswersProbesWithAShiftedClock() throws Exception {
        long shift = -3_250_000_000L; // the agent's clock 3.25 s behind
        try (FakeAgent agent = new FakeAgent(message -> {
            if (message instanceof HelloMessage) {
                return List.of(ACCEPT);
            }
            if (message instanceof HeartbeatMessage probe) {
                long now = wallNanos() + shift;
                return List.of(HeartbeatMessage.answer(probe, now, wallNanos() + shift));
            }
            return List.of();
        });
                AgentClient client = AgentClient.connect(config(agent.address()), listener)) {
            assertThat(client.clock().awaitBurst(Duration.ofSeconds(10))).isTrue();

            ClockOffset estimate = client.clock().estimate();
            assertThat(estimate.probes()).isGreaterThanOrEqualTo(1);
            assertThat(Math.abs(estimate.offsetNanos() - shift)).as(estimate.describe())
                    .isLessThanOrEqualTo(estimate.uncertaintyNanos() + 50_000);
            assertThat(client.clock().trusted()).as(client.clock().describe()).isTrue();
            long local = System.nanoTime();
            long capture = wallNanos() + shift;
            assertThat(client.clock().toEngineNanos(capture) - local).as("a capture now, on the engine clock")
                    .isBetween(-estimate.uncertaintyNanos() - 200_000, estimate.uncertaintyNanos() + 200_000);
        }
    }

    private static long wallNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Test
    void shouldFailClosedWhenConnectionIsGoneBeforeARequest() throws Exception {
        try (FakeAgent agent = new FakeAgent(message -> message instanceof HelloMessage
                ? List.of(ACCEPT) : new ArrayList<>(java.util.Collections.singletonList(null)));
                AgentClient client = AgentClient.connect(config(agent.address()), listener)) {
            assertThatThrownBy(() -> client.register(List.of(AddressRange.parse("198.18.0.0/24"))))
                    .isInstanceOfSatisfying(AgentClientException.class,
                            e -> assertThat(e.kind()).isEqualTo(AgentClientException.Kind.CLOSED));
            assertThat(closed.poll(5, TimeUnit.SECONDS)).contains("closed the connection");
        }
    }

    @Test
    void shouldReturnTheAgentsHostFactsWhenAskedAboutItsHost() throws Exception {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put(HostReportMessage.IPV4_FORWARDING, "1");
        facts.put(HostReportMessage.CAPTURE_DEVICES, "eth1");
        try (FakeAgent agent = new FakeAgent(message -> message instanceof HostQueryMessage query
                ? List.of(new HostReportMessage(query.requestId(), facts)) : List.of(ACCEPT));
                AgentClient client = AgentClient.connect(config(agent.address()), listener)) {
            assertThat(client.hostReport()).containsExactlyEntriesOf(facts);
            assertThat(client.isConnected()).isTrue();
        }
    }

    @Test
    void shouldFailClosedWhenTheAgentClosesOnAHostQuery() throws Exception {
        try (FakeAgent agent = new FakeAgent(message -> message instanceof HostQueryMessage
                ? java.util.Arrays.asList(new ErrorMessage(0, ErrorCode.UNEXPECTED_MESSAGE,
                        "message from replayer: HOST_QUERY"), null)
                : List.of(ACCEPT));
                AgentClient client = AgentClient.connect(config(agent.address()), listener)) {
            assertThatThrownBy(client::hostReport)
                    .isInstanceOfSatisfying(AgentClientException.class,
                            e -> assertThat(e.kind()).isEqualTo(AgentClientException.Kind.CLOSED))
                    .hasMessageContaining("HOST_QUERY");
        }
    }

    private static List<AgentMessage> answer(AgentMessage message, List<CapturedPacket> sent) {
        if (message instanceof HelloMessage) {
            return List.of(ACCEPT);
        }
        if (message instanceof RegisterMessage register) {
            return List.of(new AckMessage(register.requestId()), new CapturedMessage(sent));
        }
        return List.of();
    }

    private CapturedPacket next() throws InterruptedException {
        return packets.poll(5, TimeUnit.SECONDS);
    }

    private static AgentClientConfig config(InetSocketAddress agent) {
        return AgentClientConfig.of(agent, "s3cret", "r");
    }
}
