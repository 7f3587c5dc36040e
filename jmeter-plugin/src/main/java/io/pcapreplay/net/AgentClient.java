package io.pcapreplay.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.pcapreplay.protocol.AcceptMessage;
import io.pcapreplay.protocol.AddressRange;
import io.pcapreplay.protocol.AgentMessage;
import io.pcapreplay.protocol.AgentProtocol;
import io.pcapreplay.protocol.HeartbeatMessage;
import io.pcapreplay.protocol.HelloMessage;
import io.pcapreplay.protocol.HostQueryMessage;
import io.pcapreplay.protocol.HostReportMessage;
import io.pcapreplay.protocol.RegisterMessage;
import io.pcapreplay.protocol.StatsMessage;
import io.pcapreplay.protocol.UnregisterMessage;
import io.pcapreplay.protocol.netty.NettyAgentMessageDecoder;
import io.pcapreplay.protocol.netty.NettyAgentMessageEncoder;
import io.pcapreplay.protocol.netty.NettyDefaults;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A replayer's connection to the intercept agent: connects (with a timeout), shakes hands (token, name, payload
 * cap), registers the fake client ranges this replayer uses, sends heartbeats, and hands the captured responses to
 * an {@link AgentListener}. Every wait has a timeout; every failure is an {@link AgentClientException} saying what
 * to check. Thread-safe.
 *
 * <p>Heartbeats are clock probes ({@link HeartbeatMessage}) feeding an {@link AgentClock}: right after the
 * handshake one every {@value #BURST_SPACING_MILLIS} ms until the estimate is trusted after at least
 * {@value AgentClock#BURST_PROBES} answers (at most {@value #BURST_MILLIS} ms: both ends warm up, the first round
 * trips are slow), so that an estimate exists before the first session, then one every
 * {@value #PROBE_INTERVAL_MILLIS} ms (or more often when the agent's heartbeat timeout asks for it).
 */
public final class AgentClient implements AutoCloseable {

    private static final long MIN_HEARTBEAT_MILLIS = 200;
    private static final long PROBE_INTERVAL_MILLIS = 250;
    private static final long BURST_SPACING_MILLIS = 3;
    private static final long BURST_MILLIS = 2_000;

    static {
        NettyDefaults.apply(); // before Netty's first class: no Flight Recorder start-up at the test's start
    }

    private final AgentClientConfig config;
    private final EventLoopGroup group;
    private final Channel channel;
    private final AgentClientHandler handler;
    private final AcceptMessage accept;
    private final AtomicLong nextRequestId = new AtomicLong(1);
    private final AgentClock clock;
    private final ScheduledFuture<?> heartbeats;

    private AgentClient(AgentClientConfig config, EventLoopGroup group, Channel channel, AgentClientHandler handler,
            AcceptMessage accept, AgentClock clock) {
        this.config = config;
        this.group = group;
        this.channel = channel;
        this.handler = handler;
        this.accept = accept;
        this.clock = clock;
        long timeout = accept.heartbeatTimeoutMillis() > 0 ? accept.heartbeatTimeoutMillis() : 30_000;
        long interval = Math.max(MIN_HEARTBEAT_MILLIS, Math.min(PROBE_INTERVAL_MILLIS, timeout / 3));
        channel.pipeline().addFirst("idle", new IdleStateHandler(timeout, 0, 0, TimeUnit.MILLISECONDS));
        burst(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BURST_MILLIS));
        this.heartbeats = channel.eventLoop().scheduleAtFixedRate(this::probe, interval, interval,
                TimeUnit.MILLISECONDS);
    }

    /** Probes every few milliseconds until the clock estimate is good, or the burst's end. */
    private void burst(long endNanos) {
        if (!channel.isActive() || clock.burstDone() || System.nanoTime() - endNanos > 0) {
            clock.endBurst();
            return;
        }
        probe();
        channel.eventLoop().schedule(() -> burst(endNanos), BURST_SPACING_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Sends a clock probe; on the channel's event loop, so its send time is read right before the write. */
    private void probe() {
        if (channel.isActive()) {
            channel.writeAndFlush(clock.probe(), channel.voidPromise());
        }
    }

    /**
     * Connects and shakes hands.
     *
     * @param config where and who
     * @param listener receives packets, stats and the end of the connection
     * @return the connected client
     * @throws AgentClientException UNREACHABLE, REFUSED (e.g. bad token), VERSION_MISMATCH, PROTOCOL, TIMEOUT
     */
    public static AgentClient connect(AgentClientConfig config, AgentListener listener) throws AgentClientException {
        return connect(config, listener, AgentClock.system());
    }

    /**
     * Connects and shakes hands; the heartbeats feed the given clock (whose mapping the listener may use).
     *
     * @param config where and who
     * @param listener receives packets, stats and the end of the connection
     * @param clock estimates the agent's clock offset from the heartbeats
     * @return the connected client
     * @throws AgentClientException UNREACHABLE, REFUSED (e.g. bad token), VERSION_MISMATCH, PROTOCOL, TIMEOUT
     */
    public static AgentClient connect(AgentClientConfig config, AgentListener listener, AgentClock clock)
            throws AgentClientException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        clock.agent(config.agent().toString());
        AgentClientHandler handler = new AgentClientHandler(config.agent().toString(), listener, clock);
        try {
            Channel channel = open(config, group, handler);
            channel.writeAndFlush(HelloMessage.of(config.token(), config.replayerName(), config.payloadCap()));
            AcceptMessage accept = await(handler.handshake(), config, "handshake with agent " + config.agent());
            if (accept.version() != AgentProtocol.VERSION) {
                channel.close();
                throw new AgentClientException(AgentClientException.Kind.VERSION_MISMATCH, "agent " + config.agent()
                        + " protocol version: " + accept.version() + " (expected: " + AgentProtocol.VERSION
                        + "; agent software " + accept.agentVersion() + "; use an agent of the same release)", null);
            }
            return new AgentClient(config, group, channel, handler, accept, clock);
        } catch (AgentClientException | RuntimeException e) {
            group.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static Channel open(AgentClientConfig config, EventLoopGroup group, AgentClientHandler handler)
            throws AgentClientException {
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast("decoder", new NettyAgentMessageDecoder(AgentProtocol.MAX_FRAME_LENGTH))
                                .addLast("encoder", new NettyAgentMessageEncoder())
                                .addLast("agent", handler);
                    }
                });
        ChannelFuture connected = bootstrap.connect(config.agent());
        boolean done = connected.awaitUninterruptibly(config.connectTimeout().toMillis() + 1000);
        if (!done || !connected.isSuccess()) {
            connected.cancel(false);
            String cause = done ? String.valueOf(connected.cause()) : "no answer within " + config.connectTimeout();
            throw new AgentClientException(AgentClientException.Kind.UNREACHABLE, "agent " + config.agent()
                    + ": cannot connect: " + cause + " (expected: an intercept agent listening there; check that it"
                    + " runs on the assistant host with -p/-b matching, and that no firewall blocks the port)",
                    connected.cause());
        }
        return connected.channel();
    }

    /**
     * Claims client address ranges: the agent routes packets to these addresses to this replayer.
     *
     * @param ranges 1 to 1024 CIDR blocks
     * @throws AgentClientException REQUEST_FAILED (e.g. RANGE_OWNED by another replayer), TIMEOUT, CLOSED
     */
    public void register(List<AddressRange> ranges) throws AgentClientException {
        long id = nextRequestId.getAndIncrement();
        send(id, new RegisterMessage(id, ranges), "REGISTER " + ranges);
    }

    /**
     * Releases ranges registered before.
     *
     * @param ranges ranges exactly as registered
     * @throws AgentClientException REQUEST_FAILED (NOT_REGISTERED), TIMEOUT, CLOSED
     */
    public void unregister(List<AddressRange> ranges) throws AgentClientException {
        long id = nextRequestId.getAndIncrement();
        send(id, new UnregisterMessage(id, ranges), "UNREGISTER " + ranges);
    }

    /**
     * Asks the agent about its host: whether it forwards packets, and where and what it captures (a pre-flight
     * check; see {@link HostReportMessage} for the names).
     *
     * @return the facts in the agent's order
     * @throws AgentClientException REQUEST_FAILED, TIMEOUT, CLOSED
     */
    public Map<String, String> hostReport() throws AgentClientException {
        long id = nextRequestId.getAndIncrement();
        CompletableFuture<HostReportMessage> answer = handler.expectReport(id);
        if (!channel.isActive()) {
            handler.forget(id);
            throw new AgentClientException(AgentClientException.Kind.CLOSED, "HOST_QUERY: connection to agent "
                    + config.agent() + " is closed: " + handler.closeReason(), null);
        }
        channel.writeAndFlush(new HostQueryMessage(id));
        return await(answer, config, "HOST_QUERY").facts();
    }

    private void send(long id, AgentMessage request, String what) throws AgentClientException {
        CompletableFuture<Void> answer = handler.expectAnswer(id);
        if (!channel.isActive()) {
            handler.forget(id);
            throw new AgentClientException(AgentClientException.Kind.CLOSED, what + ": connection to agent "
                    + config.agent() + " is closed: " + handler.closeReason(), null);
        }
        channel.writeAndFlush(request);
        await(answer, config, what);
    }

    private static <T> T await(CompletableFuture<T> future, AgentClientConfig config, String what)
            throws AgentClientException {
        try {
            return future.get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AgentClientException(AgentClientException.Kind.TIMEOUT, what + ": no answer within "
                    + config.requestTimeout() + " (expected: an answer from the agent; is " + config.agent()
                    + " an intercept agent, and not overloaded?)", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AgentClientException failure) {
                throw new AgentClientException(failure.kind(), failure.getMessage(), failure);
            }
            throw new AgentClientException(AgentClientException.Kind.PROTOCOL, what + ": " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentClientException(AgentClientException.Kind.CLOSED, what + ": interrupted", e);
        }
    }

    /** @return the agent's handshake answer: its version and limits */
    public AcceptMessage accept() {
        return accept;
    }

    /** @return the clock the heartbeats feed: the offset estimate and the capture time mapping */
    public AgentClock clock() {
        return clock;
    }

    /** @return the last STATS the agent sent, or null */
    public StatsMessage lastStats() {
        return handler.lastStats();
    }

    /** @return true while the connection is open */
    public boolean isConnected() {
        return channel.isActive();
    }

    /** @return why the connection closed, or null while it is open */
    public String closeReason() {
        return channel.isActive() ? null : handler.closeReason();
    }

    /** Closes the connection (the agent frees this replayer's ranges) and the I/O thread; waits up to 3 s. */
    @Override
    public void close() {
        heartbeats.cancel(false);
        handler.closing();
        channel.close().awaitUninterruptibly(Duration.ofSeconds(1).toMillis());
        group.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
