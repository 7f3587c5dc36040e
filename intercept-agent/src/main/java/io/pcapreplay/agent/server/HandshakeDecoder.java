package io.pcapreplay.agent.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.pcapreplay.protocol.AgentMessageDecoder;
import io.pcapreplay.protocol.AgentProtocol;
import java.util.List;

/**
 * The decoder of a connection that has not authenticated: it accepts one frame of at most
 * {@link #MAX_FRAME} bytes (the largest HELLO is 334), so an unauthenticated peer can make the agent hold at most
 * that much of a partial frame; a longer length prefix is refused as soon as its four bytes arrive. After ACCEPT
 * {@link ReplayerHandler} replaces it with the full decoder, which receives any bytes that followed the HELLO.
 */
final class HandshakeDecoder extends ByteToMessageDecoder {

    /** Largest frame before authentication: a HELLO with the longest token and name fits. */
    static final int MAX_FRAME = 512;

    private final AgentMessageDecoder decoder = new AgentMessageDecoder(MAX_FRAME);
    private boolean failed;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            if (in.readableBytes() < AgentProtocol.LENGTH_FIELD_BYTES) {
                return;
            }
            int frameSize = AgentProtocol.LENGTH_FIELD_BYTES + decoder.checkFrameLength(in.getInt(in.readerIndex()));
            if (in.readableBytes() < frameSize) {
                return;
            }
            out.add(decoder.decodeFrame(in.nioBuffer(in.readerIndex(), frameSize)));
            in.skipBytes(frameSize);
        } catch (RuntimeException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }
}
