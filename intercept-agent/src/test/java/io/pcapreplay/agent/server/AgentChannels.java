package io.pcapreplay.agent.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pcapreplay.agent.router.Router;
import io.pcapreplay.protocol.AgentMessage;
import io.pcapreplay.protocol.AgentMessageDecoder;
import io.pcapreplay.protocol.AgentMessageEncoder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Test helper: the agent's server pipeline on EmbeddedChannels, fed and read as raw bytes. */
final class AgentChannels {

    static final String TOKEN = "s3cret";

    final Router<ReplayerSession> router = new Router<>(4);
    final ServerSettings settings;
    final ServerContext server;
    final Set<ReplayerSession> sessions;
    private final AgentMessageEncoder encoder = new AgentMessageEncoder();

    AgentChannels(long queueBytes) {
        settings = new ServerSettings(new InetSocketAddress(0), TOKEN, "test", 65_535, 4, queueBytes, queueBytes * 4,
                Duration.ofSeconds(10), Duration.ofSeconds(30), 3, 16, 16);
        server = new ServerContext(settings, router, new AgentCounters());
        sessions = server.sessions;
    }

    EmbeddedChannel open() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        AgentPipeline.configure(channel.pipeline(), server);
        return channel;
    }

    /** Writes the messages' frames one byte at a time. */
    void send(EmbeddedChannel channel, AgentMessage... messages) {
        for (AgentMessage message : messages) {
            sendBytes(channel, encoder.encode(message));
        }
    }

    static void sendBytes(EmbeddedChannel channel, byte[] bytes) {
        for (byte value : bytes) {
            if (!channel.isActive()) {
                return;
            }
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {value}));
        }
    }

    /** Runs pending and due scheduled tasks (advancing the channel's clock) and decodes all the agent wrote. */
    static List<AgentMessage> received(EmbeddedChannel channel) {
        AgentMessageDecoder decoder = new AgentMessageDecoder();
        List<AgentMessage> messages = new ArrayList<>();
        for (int round = 0; round < 1000; round++) {
            channel.runPendingTasks();
            int before = messages.size();
            ByteBuf buffer;
            while ((buffer = channel.readOutbound()) != null) {
                try {
                    messages.addAll(decoder.feed(buffer.nioBuffer()));
                } finally {
                    buffer.release();
                }
            }
            if (messages.size() == before && !channel.hasPendingTasks()) {
                break;
            }
            channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }
        return messages;
    }
}
