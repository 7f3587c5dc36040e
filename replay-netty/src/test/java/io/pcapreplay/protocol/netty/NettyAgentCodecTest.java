package io.pcapreplay.protocol.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.pcapreplay.protocol.AcceptMessage;
import io.pcapreplay.protocol.AddressRange;
import io.pcapreplay.protocol.AgentMessage;
import io.pcapreplay.protocol.AgentMessageDecoder;
import io.pcapreplay.protocol.AgentMessageEncoder;
import io.pcapreplay.protocol.AgentProtocolException;
import io.pcapreplay.protocol.CapturedMessage;
import io.pcapreplay.protocol.CapturedPacket;
import io.pcapreplay.protocol.HeartbeatMessage;
import io.pcapreplay.protocol.HelloMessage;
import io.pcapreplay.protocol.RegisterMessage;
import io.pcapreplay.protocol.StatsMessage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NettyAgentCodecTest {

    /** Both directions: replayer to agent, then agent to replayer. */
    private static final List<AgentMessage> MESSAGES = List.of(
            HelloMessage.of("t", "engine", 0),
            new RegisterMessage(1, List.of(AddressRange.parse("198.18.0.0/15"), AddressRange.parse("2001:2::/48"))),
            HeartbeatMessage.probe(42, HeartbeatMessage.UNKNOWN_OFFSET, -1),
            new AcceptMessage(1, "0.1.0", 65_535, 1024, 1024, 30_000),
            new CapturedMessage(List.of(new CapturedPacket(1, 1500, new byte[1400]), new CapturedPacket(2, 3,
                    new byte[] {1, 2, 3}))),
            new StatsMessage(1, 2, 3, 4, 5, 6, 7));

    @Test
    void shouldDecodeEveryMessageWhenFedOneByteAtATime() {
        EmbeddedChannel channel = new EmbeddedChannel(new NettyAgentMessageDecoder(1 << 20));
        byte[] stream = encodeAll();

        for (byte value : stream) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {value}));
        }

        List<Object> decoded = new ArrayList<>();
        Object message;
        while ((message = channel.readInbound()) != null) {
            decoded.add(message);
        }
        assertThat(decoded).containsExactlyElementsOf(MESSAGES);
    }

    @Test
    void shouldDecodeMergedFramesWhenTheyArriveInOneBuffer() {
        EmbeddedChannel channel = new EmbeddedChannel(new NettyAgentMessageDecoder(1 << 20));

        channel.writeInbound(Unpooled.wrappedBuffer(encodeAll()));

        for (AgentMessage expected : MESSAGES) {
            assertThat((Object) channel.readInbound()).isEqualTo(expected);
        }
    }

    @Test
    void shouldFailWithProtocolExceptionAndIgnoreTheRestWhenFrameIsMalformed() {
        EmbeddedChannel channel = new EmbeddedChannel(new NettyAgentMessageDecoder(64));

        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 1, 0, 1})))
                .isInstanceOf(DecoderException.class)
                .hasCauseInstanceOf(AgentProtocolException.class)
                .hasMessageContaining("frame length: 256 (expected: 1..64");

        channel.writeInbound(Unpooled.wrappedBuffer(new AgentMessageEncoder().encode(
                HeartbeatMessage.probe(1, HeartbeatMessage.UNKNOWN_OFFSET, -1))));
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void shouldRaiseProtocolExceptionWhenTypeIsUnknown() {
        EmbeddedChannel channel = new EmbeddedChannel(new NettyAgentMessageDecoder(1 << 20));

        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 1, 0x55})))
                .isInstanceOf(DecoderException.class)
                .hasCauseInstanceOf(AgentProtocolException.class)
                .hasMessageContaining("message type: 0x55");
    }

    @Test
    void shouldEncodeFramesTheDecoderReadsWhenWritingMessages() {
        EmbeddedChannel channel = new EmbeddedChannel(new NettyAgentMessageEncoder());

        MESSAGES.forEach(channel::writeOutbound);

        AgentMessageDecoder decoder = new AgentMessageDecoder();
        List<AgentMessage> decoded = new ArrayList<>();
        ByteBuf buffer;
        while ((buffer = channel.readOutbound()) != null) {
            decoded.addAll(decoder.feed(buffer.nioBuffer()));
            buffer.release();
        }
        assertThat(decoded).containsExactlyElementsOf(MESSAGES);
    }

    private static byte[] encodeAll() {
        AgentMessageEncoder encoder = new AgentMessageEncoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MESSAGES.forEach(message -> out.writeBytes(encoder.encode(message)));
        return out.toByteArray();
    }
}
