package io.pcapreplay.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.pcapreplay.protocol.AgentMessage;
import io.pcapreplay.protocol.CapturedMessage;
import io.pcapreplay.protocol.CapturedPacket;
import io.pcapreplay.protocol.netty.NettyAgentMessageEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayerSessionTest {

    @Test
    void shouldBatchPacketsInOrderWhenManyArriveAtOnce() {
        EmbeddedChannel channel = new EmbeddedChannel(new NettyAgentMessageEncoder());
        ReplayerSession session = new ReplayerSession(channel, "engine", -1, 1 << 24);

        for (int i = 0; i < 2500; i++) {
            byte[] frame = frameWithTcp(14, i, 100);
            session.offer(i, frame, 14, frame.length - 14, frame.length - 14);
        }
        session.wake();

        List<CapturedPacket> packets = packets(AgentChannels.received(channel));
        assertThat(packets).hasSize(2500);
        for (int i = 0; i < packets.size(); i++) {
            assertThat(packets.get(i).timestampNanos()).isEqualTo(i);
        }
        assertThat(packets.get(7).data()).isEqualTo(Arrays.copyOfRange(frameWithTcp(14, 7, 100), 14, 14 + 140));
        assertThat(session.delivered()).isEqualTo(2500);
        assertThat(session.dropped()).isZero();
        assertThat(session.queuedBytes()).isZero();
    }

    @Test
    void shouldFlushAtOnceWithoutAnyTimerWhenAPacketFindsTheQueueEmpty() {
        EmbeddedChannel channel = new EmbeddedChannel(new NettyAgentMessageEncoder());
        channel.freezeTime();
        RelayDelay delay = new RelayDelay();
        ReplayerSession session = new ReplayerSession(channel, "engine", -1, 1 << 20, new java.util.concurrent
                .atomic.AtomicLong(), Long.MAX_VALUE, delay);
        byte[] frame = frameWithTcp(0, 1, 10);
        java.time.Instant now = java.time.Instant.now();

        session.offer(now.getEpochSecond() * 1_000_000_000L + now.getNano(), frame, 0, frame.length, frame.length);
        session.wake();
        channel.runPendingTasks();

        io.netty.buffer.ByteBuf written = channel.readOutbound();
        assertThat(written).as("written and flushed by the wake, no time advanced").isNotNull();
        written.release();
        assertThat(channel.hasPendingTasks()).as("nothing scheduled").isFalse();
        assertThat(delay.snapshot().count()).isEqualTo(1);
        assertThat(delay.snapshot().quantile(1.0)).as("relay delay recorded, µs").isLessThan(1_000_000);
    }

    @Test
    void shouldSendFewerFramesThanPacketsWhenBatching() {
        EmbeddedChannel channel = new EmbeddedChannel(new NettyAgentMessageEncoder());
        ReplayerSession session = new ReplayerSession(channel, "engine", -1, 1 << 24);

        for (int i = 0; i < 100; i++) {
            byte[] frame = frameWithTcp(0, i, 10);
            session.offer(i, frame, 0, frame.length, frame.length);
        }
        session.wake();

        assertThat(AgentChannels.received(channel)).hasSizeLessThan(10);
    }

    @Test
    void shouldKeepHeadersAndOriginalLengthWhenPayloadCapIsZero() {
        EmbeddedChannel channel = new EmbeddedChannel(new NettyAgentMessageEncoder());
        ReplayerSession session = new ReplayerSession(channel, "engine", 0, 1 << 24);
        byte[] frame = frameWithTcp(0, 1, 1000);

        session.offer(5, frame, 0, frame.length, frame.length);
        session.wake();

        CapturedPacket packet = packets(AgentChannels.received(channel)).get(0);
        assertThat(packet.data()).hasSize(40);
        assertThat(packet.originalLength()).isEqualTo(1040);
        assertThat(packet.truncated()).isTrue();
    }

    @Test
    void shouldDropAndCountWhenQueueIsFull() {
        EmbeddedChannel channel = new EmbeddedChannel(new NettyAgentMessageEncoder());
        ReplayerSession session = new ReplayerSession(channel, "engine", -1, 10_000);

        for (int i = 0; i < 100; i++) {
            byte[] frame = frameWithTcp(0, i, 1000);
            session.offer(i, frame, 0, frame.length, frame.length);
        }
        session.wake();

        assertThat(session.dropped()).isEqualTo(91);
        assertThat(packets(AgentChannels.received(channel))).hasSize(9);
    }

    @Test
    void shouldStopDrainingWhenChannelIsNotWritable() {
        EmbeddedChannel channel = new EmbeddedChannel(new NettyAgentMessageEncoder());
        channel.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(1, 2));
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        ReplayerSession session = new ReplayerSession(channel, "engine", -1, 1 << 24);

        byte[] frame = frameWithTcp(0, 1, 10);
        session.offer(1, frame, 0, frame.length, frame.length);
        session.wake();

        assertThat(AgentChannels.received(channel)).isEmpty();
        assertThat(session.queuedBytes()).isPositive();

        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        session.wake();

        assertThat(packets(AgentChannels.received(channel))).hasSize(1);
    }

    static byte[] frameWithTcp(int linkHeader, int id, int payload) {
        byte[] frame = new byte[linkHeader + 40 + payload];
        int total = 40 + payload;
        frame[linkHeader] = 0x45;
        frame[linkHeader + 2] = (byte) (total >>> 8);
        frame[linkHeader + 3] = (byte) total;
        frame[linkHeader + 9] = 6;
        frame[linkHeader + 32] = 0x50;
        for (int i = linkHeader + 40; i < frame.length; i++) {
            frame[i] = (byte) (id + i);
        }
        return frame;
    }

    static List<CapturedPacket> packets(List<AgentMessage> messages) {
        List<CapturedPacket> packets = new ArrayList<>();
        for (AgentMessage message : messages) {
            packets.addAll(((CapturedMessage) message).packets());
        }
        return packets;
    }
}
