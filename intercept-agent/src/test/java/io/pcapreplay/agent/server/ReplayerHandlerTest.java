package io.pcapreplay.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.pcapreplay.agent.router.RouterTestPackets;
import io.pcapreplay.protocol.AcceptMessage;
import io.pcapreplay.protocol.AckMessage;
import io.pcapreplay.protocol.AddressRange;
import io.pcapreplay.protocol.AgentMessage;
import io.pcapreplay.protocol.AgentProtocol;
import io.pcapreplay.protocol.ErrorCode;
import io.pcapreplay.protocol.ErrorMessage;
import io.pcapreplay.protocol.HeartbeatMessage;
import io.pcapreplay.protocol.HelloMessage;
import io.pcapreplay.protocol.HostQueryMessage;
import io.pcapreplay.protocol.HostReportMessage;
import io.pcapreplay.protocol.RegisterMessage;
import io.pcapreplay.protocol.RejectMessage;
import io.pcapreplay.protocol.UnregisterMessage;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReplayerHandlerTest {

    private final AgentChannels agent = new AgentChannels(1 << 20);

    @Test
    void shouldAcceptWhenVersionAndTokenMatch() {
        EmbeddedChannel channel = agent.open();

        agent.send(channel, HelloMessage.of(AgentChannels.TOKEN, "engine-1", -1));

        List<AgentMessage> answers = AgentChannels.received(channel);
        assertThat(answers).singleElement().isInstanceOfSatisfying(AcceptMessage.class, accept -> {
            assertThat(accept.version()).isEqualTo(AgentProtocol.VERSION);
            assertThat(accept.maxRanges()).isEqualTo(4);
            assertThat(accept.heartbeatTimeoutMillis()).isEqualTo(30_000);
        });
        assertThat(channel.isActive()).isTrue();
        assertThat(agent.sessions).extracting(ReplayerSession::name).containsExactly("engine-1");
    }

    @Test
    void shouldRejectAndCloseWhenTokenIsWrong() {
        EmbeddedChannel channel = agent.open();

        agent.send(channel, HelloMessage.of("guess", "engine-1", -1));

        assertThat(AgentChannels.received(channel)).singleElement().isInstanceOfSatisfying(RejectMessage.class,
                reject -> {
                    assertThat(reject.reason()).isEqualTo(ErrorCode.BAD_TOKEN);
                    assertThat(reject.text()).contains("engine-1", "--token-file");
                });
        assertThat(channel.isActive()).isFalse();
        assertThat(agent.sessions).isEmpty();
    }

    @Test
    void shouldEscapeNameInRefusalWhenNameCarriesANewline() {
        EmbeddedChannel channel = agent.open();

        agent.send(channel, HelloMessage.of("guess", "x\n2026 INFO forged", -1));

        assertThat(AgentChannels.received(channel)).singleElement().isInstanceOfSatisfying(RejectMessage.class,
                reject -> assertThat(reject.text()).contains("'x\\n2026 INFO forged'").doesNotContain("\n"));
    }

    @Test
    void shouldRefuseAtOnceWhenUnauthenticatedFrameWouldExceedAHello() {
        EmbeddedChannel channel = agent.open();

        AgentChannels.sendBytes(channel, new byte[] {0, 0, 2, 1, 1});

        assertThat(AgentChannels.received(channel)).singleElement().isInstanceOfSatisfying(RejectMessage.class,
                reject -> {
                    assertThat(reject.reason()).isEqualTo(ErrorCode.MALFORMED_FRAME);
                    assertThat(reject.text()).contains("frame length: 513 (expected: 1..512");
                });
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void shouldAcceptLargeFramesAfterTheHandshakeWhenRequestFollowsHelloAtOnce() {
        EmbeddedChannel channel = agent.open();
        List<AddressRange> ranges = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ranges.add(AddressRange.parse("2001:2:0:" + i + "::/64"));
        }
        byte[] hello = new io.pcapreplay.protocol.AgentMessageEncoder().encode(HelloMessage.of(AgentChannels.TOKEN,
                "e", -1));
        byte[] register = new io.pcapreplay.protocol.AgentMessageEncoder().encode(new RegisterMessage(9, ranges));
        byte[] both = java.util.Arrays.copyOf(hello, hello.length + register.length);
        System.arraycopy(register, 0, both, hello.length, register.length);

        channel.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(both));

        assertThat(AgentChannels.received(channel)).hasSize(2).last().isEqualTo(new AckMessage(9));
    }

    @Test
    void shouldRejectAndCloseWhenVersionIsUnsupported() {
        EmbeddedChannel channel = agent.open();

        agent.send(channel, new HelloMessage(AgentProtocol.VERSION + 1, AgentChannels.TOKEN, "engine-1", -1));

        assertThat(AgentChannels.received(channel)).singleElement().isInstanceOfSatisfying(RejectMessage.class,
                reject -> assertThat(reject.reason()).isEqualTo(ErrorCode.BAD_VERSION));
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void shouldRejectWhenFirstMessageIsNotHello() {
        EmbeddedChannel channel = agent.open();

        agent.send(channel, HeartbeatMessage.probe(1, HeartbeatMessage.UNKNOWN_OFFSET, -1));

        assertThat(AgentChannels.received(channel)).singleElement().isInstanceOfSatisfying(RejectMessage.class,
                reject -> assertThat(reject.reason()).isEqualTo(ErrorCode.UNEXPECTED_MESSAGE));
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void shouldRejectAndCloseOnlyThatConnectionWhenFrameIsMalformed() {
        EmbeddedChannel good = accepted("good");
        EmbeddedChannel bad = agent.open();

        AgentChannels.sendBytes(bad, "GET / HTTP/1.1\r\n\r\n".getBytes());

        assertThat(AgentChannels.received(bad)).singleElement().isInstanceOfSatisfying(RejectMessage.class,
                reject -> {
                    assertThat(reject.reason()).isEqualTo(ErrorCode.MALFORMED_FRAME);
                    assertThat(reject.text()).contains("frame length: 1195725856");
                });
        assertThat(bad.isActive()).isFalse();
        assertThat(good.isActive()).isTrue();
    }

    @Test
    void shouldAckRegisterAndRefuseOverlapWhenTwoReplayersClaimRanges() {
        EmbeddedChannel first = accepted("first");
        EmbeddedChannel second = accepted("second");

        agent.send(first, new RegisterMessage(1, List.of(AddressRange.parse("198.18.0.0/24"))));
        agent.send(second, new RegisterMessage(2, List.of(AddressRange.parse("198.18.0.128/25"))));
        agent.send(second, new RegisterMessage(3, List.of(AddressRange.parse("198.18.1.0/24"))));

        assertThat(AgentChannels.received(first)).containsExactly(new AckMessage(1));
        List<AgentMessage> answers = AgentChannels.received(second);
        assertThat(answers).hasSize(2);
        assertThat(answers.get(0)).isInstanceOfSatisfying(ErrorMessage.class, error -> {
            assertThat(error.requestId()).isEqualTo(2);
            assertThat(error.code()).isEqualTo(ErrorCode.RANGE_OWNED);
            assertThat(error.text()).contains("'first'");
        });
        assertThat(answers.get(1)).isEqualTo(new AckMessage(3));
        assertThat(second.isActive()).isTrue();
    }

    @Test
    void shouldFreeRangesWhenReplayerDisconnects() {
        EmbeddedChannel first = accepted("first");
        agent.send(first, new RegisterMessage(1, List.of(AddressRange.parse("198.18.0.0/24"))));
        byte[] packet = RouterTestPackets.ipv4To(198, 18, 0, 9);
        assertThat(agent.router.route(packet, 0, packet.length)).isNotNull();

        first.close();

        assertThat(agent.router.route(packet, 0, packet.length)).isNull();
        assertThat(agent.sessions).isEmpty();
    }

    @Test
    void shouldAnswerErrorWhenUnregisteringAnUnknownRange() {
        EmbeddedChannel channel = accepted("first");

        agent.send(channel, new UnregisterMessage(5, List.of(AddressRange.parse("198.18.0.0/24"))));

        assertThat(AgentChannels.received(channel)).singleElement().isInstanceOfSatisfying(ErrorMessage.class,
                error -> assertThat(error.code()).isEqualTo(ErrorCode.NOT_REGISTERED));
    }

    @Test
    void shouldAnswerHeartbeatWithTheAgentClockWhenReplayerSendsAProbe() {
        EmbeddedChannel channel = accepted("first");
        long before = AgentTime.nowNanos();

        agent.send(channel, HeartbeatMessage.probe(123_456, -7_000, 30_000));

        long after = AgentTime.nowNanos();
        assertThat(AgentChannels.received(channel)).singleElement().isInstanceOfSatisfying(HeartbeatMessage.class,
                answer -> {
                    assertThat(answer.echoedNanos()).as("the probe's send time, echoed").isEqualTo(123_456);
                    assertThat(answer.receivedNanos()).isBetween(before, after);
                    assertThat(answer.sentNanos()).isBetween(answer.receivedNanos(), after);
                    assertThat(answer.hasOffset()).isFalse();
                });
    }

    @Test
    void shouldReportHostFactsWithTheRequestIdWhenReplayerAsks() {
        EmbeddedChannel channel = accepted("doctor");

        agent.send(channel, new HostQueryMessage(9));

        assertThat(AgentChannels.received(channel)).singleElement().isInstanceOfSatisfying(HostReportMessage.class,
                report -> {
                    assertThat(report.requestId()).isEqualTo(9);
                    assertThat(report.facts()).containsEntry(HostReportMessage.CAPTURE_DEVICES, "")
                            .containsEntry(HostReportMessage.CAPTURE_FILTER, "");
                });
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void shouldCloseAndFreeRangesWhenReplayerStaysSilent() {
        EmbeddedChannel channel = accepted("first");
        agent.send(channel, new RegisterMessage(1, List.of(AddressRange.parse("198.18.0.0/24"))));
        AgentChannels.received(channel);
        ReplayerSession session = agent.sessions.iterator().next();

        channel.advanceTimeBy(31, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(AgentChannels.received(channel)).singleElement().isInstanceOfSatisfying(ErrorMessage.class,
                error -> assertThat(error.code()).isEqualTo(ErrorCode.HEARTBEAT_TIMEOUT));
        assertThat(channel.isActive()).isFalse();
        assertThat(agent.router.rangesOf(session)).isEmpty();
        assertThat(agent.sessions).isEmpty();
    }

    @Test
    void shouldRejectWhenNoHelloArrivesInTime() {
        EmbeddedChannel channel = agent.open();

        channel.advanceTimeBy(11, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(AgentChannels.received(channel)).singleElement().isInstanceOfSatisfying(RejectMessage.class,
                reject -> assertThat(reject.reason()).isEqualTo(ErrorCode.HANDSHAKE_TIMEOUT));
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void shouldRefuseWhenAsManyReplayersAsAllowedAreConnected() {
        accepted("one");
        accepted("two");
        accepted("three");
        EmbeddedChannel fourth = agent.open();

        agent.send(fourth, HelloMessage.of(AgentChannels.TOKEN, "four", -1));

        assertThat(AgentChannels.received(fourth)).singleElement().isInstanceOfSatisfying(RejectMessage.class,
                reject -> {
                    assertThat(reject.reason()).isEqualTo(ErrorCode.TOO_MANY_REPLAYERS);
                    assertThat(reject.text()).contains("--max-replayers");
                });
        assertThat(fourth.isActive()).isFalse();
    }

    private EmbeddedChannel accepted(String name) {
        EmbeddedChannel channel = agent.open();
        agent.send(channel, HelloMessage.of(AgentChannels.TOKEN, name, -1));
        assertThat(AgentChannels.received(channel)).singleElement().isInstanceOf(AcceptMessage.class);
        return channel;
    }
}
