package io.pcapreplay.protocol.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.pcapreplay.protocol.AgentMessage;
import io.pcapreplay.protocol.AgentMessageEncoder;
import java.nio.ByteBuffer;

/** Netty adapter around {@link AgentMessageEncoder}: one frame per message, written straight into the buffer. */
@ChannelHandler.Sharable
public final class NettyAgentMessageEncoder extends MessageToByteEncoder<AgentMessage> {

    private final AgentMessageEncoder encoder = new AgentMessageEncoder();

    /** Creates the encoder. */
    public NettyAgentMessageEncoder() {
        super(AgentMessage.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, AgentMessage message, boolean preferDirect) {
        int length = encoder.encodedLength(message);
        return preferDirect ? ctx.alloc().ioBuffer(length) : ctx.alloc().heapBuffer(length);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, AgentMessage message, ByteBuf out) {
        int length = encoder.encodedLength(message);
        out.ensureWritable(length);
        if (out.nioBufferCount() == 1) {
            ByteBuffer target = out.nioBuffer(out.writerIndex(), length);
            encoder.encode(message, target);
            out.writerIndex(out.writerIndex() + length);
        } else {
            out.writeBytes(encoder.encode(message));
        }
    }
}
