package io.pcapreplay.protocol.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pcapreplay.protocol.CapturedMessage;
import io.pcapreplay.protocol.CapturedPacket;
import java.util.List;

/**
 * Run in a fresh JVM by {@link NettyDefaultsTest}: relays CAPTURED messages through the encoder as the agent does,
 * with {@link NettyDefaults} applied first when the first argument is {@code defaults}.
 */
public final class NettyDefaultsProbe {

    private NettyDefaultsProbe() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("defaults")) {
            NettyDefaults.apply();
        }
        EmbeddedChannel channel = new EmbeddedChannel(new NettyAgentMessageEncoder());
        for (int i = 0; i < 1_000; i++) {
            channel.writeAndFlush(new CapturedMessage(List.of(new CapturedPacket(i, 1_500, new byte[1_400]))));
            ByteBuf encoded = channel.readOutbound();
            encoded.release();
        }
        channel.finishAndReleaseAll();
        System.out.println("relayed 1000 messages");
    }
}
