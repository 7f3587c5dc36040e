package io.pcapreplay.tcp;

import static io.pcapreplay.tcp.EngineHarness.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pcapreplay.packet.IpAddresses;
import io.pcapreplay.packet.IpTcpView;
import io.pcapreplay.pcap.RecordedSession;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EngineApiTest {

    @Test
    @Timeout(10)
    void shouldHandResultsToABlockingHandleInOrder() throws Exception {
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(), config -> { });
        SessionHandle handle = harness.engine.startSession(harness.session);
        assertThat(handle.awaitNext(Duration.ofMillis(20))).isNull(); // nothing yet: the timeout passes
        harness.run(50);

        ExchangeResult first = handle.awaitNext(Duration.ofSeconds(5));
        ExchangeResult second = handle.awaitNext(Duration.ofSeconds(5));
        assertThat(first.exchangeIndex()).isZero();
        assertThat(second.exchangeIndex()).isEqualTo(1);
        assertThat(first.sessionId()).isEqualTo(handle.id());
        assertThat(handle.isDone()).isTrue();
        assertThat(handle.awaitNext(Duration.ofSeconds(5))).isNull(); // done and drained: no wait
        assertThat(harness.results).isEmpty();
    }

    @Test
    @Timeout(10)
    void shouldWakeAWaitingThreadWhenTheLoopPublishes() throws Exception {
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(), config -> { });
        SessionHandle handle = harness.engine.startSession(harness.session);
        AtomicReference<ExchangeResult> received = new AtomicReference<>();
        Thread user = new Thread(() -> {
            try {
                received.set(handle.awaitNext(Duration.ofSeconds(8)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        user.start();
        harness.run(50);
        user.join(9_000);
        assertThat(received.get()).isNotNull();
        assertThat(received.get().outcome()).isEqualTo(Outcome.OK);
    }

    @Test
    @Timeout(10)
    void shouldStopWaitingWhenTheUserThreadIsInterrupted() throws Exception {
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(), config -> { });
        SessionHandle handle = harness.engine.startSession(harness.session);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread user = new Thread(() -> {
            try {
                handle.awaitNext(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                thrown.set(e);
            }
        });
        user.start();
        user.interrupt();
        user.join(9_000);
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    }

    @Test
    void shouldSendTheSynToTheSessionsOwnTargetWhenOneIsGiven() throws Exception {
        List<String> destinations = new ArrayList<>();
        IpTcpView view = new IpTcpView();
        EngineHarness.ManualClock clock = new EngineHarness.ManualClock();
        ReplayEngine engine = ReplayEngine.manual(EngineConfig.builder(EngineHarness.pool()).build(),
            (packet, offset, length) -> {
                view.wrap(packet, offset, length);
                destinations.add(IpAddresses.formatV4(view.destinationV4()) + ":" + view.destinationPort());
            }, clock);
        RecordedSession session = EngineHarness.twoExchanges();

        engine.startSession(session, new InetSocketAddress(InetAddress.getByName("198.19.1.9"), 8080), null);
        engine.startSession(session, new InetSocketAddress(InetAddress.getByName("198.19.1.7"), 0), null);
        engine.startSession(session, null, null);
        engine.runOnce(clock.now);

        assertThat(destinations).containsExactly("198.19.1.9:8080", "198.19.1.7:" + session.server().port(),
            session.server().address().getHostAddress() + ":" + session.server().port());
    }

    @Test
    void shouldRefuseAwaitNextWhenTheSessionHasAListener() {
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(), config -> { });
        SessionHandle handle = harness.start();
        assertThatThrownBy(() -> handle.awaitNext(Duration.ofMillis(1))).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("listener");
    }

    @Test
    @Timeout(20)
    void shouldReplayOnItsOwnThreadWithTheSystemClock() throws Exception {
        RecordedSession session = EngineHarness.twoExchanges();
        SimulatedServer server = new SimulatedServer(session, EngineHarness.SERVER_ADDRESS, EngineHarness.SERVER_PORT);
        EngineConfig config = EngineConfig.builder(EngineHarness.pool()).speedFactor(10).build();
        try (ReplayEngine engine = ReplayEngine.start(config, server)) {
            server.engine = engine;
            List<SessionHandle> handles = new ArrayList<>();
            for (int index = 0; index < 5; index++) {
                handles.add(engine.startSession(session));
            }
            for (SessionHandle handle : handles) {
                for (int exchange = 0; exchange < 2; exchange++) {
                    ExchangeResult result = handle.awaitNext(Duration.ofSeconds(10));
                    assertThat(result).isNotNull();
                    assertThat(result.outcome()).isEqualTo(Outcome.OK);
                    assertThat(result.exchangeIndex()).isEqualTo(exchange);
                }
            }
            assertThatThrownBy(() -> engine.runOnce(0)).isInstanceOf(IllegalStateException.class);
            assertThat(engine.stop(Duration.ofSeconds(5))).isTrue();
            assertThat(engine.stats().started()).isEqualTo(5);
        }
    }

    @Test
    void shouldCountDropsWhenTheInboundQueueStaysFull() { // each dropped packet waited for the loop first
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(),
            config -> config.inboundQueueCapacity(16));
        byte[] packet = new byte[40];
        for (int index = 0; index < 20; index++) {
            harness.engine.deliver(packet, 0, packet.length);
        }
        assertThat(harness.engine.stats().inboundDrops()).isEqualTo(4);
        harness.settle();
        assertThat(harness.engine.stats().packetsReceived()).isEqualTo(16);
        assertThat(harness.engine.stats().malformedPackets()).isEqualTo(16); // version 0: not IP
    }

    @Test
    void shouldIgnorePacketsForNoOpenConnection() {
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(), config -> { });
        harness.start();
        harness.run(50);
        long ignoredBefore = harness.engine.stats().ignoredPackets();
        SimulatedServer.Peer stranger = new SimulatedServer.Peer();
        stranger.clientAddress = 0xC612_0909;
        stranger.clientPort = 4_444;
        harness.server.segment(stranger, io.pcapreplay.packet.TcpHeader.ACK, 1, new byte[0]);
        harness.settle();
        assertThat(harness.engine.stats().ignoredPackets()).isEqualTo(ignoredBefore + 1);
    }

    @Test
    void shouldCountListenerExceptionsAndKeepGoing() {
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(), config -> { });
        harness.engine.startSession(harness.session, result -> {
            throw new IllegalStateException("listener bug");
        });
        harness.run(50);
        assertThat(harness.engine.stats().listenerErrors()).isEqualTo(2);
        assertThat(harness.engine.stats().completed()).isEqualTo(1);
    }

    @Test
    void shouldTreatASenderFailureAsALostPacket() {
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(), config -> { });
        int[] calls = {0};
        harness.server.drop = seen -> {
            if (calls[0]++ == 0) {
                throw new IllegalStateException("sendto failed"); // the first SYN
            }
            return false;
        };
        harness.start();
        harness.run(2_000);
        assertThat(harness.engine.stats().sendErrors()).isEqualTo(1);
        assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK, Outcome.OK);
    }

    @Test
    void shouldExplainInvalidSettings() throws Exception {
        assertThatThrownBy(() -> EngineConfig.builder(EngineHarness.pool()).pathMtu(100).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessage("path MTU: 100 (expected: 576 to 65535)");
        assertThatThrownBy(() -> EngineConfig.builder(EngineHarness.pool()).speedFactor(-1).build())
            .hasMessageContaining("speed factor: -1.0 (expected: >= 0");
        assertThatThrownBy(() -> EngineConfig.builder(EngineHarness.pool()).response(Duration.ZERO,
            Duration.ofMillis(1)).build()).hasMessageContaining("response timeout: PT0S (expected: a positive");
        assertThatThrownBy(() -> EngineConfig.builder(EngineHarness.pool()).pacing(0, 0).build())
            .hasMessageContaining("max half-open: 0 (expected: 1 to");
        assertThatThrownBy(() -> EngineConfig.builder(ClientAddressPool.parse("2001:2:0:ff00::/120", List.of(),
            AddressAllocation.IP_FIRST, 1)).target(java.net.InetAddress.getByName("198.19.0.2"), 80).build())
            .hasMessageStartingWith("client addresses: '2001:2:0:ff00::/120' has no IPv4 range, needed to replay "
                + "to the IPv4 server 198.19.0.2:80 (expected: an IPv4 range next to the others");
    }

    @Test
    void shouldRejectASessionOfTheOtherFamilyWithoutATarget() throws Exception {
        RecordedSession session = RecordedSession.builder(
                new io.pcapreplay.pcap.Endpoint(java.net.InetAddress.getByName("2001:2::1"), 40_000),
                new io.pcapreplay.pcap.Endpoint(java.net.InetAddress.getByName("2001:2::2"), 80))
            .exchange(text("a"), text("b"), 0).build();
        EngineHarness harness = new EngineHarness(EngineHarness.twoExchanges(), config -> { });
        assertThatThrownBy(() -> harness.engine.startSession(session)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("has no IPv6 range, needed to replay to the IPv6 server [2001:2::2]:80 (expected:");
    }
}
