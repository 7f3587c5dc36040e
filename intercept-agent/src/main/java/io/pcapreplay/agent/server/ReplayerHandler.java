package io.pcapreplay.agent.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.pcapreplay.agent.router.Router;
import io.pcapreplay.protocol.AcceptMessage;
import io.pcapreplay.protocol.AckMessage;
import io.pcapreplay.protocol.AgentMessage;
import io.pcapreplay.protocol.AgentProtocol;
import io.pcapreplay.protocol.AgentProtocolException;
import io.pcapreplay.protocol.ErrorCode;
import io.pcapreplay.protocol.ErrorMessage;
import io.pcapreplay.protocol.HeartbeatMessage;
import io.pcapreplay.protocol.HelloMessage;
import io.pcapreplay.protocol.HostQueryMessage;
import io.pcapreplay.protocol.HostReportMessage;
import io.pcapreplay.protocol.RegisterMessage;
import io.pcapreplay.protocol.RejectMessage;
import io.pcapreplay.protocol.StatsMessage;
import io.pcapreplay.protocol.UnregisterMessage;
import io.pcapreplay.protocol.netty.NettyAgentMessageDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The agent's side of one replayer connection: handshake (version, token), REGISTER/UNREGISTER, heartbeats and
 * timeouts. Any protocol violation closes this connection only, with a logged reason; every log line a peer can
 * cause is rate-limited per kind and every string it sent is escaped.
 */
final class ReplayerHandler extends SimpleChannelInboundHandler<AgentMessage> {

    /**
     * Asks the handler of a pending connection to give way to a newer one (see {@link HandshakeLimiter}); a
     * {@link StatsMessage} fired the same way is sent to the replayer as a control reply.
     */
    static final Object EVICT = new Object();

    private static final long CLOSE_GRACE_MILLIS = 1000;
    private static final int STALL_CHECKS = 4;

    /** The connection's state. */
    enum State {
        AWAITING_HELLO, ACTIVE, CLOSING
    }

    private final ServerContext server;
    private final ClockReport clockReport = new ClockReport();
    private State state = State.AWAITING_HELLO;
    private ReplayerSession session;
    private ScheduledFuture<?> handshakeTimeout;
    private ScheduledFuture<?> stallCheck;
    private Object stalledHead;
    private long stalledProgress;
    private int stalledChecks;
    private boolean admitted;

    ReplayerHandler(ServerContext server) {
        this.server = server;
    }

