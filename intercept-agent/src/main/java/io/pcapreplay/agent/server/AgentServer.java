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
import io.pcapreplay.agent.router.Router;
import io.pcapreplay.protocol.ErrorCode;
import io.pcapreplay.protocol.ErrorMessage;
import io.pcapreplay.protocol.StatsMessage;
import io.pcapreplay.protocol.netty.NettyDefaults;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Netty server replayers connect to: epoll when available, NIO otherwise. */
public final class AgentServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentServer.class);
    private static final int LOW_WATER_MARK = 1 << 20;
    private static final int HIGH_WATER_MARK = 4 << 20;

    static {
        NettyDefaults.apply(); // before Netty's first class: no Flight Recorder start-up at the test's start
    }

    private final ServerSettings settings;
    private final AgentCounters counters;
    private final ServerContext server;
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
        this.counters = counters;
        this.server = new ServerContext(settings, router, counters);
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
                        AgentPipeline.configure(channel.pipeline(), server);
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
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /**
     * Logs that replayers are served (what scripts wait for); connections are accepted from {@link #start()} on.
     *
     * @param bound the address {@link #start()} returned
     */
    public void announce(InetSocketAddress bound) {
        LOG.info("listening for replayers on {} ({})", bound,
                serverChannel instanceof EpollServerSocketChannel ? "epoll" : "nio");
    }

    /** @return the replayers connected and accepted now */
    public List<ReplayerSession> sessions() {
        return List.copyOf(server.sessions);
    }

    /** @return connections awaiting HELLO now */
    public int pendingHandshakes() {
        return server.handshakes.pending();
    }

    /** @return bytes queued for all replayers together */
    public long queuedBytes() {
        return server.queuedBytes.get();
    }

    /** @return the log of events peers cause (rate-limited) */
    public RateLimitedLog log() {
        return server.log;
    }

    /**
     * Tells the server where the kernel drop count comes from: each replayer gets a STATS right after its ACCEPT
     * (the baseline of its run: the drops from then on are its run's), then one every --stats-interval.
     *
     * @param source the capture devices' kernel drops so far, -1 unknown
     */
    public void kernelDrops(java.util.function.LongSupplier source) {
        server.kernelDrops = source;
    }

    /**
     * Sends every accepted replayer its STATS (a control reply: a replayer that reads none is closed).
     *
     * @param kernelDrops packets the kernel dropped on all capture devices, -1 unknown
     */
    public void broadcastStats(long kernelDrops) {
        for (ReplayerSession session : server.sessions) {
            session.channel().pipeline().fireUserEventTriggered(new StatsMessage(counters.captured(),
                    counters.routed(), counters.unrouted(), session.delivered(), session.dropped(), session.bytes(),
                    kernelDrops));
        }
        server.log.flush();
    }

    /** Tells every replayer the agent stops, closes all connections and the event loops (waits up to 3 s). */
    @Override
    public void close() {
        for (ReplayerSession session : server.sessions) {
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
