package io.pcapreplay.agent.server;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.pcapreplay.protocol.netty.NettyAgentMessageEncoder;
import java.util.concurrent.TimeUnit;

/** The handlers of one replayer connection, in order. */
final class AgentPipeline {

    /** Largest frame accepted from an authenticated replayer (a REGISTER of 1024 IPv6 ranges is about 18 KiB). */
    static final int MAX_INBOUND_FRAME = 64 * 1024;
    /** Name of the decoder: {@link HandshakeDecoder} until ACCEPT, then the full decoder. */
    static final String DECODER = "decoder";

    private static final NettyAgentMessageEncoder ENCODER = new NettyAgentMessageEncoder();

    private AgentPipeline() {
    }

    /**
     * Idle detection (no HEARTBEAT), the handshake decoder, the encoder and the replayer's handler.
     *
     * @param pipeline a new connection's pipeline
     * @param server what all connections share
     */
    static void configure(ChannelPipeline pipeline, ServerContext server) {
        long timeout = server.settings.heartbeatTimeout().toMillis();
        pipeline.addLast("idle", new IdleStateHandler(timeout, 0, 0, TimeUnit.MILLISECONDS))
                .addLast(DECODER, new HandshakeDecoder())
                .addLast("encoder", ENCODER)
                .addLast("replayer", new ReplayerHandler(server));
    }
}