    State state() {
        return state;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            admit(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        admit(ctx);
        ctx.fireChannelActive();
    }

    private void admit(ChannelHandlerContext ctx) {
        if (handshakeTimeout != null || state != State.AWAITING_HELLO) {
            return;
        }
        HandshakeLimiter.Admission admission = server.handshakes.admit(ctx.channel());
        if (!admission.admitted()) {
            server.counters.handshakesRefused.increment();
            refuse(ctx, ErrorCode.TOO_MANY_REPLAYERS, "connections awaiting HELLO from "
                    + remoteHost(ctx) + ": " + server.handshakes.maxPerAddress() + " already (expected: at most "
                    + server.handshakes.maxPerAddress() + " per address, --max-handshakes-per-address; the new one "
                    + "is refused)");
            return;
        }
        admitted = true;
        if (admission.evicted() != null) {
            server.counters.handshakesEvicted.increment();
            admission.evicted().pipeline().fireUserEventTriggered(EVICT);
        }
        handshakeTimeout = ctx.executor().schedule(() -> {
            if (state == State.AWAITING_HELLO) {
                refuse(ctx, ErrorCode.HANDSHAKE_TIMEOUT, "handshake: no HELLO within "
                        + server.settings.handshakeTimeout().toMillis() + " ms (expected: a replayer's HELLO first)");
            }
        }, server.settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, AgentMessage message) {
        long receivedNanos = AgentTime.nowNanos();
        if (state == State.CLOSING) {
            return;
        }
        if (state == State.AWAITING_HELLO) {
            if (message instanceof HelloMessage hello) {
                handshake(ctx, hello);
            } else {
                refuse(ctx, ErrorCode.UNEXPECTED_MESSAGE, "first message: " + message.type()
                        + " (expected: HELLO)");
            }
            return;
        }
        if (message instanceof RegisterMessage register) {
            Router.Refusal refusal = server.router.register(session, register.ranges(),
                    owner -> LogText.quote(owner.name()));
            answer(ctx, "register", register.requestId(), refusal, () -> "registered " + register.ranges());
        } else if (message instanceof UnregisterMessage unregister) {
            Router.Refusal refusal = server.router.unregister(session, unregister.ranges());
            answer(ctx, "unregister", unregister.requestId(), refusal, () -> "unregistered " + unregister.ranges());
        } else if (message instanceof HeartbeatMessage probe) {
            reply(ctx, HeartbeatMessage.answer(probe, receivedNanos, AgentTime.nowNanos()));
            clockReport.onProbe(session, probe);
        } else if (message instanceof HostQueryMessage query) {
            reply(ctx, new HostReportMessage(query.requestId(), server.settings.hostFacts().read()));
        } else {
            closeWithError(ctx, ErrorCode.UNEXPECTED_MESSAGE, "message from replayer: " + message.type()
                    + " (expected: REGISTER, UNREGISTER, HEARTBEAT or HOST_QUERY)");
        }
    }

    private void handshake(ChannelHandlerContext ctx, HelloMessage hello) {
        if (handshakeTimeout != null) {
            handshakeTimeout.cancel(false);
        }
        if (hello.version() != AgentProtocol.VERSION) {
            refuse(ctx, ErrorCode.BAD_VERSION, "protocol version: " + hello.version() + " (expected: "
                    + AgentProtocol.VERSION + "; use a replayer and agent of the same pcap-replay release; agent "
                    + server.settings.agentVersion() + ")");
            return;
        }
        byte[] expected = server.settings.token().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, hello.token().getBytes(StandardCharsets.UTF_8))) {
            refuse(ctx, ErrorCode.BAD_TOKEN, "auth token of replayer " + LogText.quote(hello.replayerName())
                    + ": does not match (expected: the content of the agent's --token-file)");
            return;
        }
        if (server.sessions.size() >= server.settings.maxReplayers()) {
            refuse(ctx, ErrorCode.TOO_MANY_REPLAYERS, "replayers connected: " + server.sessions.size()
                    + " (expected: at most " + server.settings.maxReplayers() + "; raise the agent's "
                    + "--max-replayers or use another agent)");
            return;
        }
        server.handshakes.done(ctx.channel());
        session = new ReplayerSession(ctx.channel(), hello.replayerName(), hello.payloadCap(),
                server.settings.queueBytes(), server.queuedBytes, server.settings.queueTotalBytes(),
                server.counters.relayDelay);
        server.sessions.add(session);
        state = State.ACTIVE;
        long period = Math.max(1, server.settings.heartbeatTimeout().toMillis() / STALL_CHECKS);
        stallCheck = ctx.executor().scheduleAtFixedRate(() -> checkStall(ctx), period, period, TimeUnit.MILLISECONDS);
        reply(ctx, new AcceptMessage(AgentProtocol.VERSION, server.settings.agentVersion(),
                server.settings.snaplen(), server.settings.maxRanges(), AgentProtocol.MAX_PACKETS_PER_BATCH,
                server.settings.heartbeatTimeout().toMillis()));
        if (ctx.pipeline().get(AgentPipeline.DECODER) instanceof HandshakeDecoder) {
            // after ACCEPT: bytes that followed the HELLO go to the full decoder now, and their answers after it
            ctx.pipeline().replace(AgentPipeline.DECODER, AgentPipeline.DECODER,
                    new NettyAgentMessageDecoder(AgentPipeline.MAX_INBOUND_FRAME));
        }
        server.log.info("replayer connected", () -> "replayer " + session + " connected (payload cap "
                + capText(hello.payloadCap()) + ")");
    }

    private void answer(ChannelHandlerContext ctx, String request, long requestId, Router.Refusal refusal,
            Supplier<String> done) {
        if (refusal == null) {
            session.log().info(request, () -> "replayer " + session + ": " + done.get());
            reply(ctx, new AckMessage(requestId));
        } else {
            session.log().warn(request + " refused", () -> "replayer " + session + ": " + request + " " + requestId
                    + " refused: " + refusal.text());
            reply(ctx, new ErrorMessage(requestId, refusal.code(), clip(refusal.text())));
        }
    }

