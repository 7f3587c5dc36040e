package io.pcapreplay.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.pcapreplay.protocol.AcceptMessage;
import io.pcapreplay.protocol.AgentMessage;
import io.pcapreplay.protocol.AgentMessageDecoder;
import io.pcapreplay.protocol.AgentMessageEncoder;
import io.pcapreplay.protocol.AgentProtocolException;
import io.pcapreplay.protocol.CapturedMessage;
import io.pcapreplay.protocol.CapturedPacket;
import io.pcapreplay.protocol.StatsMessage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NettyAgentMessageCodecTest {

    private static final List<AgentMessage> MESSAGES = List.of(
            new AcceptMessage(1, "0.1.0", 65_535, 1024, 1024, 30_000),
            new CapturedMessage(List.of(new CapturedPacket(1, 1500, new byte[1400]),
                    new CapturedPacket(2, 40, new byte[40]))),
            new StatsMessage(1, 2, 3, 4, 5, 6));

    @Test
    void shouldDecodeAgentMessagesWhenFedOneByteAtATime() {
        EmbeddedChannel channel = new EmbeddedChannel(new NettyAgentMessageDecoder(1 << 20));
        AgentMessageEncoder encoder = new AgentMessageEncoder();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        MESSAGES.forEach(message -> stream.writeBytes(encoder.encode(message)));

        for (byte value : stream.toByteArray()) {
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
    void shouldRaiseProtocolExceptionWhenTypeIsUnknown() {
        EmbeddedChannel channel = new EmbeddedChannel(new NettyAgentMessageDecoder(1 << 20));

        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 1, 0x55})))
                .isInstanceOf(DecoderException.class)
                .hasCauseInstanceOf(AgentProtocolException.class)
                .hasMessageContaining("message type: 0x55");
    }

    @Test
    void shouldWriteFramesWhenEncodingMessages() {
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
}
