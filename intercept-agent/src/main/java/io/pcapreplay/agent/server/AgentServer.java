package io.pcapreplay.agent.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.pcapreplay.agent.router.Router;
import io.pcapreplay.protocol.ErrorCode;
import io.pcapreplay.protocol.ErrorMessage;
import io.pcapreplay.protocol.StatsMessage;
import io.pcapreplay.protocol.netty.NettyAgentMessageDecoder;
import io.pcapreplay.protocol.netty.NettyAgentMessageEncoder;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Netty server replayers connect to: epoll when available, NIO otherwise. */
public final class AgentServer implements AutoCloseable {

    /** Largest frame accepted from a replayer (a REGISTER of 1024 IPv6 ranges is about 18 KiB). */
    public static final int MAX_INBOUND_FRAME = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(AgentServer.class);
    private static final int LOW_WATER_MARK = 1 << 20;
    private static final int HIGH_WATER_MARK = 4 << 20;

    private final ServerSettings settings;
    private final Router<ReplayerSession> router;
    private final AgentCounters counters;
    private final Set<ReplayerSession> sessions = ConcurrentHashMap.newKeySet();
    private final NettyAgentMessageEncoder encoder = new NettyAgentMessageEncoder();
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private Channel serverChannel;

    /**
     * @param settings address, token, limits
     * @param router shared with the capture side
     * @param counters agent-wide counters, reported in STATS
     */
    public AgentServer(ServerSettings settings, Router<ReplayerSession> router, AgentCounters counters) {
        this.settings = settings;
        this.router = router;
        this.counters = counters;
    }

    /**
     * Binds and starts accepting replayers.
     *
     * @return the address bound (the port is real even when 0 was asked)
     * @throws BindException when the address is in use or cannot be bound
     * @throws InterruptedException when interrupted while binding
     */
    public InetSocketAddress start() throws BindException, InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        bossGroup = new MultiThreadIoEventLoopGroup(1, factory);
        workerGroup = new MultiThreadIoEventLoopGroup(Math.max(1, Runtime.getRuntime().availableProcessors()),
                factory);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(channelType)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(LOW_WATER_MARK, HIGH_WATER_MARK))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast("idle", new IdleStateHandler(settings.heartbeatTimeout().toMillis(), 0, 0,
                                        TimeUnit.MILLISECONDS))
                                .addLast("decoder", new NettyAgentMessageDecoder(MAX_INBOUND_FRAME))
                                .addLast("encoder", encoder)
                                .addLast("replayer", new ReplayerHandler(settings, router, sessions));
                    }
                });
        try {
            serverChannel = bootstrap.bind(settings.bindAddress()).sync().channel();
        } catch (Exception e) {
            close();
            BindException bind = new BindException("listen on " + settings.bindAddress() + ": " + e.getMessage()
                    + " (expected: a free port on a local address; is another agent running? choose one with -p)");
            bind.initCause(e);
            throw bind;
        }
        InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
        LOG.info("listening for replayers on {} ({})", bound, epoll ? "epoll" : "nio");
        return bound;
    }

    /** @return the replayers connected and accepted now */
    public List<ReplayerSession> sessions() {
        return List.copyOf(sessions);
    }

    /** Sends every accepted replayer its STATS. */
    public void broadcastStats() {
        for (ReplayerSession session : sessions) {
            session.channel().writeAndFlush(new StatsMessage(counters.captured(), counters.routed(),
                    counters.unrouted(), session.delivered(), session.dropped(), session.bytes()));
        }
    }

    /** Tells every replayer the agent stops, closes all connections and the event loops (waits up to 3 s). */
    @Override
    public void close() {
        for (ReplayerSession session : sessions) {
            session.channel().writeAndFlush(new ErrorMessage(0, ErrorCode.SHUTTING_DOWN, "agent is stopping"))
                    .addListener(ChannelFutureListener.CLOSE);
        }
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        if (workerGroup != null) {
            workerGroup.shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
        if (bossGroup != null) {
            bossGroup.shutdownGracefully(0, 1000, TimeUnit.MILLISECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }
}