    /** Sends a control reply; a replayer that left {@link ReplayerSession#MAX_CONTROL_BACKLOG} unread is closed. */
    private void reply(ChannelHandlerContext ctx, AgentMessage message) {
        if (!session.sendControl(message)) {
            closeNotReading(ctx, ReplayerSession.MAX_CONTROL_BACKLOG + " replies (HEARTBEAT answers, ACK, ERROR) "
                    + "unsent");
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof StatsMessage stats) {
            if (state == State.ACTIVE) {
                reply(ctx, stats);
            }
        } else if (event == EVICT) {
            if (state == State.AWAITING_HELLO) {
                refuse(ctx, ErrorCode.TOO_MANY_REPLAYERS, "connections awaiting HELLO: "
                        + server.handshakes.max() + " (expected: at most " + server.handshakes.max()
                        + ", --max-handshakes; the oldest, this one, gives way to a new one)");
            }
        } else if (event instanceof IdleStateEvent idle && state == State.ACTIVE) {
            if (idle.state() == IdleState.READER_IDLE) {
                closeWithError(ctx, ErrorCode.HEARTBEAT_TIMEOUT, "replayer silent for "
                        + server.settings.heartbeatTimeout().toMillis() + " ms (expected: a HEARTBEAT at least every "
                        + server.settings.heartbeatTimeout().toMillis() / 3 + " ms)");
            }
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    /**
     * Closes a replayer whose socket accepted no byte for a heartbeat timeout while bytes were waiting for it
     * (checked {@value #STALL_CHECKS} times per timeout: the head of Netty's outbound buffer and its progress).
     */
    private void checkStall(ChannelHandlerContext ctx) {
        ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
        Object head = buffer == null ? null : buffer.current();
        long progress = buffer == null ? 0 : buffer.currentProgress();
        if (head == null || head != stalledHead || progress != stalledProgress) {
            stalledHead = head;
            stalledProgress = progress;
            stalledChecks = 0;
            return;
        }
        if (++stalledChecks >= STALL_CHECKS) {
            closeNotReading(ctx, "no byte taken for " + server.settings.heartbeatTimeout().toMillis() + " ms, "
                    + session.pendingWriteBytes() + " bytes waiting");
        }
    }

    private void closeNotReading(ChannelHandlerContext ctx, String why) {
        if (state == State.CLOSING) {
            return;
        }
        server.counters.notReadingClosed.increment();
        server.log.warn("replayer not reading", () -> "closing replayer " + describe(ctx) + ": it does not read ("
                + why + "; expected: a replayer that reads what the agent sends)");
        state = State.CLOSING;
        ctx.close();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (session != null && ctx.channel().isWritable()) {
            session.wake();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handshakeTimeout != null) {
            handshakeTimeout.cancel(false);
        }
        if (stallCheck != null) {
            stallCheck.cancel(false);
        }
        stalledHead = null;
        if (admitted) {
            server.handshakes.done(ctx.channel());
        }
        if (session != null) {
            server.router.removeOwner(session);
            server.sessions.remove(session);
            session.discardQueue();
            clockReport.onDisconnect(session);
            session.log().flush(true);
            server.log.info("replayer disconnected", () -> "replayer " + session + " disconnected: delivered "
                    + session.delivered() + " packets (" + session.bytes() + " bytes), dropped " + session.dropped());
        }
        state = State.CLOSING;
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof AgentProtocolException) {
            String text = "malformed frame from " + describe(ctx) + ": " + root.getMessage();
            if (state == State.AWAITING_HELLO) {
                refuse(ctx, ErrorCode.MALFORMED_FRAME, text);
            } else {
                closeWithError(ctx, ErrorCode.MALFORMED_FRAME, text);
            }
        } else if (root instanceof IOException) {
            if (state != State.CLOSING) {
                server.log.info("connection failed", () -> "connection " + describe(ctx) + ": "
                        + (root.getMessage() != null ? root.getMessage() : root.toString()) + "; closing it");
            }
            state = State.CLOSING;
            ctx.close();
        } else {
            server.log.warn("internal failure", () -> "connection " + describe(ctx) + ": unexpected failure "
                    + root + "; closing it");
            closeWithError(ctx, ErrorCode.INTERNAL, "agent failure: " + root);
        }
    }

    private void refuse(ChannelHandlerContext ctx, ErrorCode reason, String text) {
        if (state == State.CLOSING) {
            return;
        }
        server.log.warn("refused " + reason, () -> "refusing connection " + describe(ctx) + ": " + text);
        server.counters.handshakesFailed.increment();
        state = State.CLOSING;
        if (admitted) {
            server.handshakes.done(ctx.channel());
        }
        sendAndClose(ctx, new RejectMessage(reason, clip(text)));
    }

    /**
     * Sends ERROR and closes; used for failures after the handshake and on shutdown.
     *
     * @param ctx the connection
     * @param code why
     * @param text details
     */
    void closeWithError(ChannelHandlerContext ctx, ErrorCode code, String text) {
        if (state == State.CLOSING) {
            return;
        }
        server.log.warn("closed " + code, () -> "closing replayer " + describe(ctx) + ": " + text);
        state = State.CLOSING;
        sendAndClose(ctx, new ErrorMessage(0, code, clip(text)));
    }

    /** Writes the last message and closes when it is sent, or after a second if the peer does not read it. */
    private static void sendAndClose(ChannelHandlerContext ctx, AgentMessage last) {
        ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
        ctx.executor().schedule(() -> ctx.close(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private String describe(ChannelHandlerContext ctx) {
        return session != null ? session.toString() : String.valueOf(ctx.channel().remoteAddress());
    }

    private static String remoteHost(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress inet
                ? inet.getAddress().getHostAddress() : String.valueOf(ctx.channel().remoteAddress());
    }

    private static String clip(String text) {
        int maxChars = AgentProtocol.MAX_TEXT_BYTES / 4;
        return text.getBytes(StandardCharsets.UTF_8).length <= AgentProtocol.MAX_TEXT_BYTES ? text
                : text.substring(0, maxChars) + "...";
    }

    private static String capText(int payloadCap) {
        return payloadCap < 0 ? "whole payload" : payloadCap == 0 ? "headers only" : payloadCap + " bytes";
    }
}
