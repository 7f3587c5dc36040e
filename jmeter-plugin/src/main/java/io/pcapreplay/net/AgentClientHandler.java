package io.pcapreplay.net;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.pcapreplay.protocol.AcceptMessage;
import io.pcapreplay.protocol.AckMessage;
import io.pcapreplay.protocol.AgentMessage;
import io.pcapreplay.protocol.AgentProtocolException;
import io.pcapreplay.protocol.CapturedMessage;
import io.pcapreplay.protocol.ErrorCode;
import io.pcapreplay.protocol.ErrorMessage;
import io.pcapreplay.protocol.HeartbeatMessage;
import io.pcapreplay.protocol.HostReportMessage;
import io.pcapreplay.protocol.RejectMessage;
import io.pcapreplay.protocol.StatsMessage;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** The client side of one agent connection: handshake result, request answers, and the packet stream. */
@ChannelHandler.Sharable
final class AgentClientHandler extends SimpleChannelInboundHandler<AgentMessage> {

    private final String agent;
    private final AgentListener listener;
    private final AgentClock clock;
    private final CompletableFuture<AcceptMessage> handshake = new CompletableFuture<>();
    private final Map<Long, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<HostReportMessage>> reports = new ConcurrentHashMap<>();
    private volatile StatsMessage lastStats;
    private volatile String closeReason;
    private volatile boolean closedByUs;

    AgentClientHandler(String agent, AgentListener listener, AgentClock clock) {
        this.agent = agent;
        this.listener = listener;
        this.clock = clock;
    }

    CompletableFuture<AcceptMessage> handshake() {
        return handshake;
    }

    CompletableFuture<Void> expectAnswer(long requestId) {
        CompletableFuture<Void> answer = new CompletableFuture<>();
        pending.put(requestId, answer);
        return answer;
    }

    void forget(long requestId) {
        pending.remove(requestId);
        reports.remove(requestId);
    }

    CompletableFuture<HostReportMessage> expectReport(long requestId) {
        CompletableFuture<HostReportMessage> answer = new CompletableFuture<>();
        reports.put(requestId, answer);
        return answer;
    }

    StatsMessage lastStats() {
        return lastStats;
    }

    String closeReason() {
        return closeReason != null ? closeReason : "closed";
    }

    void closing() {
        closedByUs = true;
        if (closeReason == null) {
            closeReason = "closed by this replayer";
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, AgentMessage message) {
        if (message instanceof CapturedMessage captured) {
            listener.onPackets(captured.packets());
        } else if (message instanceof HeartbeatMessage answer) {
            clock.onAnswer(answer);
        } else if (message instanceof AckMessage ack) {
            complete(ack.requestId(), null);
        } else if (message instanceof ErrorMessage error) {
            onError(ctx, error);
        } else if (message instanceof StatsMessage stats) {
            lastStats = stats;
            listener.onStats(stats);
        } else if (message instanceof HostReportMessage report) {
            CompletableFuture<HostReportMessage> answer = reports.remove(report.requestId());
            if (answer != null) {
                answer.complete(report);
            }
        } else if (message instanceof AcceptMessage accept) {
            handshake.complete(accept);
        } else if (message instanceof RejectMessage reject) {
            closeReason = "refused: " + reject.reason() + ": " + reject.text();
            AgentClientException.Kind kind = reject.reason() == ErrorCode.BAD_VERSION
                    ? AgentClientException.Kind.VERSION_MISMATCH : AgentClientException.Kind.REFUSED;
            handshake.completeExceptionally(new AgentClientException(kind, "agent " + agent + " refused this "
                    + "replayer: " + reject.reason() + ": " + reject.text(), null));
            ctx.close();
        }
    }

    private void onError(ChannelHandlerContext ctx, ErrorMessage error) {
        String text = error.code() + ": " + error.text();
        CompletableFuture<HostReportMessage> report = reports.remove(error.requestId());
        if (report != null) {
            report.completeExceptionally(new AgentClientException(AgentClientException.Kind.REQUEST_FAILED, "agent "
                    + agent + " refused request " + error.requestId() + ": " + text, null));
        }
        if (error.requestId() != 0 && pending.containsKey(error.requestId())) {
            complete(error.requestId(), new AgentClientException(AgentClientException.Kind.REQUEST_FAILED, "agent "
                    + agent + " refused request " + error.requestId() + ": " + text, null));
        } else {
            closeReason = "agent error: " + text;
        }
    }

    private void complete(long requestId, AgentClientException failure) {
        CompletableFuture<Void> answer = pending.remove(requestId);
        if (answer == null) {
            return;
        }
        if (failure == null) {
            answer.complete(null);
        } else {
            answer.completeExceptionally(failure);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            closeReason = "agent " + agent + " silent too long (no heartbeat answer); connection presumed dead";
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        String reason = root instanceof AgentProtocolException
                ? "malformed data from " + agent + ": " + root.getMessage()
                : "connection to agent " + agent + " failed: " + root;
        if (closeReason == null) {
            closeReason = reason;
        }
        handshake.completeExceptionally(new AgentClientException(root instanceof AgentProtocolException
                ? AgentClientException.Kind.PROTOCOL : AgentClientException.Kind.CLOSED, reason, root));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (closeReason == null) {
            closeReason = "agent " + agent + " closed the connection";
        }
        handshake.completeExceptionally(new AgentClientException(AgentClientException.Kind.CLOSED, "agent " + agent
                + " closed the connection during the handshake: " + closeReason
                + " (expected: ACCEPT or REJECT; is it an intercept agent of the same release?)", null));
        for (Long id : pending.keySet()) {
            complete(id, new AgentClientException(AgentClientException.Kind.CLOSED, "request " + id + ": connection "
                    + "to agent " + agent + " closed: " + closeReason, null));
        }
        for (Long id : reports.keySet()) {
            CompletableFuture<HostReportMessage> report = reports.remove(id);
            if (report != null) {
                report.completeExceptionally(new AgentClientException(AgentClientException.Kind.CLOSED, "request "
                        + id + ": connection to agent " + agent + " closed: " + closeReason, null));
            }
        }
        if (handshake.isDone() && !handshake.isCompletedExceptionally()) {
            listener.onClosed(closedByUs ? "closed by this replayer" : closeReason);
        }
        ctx.fireChannelInactive();
    }
}
