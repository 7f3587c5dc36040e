package io.pcapreplay.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.lab.target.EmbeddedTarget;
import io.pcapreplay.net.AgentClient;
import io.pcapreplay.net.AgentClientConfig;
import io.pcapreplay.net.AgentClientException;
import io.pcapreplay.net.AgentListener;
import io.pcapreplay.packet.IpTcpView;
import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.protocol.AddressRange;
import io.pcapreplay.protocol.AgentMessage;
import io.pcapreplay.protocol.AgentMessageDecoder;
import io.pcapreplay.protocol.CapturedPacket;
import io.pcapreplay.protocol.ErrorCode;
import io.pcapreplay.protocol.RejectMessage;
import io.pcapreplay.protocol.StatsMessage;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent in the lab: the target answers SYNs from fake clients; its SYN-ACKs and data go to the assistant, where
 * the agent (the real jar as a process in the assistant namespace) captures them and streams them to AgentClients
 * in the client namespace.
 */
@LabTest
class InterceptAgentLabIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static LabAgent agent;
    private static EmbeddedTarget target;
    private static FakeClient sender;

    @BeforeAll
    static void start(Lab lab) throws Exception {
        target = lab.target().startEmbeddedTarget(0, 0);
        agent = LabAgent.start(lab, "--stats-interval", "1");
        sender = new FakeClient(lab);
    }

    @AfterAll
    static void stop() {
        if (sender != null) {
            sender.close();
        }
        if (agent != null) {
            int exit = agent.stop();
            if (agent.isProcess()) {
                assertThat(agent.output()).contains("final stats: captured")
                    .containsPattern("relay warm-up: [1-9][0-9]* synthetic packets relayed to a replayer of its own")
                    .doesNotContain("relay warm-up: skipped");
                assertThat(agent.output().indexOf("relay warm-up:")).as("before it says it listens")
                    .isLessThan(agent.output().indexOf("listening for replayers"));
                assertThat(exit).isIn(0, 143);
            }
        }
    }

    @Test
    void shouldDeliverSynAckAndResponseInOrderWhenReplayerRegisteredTheFakeClient(Lab lab) throws Exception {
        InetAddress fake = InetAddress.getByName("198.18.1.10");
        List<CapturedPacket> received = exchange(lab, fake, 40_001, -1);

        IpTcpView first = view(received.get(0));
        assertThat(first.flags()).isEqualTo(TcpHeader.SYN | TcpHeader.ACK);
        assertThat(first.destinationAddress()).isEqualTo(fake);
        assertThat(first.destinationPort()).isEqualTo(40_001);
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        long previousTimestamp = 0;
        int expectedSequence = first.sequence() + 1;
        for (CapturedPacket packet : received.subList(1, received.size())) {
            IpTcpView view = view(packet);
            assertThat(packet.timestampNanos()).isGreaterThanOrEqualTo(previousTimestamp);
            assertThat(packet.truncated()).isFalse();
            if (view.capturedPayloadLength() > 0) {
                assertThat(view.sequence()).as("segments arrive in order, none missing").isEqualTo(expectedSequence);
                response.write(packet.data(), view.payloadOffset() - view.ipOffset(), view.capturedPayloadLength());
                expectedSequence += view.capturedPayloadLength();
            }
            previousTimestamp = packet.timestampNanos();
            if ((view.flags() & TcpHeader.FIN) != 0) {
                break;
            }
        }
        assertThat(response.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200 OK\r\n")
                .contains("Connection: close");
    }

    @Test
    void shouldForwardHeadersOnlyAndOriginalLengthWhenPayloadCapIsZero(Lab lab) throws Exception {
        InetAddress fake = InetAddress.getByName("198.18.5.10");
        List<CapturedPacket> received = exchange(lab, fake, 40_005, 0);

        List<CapturedPacket> withPayload = received.stream()
                .filter(packet -> packet.originalLength() > packet.data().length).toList();
        assertThat(withPayload).as("response segments, truncated to their headers").isNotEmpty();
        assertThat(received).allSatisfy(packet -> {
            IpTcpView view = view(packet);
            assertThat(packet.data()).hasSize(view.ipHeaderLength() + view.tcpHeaderLength());
            assertThat(view.totalLength()).isEqualTo(packet.originalLength());
        });
    }

    /** A fake client's GET with Connection: close; returns every packet the replayer got up to the FIN. */
    private static List<CapturedPacket> exchange(Lab lab, InetAddress fake, int port, int payloadCap)
            throws Exception {
        Collector packets = new Collector();
        byte[] address = fake.getAddress();
        String range = (address[0] & 0xFF) + "." + (address[1] & 0xFF) + "." + (address[2] & 0xFF) + ".0/24";
        String request = "GET / HTTP/1.1\r\nHost: target\r\nConnection: close\r\n\r\n";
        try (AgentClient client = connect(lab, "engine-" + port, packets, payloadCap)) {
            client.register(List.of(AddressRange.parse(range)));
            sender.syn(fake, port, target.httpPort(), 1000);
            IpTcpView synAck = packets.await(view -> view.flags() == (TcpHeader.SYN | TcpHeader.ACK));
            sender.data(fake, port, target.httpPort(), 1001, synAck.sequence() + 1, request);
            packets.await(view -> (view.flags() & TcpHeader.FIN) != 0);
            sender.reset(fake, port, target.httpPort(), 1001 + request.length());
        }
        return packets.all();
    }

    @Test
    void shouldGiveEachReplayerOnlyItsOwnPacketsWhenTwoRegisterDifferentRanges(Lab lab) throws Exception {
        Collector first = new Collector();
        Collector second = new Collector();
        try (AgentClient one = connect(lab, "engine-a", first, -1);
                AgentClient two = connect(lab, "engine-b", second, 0)) {
            one.register(List.of(AddressRange.parse("198.18.2.0/24")));
            two.register(List.of(AddressRange.parse("198.18.3.0/24")));
            assertThatThrownBy(() -> two.register(List.of(AddressRange.parse("198.18.2.128/25"))))
                    .isInstanceOfSatisfying(AgentClientException.class,
                            e -> assertThat(e.kind()).isEqualTo(AgentClientException.Kind.REQUEST_FAILED))
                    .hasMessageContaining("RANGE_OWNED");

            for (int i = 1; i <= 5; i++) {
                sender.syn(InetAddress.getByName("198.18.2." + i), 41_000 + i, target.httpPort(), 7);
                sender.syn(InetAddress.getByName("198.18.3." + i), 42_000 + i, target.httpPort(), 7);
                sender.syn(InetAddress.getByName("198.18.4." + i), 43_000 + i, target.httpPort(), 7);
            }
            Set<String> expectedFirst = endpoints("198.18.2.", 41_000);
            Set<String> expectedSecond = endpoints("198.18.3.", 42_000);
            first.awaitEndpoints(expectedFirst);
            second.awaitEndpoints(expectedSecond);
            StatsMessage stats = awaitStats(one, s -> s.unrouted() >= 5);

            assertThat(first.endpoints()).isEqualTo(expectedFirst);
            assertThat(second.endpoints()).isEqualTo(expectedSecond);
            assertThat(second.all()).allSatisfy(packet -> assertThat(packet.data())
                    .hasSize(view(packet).ipHeaderLength() + view(packet).tcpHeaderLength()));
            assertThat(stats.delivered()).isGreaterThanOrEqualTo(5);
            for (int i = 1; i <= 5; i++) {
                sender.reset(InetAddress.getByName("198.18.2." + i), 41_000 + i, target.httpPort(), 8);
                sender.reset(InetAddress.getByName("198.18.3." + i), 42_000 + i, target.httpPort(), 8);
                sender.reset(InetAddress.getByName("198.18.4." + i), 43_000 + i, target.httpPort(), 8);
            }
        }
    }

    @Test
    void shouldDeliverIpv6SynAckWhenReplayerRegisteredAnIpv6Range(Lab lab) throws Exception {
        Collector packets = new Collector();
        InetAddress fake = lab.fakeClientRangeIpv6().host(0x10);
        try (AgentClient client = connect(lab, "engine-6", packets, -1)) {
            client.register(List.of(AddressRange.parse(lab.fakeClientRangeIpv6().network().getHostAddress() + "/64")));

            sender.syn(fake, 40_106, target.httpPort(), 1000);
            IpTcpView synAck = packets.await(view -> view.flags() == (TcpHeader.SYN | TcpHeader.ACK));
            sender.reset(fake, 40_106, target.httpPort(), 1001);

            assertThat(synAck.version()).isEqualTo(6);
            assertThat(synAck.destinationAddress()).isEqualTo(fake);
            assertThat(synAck.destinationPort()).isEqualTo(40_106);
        }
    }

    @Test
    void shouldCloseOnlyTheMalformedConnectionWhenAPeerSendsGarbage(Lab lab) throws Exception {
        byte[] answer = lab.client().call(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(agent.address(), 5000);
                socket.setSoTimeout(10_000);
                byte[] http = "GET / HTTP/1.1\r\nHost: agent\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                socket.getOutputStream().write(http);
                return socket.getInputStream().readAllBytes();
            }
        });

        List<AgentMessage> messages = new AgentMessageDecoder().feed(answer);
        assertThat(messages).singleElement().isInstanceOfSatisfying(RejectMessage.class,
                reject -> assertThat(reject.reason()).isEqualTo(ErrorCode.MALFORMED_FRAME));
        try (AgentClient client = connect(lab, "after-garbage", new Collector(), -1)) {
            assertThat(client.isConnected()).isTrue();
        }
    }

    @Test
    void shouldRefuseReplayerWhenTokenIsWrong(Lab lab) {
        AgentClientConfig wrong = AgentClientConfig.of(agent.address(), "not-the-token", "intruder");

        assertThatThrownBy(() -> lab.client().call(() -> AgentClient.connect(wrong, new Collector())))
                .hasRootCauseInstanceOf(AgentClientException.class)
                .rootCause().hasMessageContaining("BAD_TOKEN").hasMessageContaining("intruder");
    }

    private static AgentClient connect(Lab lab, String name, Collector collector, int payloadCap) {
        AgentClientConfig config = AgentClientConfig.of(agent.address(), LabAgent.TOKEN, name)
                .withPayloadCap(payloadCap);
        return lab.client().call(() -> AgentClient.connect(config, collector));
    }

    private static StatsMessage awaitStats(AgentClient client, Predicate<StatsMessage> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            StatsMessage stats = client.lastStats();
            if (stats != null && condition.test(stats)) {
                return stats;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no STATS matching within " + WAIT + "; last: " + client.lastStats());
    }

    private static Set<String> endpoints(String prefix, int basePort) {
        Set<String> endpoints = new HashSet<>();
        for (int i = 1; i <= 5; i++) {
            endpoints.add(prefix + i + ":" + (basePort + i));
        }
        return endpoints;
    }

    static IpTcpView view(CapturedPacket packet) {
        return new IpTcpView().wrap(packet.data(), 0, packet.data().length);
    }

    /** Collects what the agent delivers to one replayer. */
    private static final class Collector implements AgentListener {
        private final BlockingQueue<CapturedPacket> queue = new LinkedBlockingQueue<>();
        private final List<CapturedPacket> seen = new ArrayList<>();

        @Override
        public void onPackets(List<CapturedPacket> packets) {
            queue.addAll(packets);
        }

        IpTcpView await(Predicate<IpTcpView> condition) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                CapturedPacket packet = queue.poll(100, TimeUnit.MILLISECONDS);
                if (packet != null) {
                    seen.add(packet);
                    IpTcpView view = view(packet);
                    if (condition.test(view)) {
                        return view;
                    }
                }
            }
            throw new AssertionError("no matching packet within " + WAIT + "; received " + seen.size());
        }

        void awaitEndpoints(Set<String> expected) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!endpoints().containsAll(expected) && System.nanoTime() < deadline) {
                CapturedPacket packet = queue.poll(100, TimeUnit.MILLISECONDS);
                if (packet != null) {
                    seen.add(packet);
                }
            }
        }

        Set<String> endpoints() {
            Set<String> endpoints = new HashSet<>();
            for (CapturedPacket packet : seen) {
                IpTcpView view = view(packet);
                endpoints.add(view.destinationAddress().getHostAddress() + ":" + view.destinationPort());
            }
            return endpoints;
        }

        List<CapturedPacket> all() {
            queue.drainTo(seen);
            return seen;
        }
    }
}
