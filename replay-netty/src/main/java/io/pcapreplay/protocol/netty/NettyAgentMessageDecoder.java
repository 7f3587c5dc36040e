package io.pcapreplay.protocol.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.pcapreplay.protocol.AgentMessageDecoder;
import io.pcapreplay.protocol.AgentProtocol;
import java.util.List;

/**
 * Netty adapter around {@link AgentMessageDecoder}: waits for a whole frame (checking its length prefix first) and
 * decodes it in place. A malformed frame surfaces as a {@code DecoderException} caused by
 * {@code AgentProtocolException}; the decoder then discards all further input.
 */
public final class NettyAgentMessageDecoder extends ByteToMessageDecoder {

    private final AgentMessageDecoder decoder;
    private boolean failed;

    /** @param maxFrameLength the largest frame accepted */
    public NettyAgentMessageDecoder(int maxFrameLength) {
        this.decoder = new AgentMessageDecoder(maxFrameLength);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            while (in.readableBytes() >= AgentProtocol.LENGTH_FIELD_BYTES) {
                int frameSize = AgentProtocol.LENGTH_FIELD_BYTES
                        + decoder.checkFrameLength(in.getInt(in.readerIndex()));
                if (in.readableBytes() < frameSize) {
                    return;
                }
                out.add(decoder.decodeFrame(in.nioBuffer(in.readerIndex(), frameSize)));
                in.skipBytes(frameSize);
            }
        } catch (RuntimeException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }
}
