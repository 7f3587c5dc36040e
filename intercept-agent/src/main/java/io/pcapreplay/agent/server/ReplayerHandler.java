package io.pcapreplay.agent.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
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
import io.pcapreplay.protocol.UnregisterMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of one replayer connection: handshake (version, token), REGISTER/UNREGISTER, heartbeats and
 * timeouts. Any protocol violation closes this connection only, with a logged reason.
 */
final class ReplayerHandler extends SimpleChannelInboundHandler<AgentMessage> {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayerHandler.class);

    /** The connection's state. */
    enum State {
        AWAITING_HELLO, ACTIVE, CLOSING
    }

    private final ServerSettings settings;
    private final Router<ReplayerSession> router;
    private final Set<ReplayerSession> sessions;
    private State state = State.AWAITING_HELLO;
    private ReplayerSession session;
    private ScheduledFuture<?> handshakeTimeout;

    ReplayerHandler(ServerSettings settings, Router<ReplayerSession> router, Set<ReplayerSession> sessions) {
        this.settings = settings;
        this.router = router;
        this.sessions = sessions;
    }

    State state() {
        return state;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            startHandshakeTimer(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startHandshakeTimer(ctx);
        ctx.fireChannelActive();
    }

    private void startHandshakeTimer(ChannelHandlerContext ctx) {
        if (handshakeTimeout != null) {
            return;
        }
        handshakeTimeout = ctx.executor().schedule(() -> {
            if (state == State.AWAITING_HELLO) {
                refuse(ctx, ErrorCode.HANDSHAKE_TIMEOUT, "handshake: no HELLO within "
                        + settings.handshakeTimeout().toMillis() + " ms (expected: a replayer's HELLO first)");
            }
        }, settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, AgentMessage message) {
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
            Router.Refusal refusal = router.register(session, register.ranges(), ReplayerSession::name);
            answer(ctx, register.requestId(), refusal, "registered " + register.ranges());
        } else if (message instanceof UnregisterMessage unregister) {
            Router.Refusal refusal = router.unregister(session, unregister.ranges());
            answer(ctx, unregister.requestId(), refusal, "unregistered " + unregister.ranges());
        } else if (message instanceof HeartbeatMessage) {
            ctx.writeAndFlush(new HeartbeatMessage(System.currentTimeMillis()));
        } else if (message instanceof HostQueryMessage query) {
            ctx.writeAndFlush(new HostReportMessage(query.requestId(), settings.hostFacts().read()));
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
                    + settings.agentVersion() + ")");
            return;
        }
        byte[] expected = settings.token().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, hello.token().getBytes(StandardCharsets.UTF_8))) {
            refuse(ctx, ErrorCode.BAD_TOKEN, "auth token of replayer '" + hello.replayerName()
                    + "': does not match (expected: the content of the agent's --token-file)");
            return;
        }
        if (sessions.size() >= settings.maxReplayers()) {
            refuse(ctx, ErrorCode.TOO_MANY_REPLAYERS, "replayers connected: " + sessions.size() + " (expected: at "
                    + "most " + settings.maxReplayers() + "; raise the agent's --max-replayers or use another agent)");
            return;
        }
        session = new ReplayerSession(ctx.channel(), hello.replayerName(), hello.payloadCap(),
                settings.queueBytes());
        sessions.add(session);
        state = State.ACTIVE;
        ctx.writeAndFlush(new AcceptMessage(AgentProtocol.VERSION, settings.agentVersion(), settings.snaplen(),
                settings.maxRanges(), AgentProtocol.MAX_PACKETS_PER_BATCH, settings.heartbeatTimeout().toMillis()));
        LOG.info("replayer {} connected (payload cap {})", session, capText(hello.payloadCap()));
    }

    private void answer(ChannelHandlerContext ctx, long requestId, Router.Refusal refusal, String done) {
        if (refusal == null) {
            LOG.info("replayer {}: {}", session, done);
            ctx.writeAndFlush(new AckMessage(requestId));
        } else {
            LOG.warn("replayer {}: request {} refused: {}", session, requestId, refusal.text());
            ctx.writeAndFlush(new ErrorMessage(requestId, refusal.code(), refusal.text()));
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE && state == State.ACTIVE) {
            closeWithError(ctx, ErrorCode.HEARTBEAT_TIMEOUT, "replayer silent for "
                    + settings.heartbeatTimeout().toMillis() + " ms (expected: a HEARTBEAT at least every "
                    + settings.heartbeatTimeout().toMillis() / 3 + " ms)");
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (session != null && ctx.channel().isWritable()) {
            session.scheduleDrain();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handshakeTimeout != null) {
            handshakeTimeout.cancel(false);
        }
        if (session != null) {
            router.removeOwner(session);
            sessions.remove(session);
            session.discardQueue();
            LOG.info("replayer {} disconnected: delivered {} packets ({} bytes), dropped {}", session,
                    session.delivered(), session.bytes(), session.dropped());
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
                LOG.info("connection {}: {}; closing it", describe(ctx),
                        root.getMessage() != null ? root.getMessage() : root.toString());
            }
            state = State.CLOSING;
            ctx.close();
        } else {
            LOG.error("connection {}: unexpected failure; closing it", describe(ctx), root);
            closeWithError(ctx, ErrorCode.INTERNAL, "agent failure: " + root);
        }
    }

    private void refuse(ChannelHandlerContext ctx, ErrorCode reason, String text) {
        LOG.warn("refusing connection {}: {}", describe(ctx), text);
        state = State.CLOSING;
        ctx.writeAndFlush(new RejectMessage(reason, clip(text))).addListener(ChannelFutureListener.CLOSE);
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
        LOG.warn("closing replayer {}: {}", describe(ctx), text);
        state = State.CLOSING;
        ctx.writeAndFlush(new ErrorMessage(0, code, clip(text))).addListener(ChannelFutureListener.CLOSE);
    }

    private String describe(ChannelHandlerContext ctx) {
        return session != null ? session.toString() : String.valueOf(ctx.channel().remoteAddress());
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
