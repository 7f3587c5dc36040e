package io.pcapreplay.tcp;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * One selector event loop of a {@link KernelReplayer}: commands from other threads, timers, paced session starts
 * (start rate, cap on connects in progress), then the sockets that are ready, one {@link #runOnce} at a time. Every
 * socket is non-blocking; reads go through one shared buffer, requests are written straight from the recording, so
 * a session holds no buffer of its own. Owns its sessions; only its thread calls it, except {@link #command}.
 */
final class KernelLoop {

    private static final long TICK_NANOS = 1_000_000;
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final int READS_PER_WAKEUP = 8;
    private static final long TIMER_SELECT_MILLIS = 1;
    private static final long IDLE_SELECT_MILLIS = 50;

    private final EngineConfig config;
    private final NanoClock clock;
    private final Selector selector;
    private final TimerWheel wheel;
    private final ArrayDeque<KernelSession> pending = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private final KernelCounters counters = new KernelCounters();
    private final KernelExchanges exchanges;
    private final List<InetAddress> localIpv4 = new ArrayList<>();
    private final List<InetAddress> localIpv6 = new ArrayList<>();
    private final Consumer<KernelFailures.Failure> localLimitListener;
    private final long startIntervalNanos;
    private final int maxConnecting;
    private final long connectTimeoutNanos;
    private final TimerWheel.Expiry expiry = this::onTimer;
    private final Consumer<SelectionKey> ready = this::onReady;
    private int nextLocal;
    private long nextStartAt;
    private boolean stopped;

    /**
     * @param config the settings
     * @param startRate this loop's share of the session start rate (0 = unlimited)
     * @param maxConnecting this loop's share of the cap on connects in progress
     * @param localAddresses addresses to bind, round-robin per family; empty: the kernel chooses
     * @param firstLocal where this loop starts in the round-robin
     * @param clock the time source
     * @param localLimitListener told of every failure for lack of a local resource
     * @throws IOException when no selector can be opened
     */
    KernelLoop(EngineConfig config, double startRate, int maxConnecting, List<InetAddress> localAddresses,
            int firstLocal, NanoClock clock, Consumer<KernelFailures.Failure> localLimitListener) throws IOException {
        this.config = config;
        this.clock = clock;
        this.selector = Selector.open();
        long now = clock.nanoTime();
        this.wheel = new TimerWheel(TICK_NANOS, 4_096, now);
        this.exchanges = new KernelExchanges(this, config);
        KernelFailures.load();
        stats();
        for (InetAddress address : localAddresses) {
            (address instanceof Inet6Address ? localIpv6 : localIpv4).add(address);
        }
        this.nextLocal = firstLocal;
        this.localLimitListener = localLimitListener;
        this.startIntervalNanos = startRate > 0 ? (long) (1e9 / startRate) : 0;
        this.maxConnecting = maxConnecting;
        this.connectTimeoutNanos = config.connectTimeout().toNanos();
        this.nextStartAt = now;
    }

    /**
     * Runs one round: commands, timers, starts, then the ready sockets (waiting for them when nothing else was due).
     *
     * @return how much work was found
     * @throws IOException when the selector fails
     */
    int runOnce() throws IOException {
        long now = clock.nanoTime();
        int work = 0;
        for (Runnable command = commands.poll(); command != null; command = commands.poll()) {
            command.run();
            work++;
        }
        work += wheel.advance(now, expiry);
        work += startPending(now);
        if (work > 0) {
            return work + selector.selectNow(ready);
        }
        long wait = wheel.size() > 0 || !pending.isEmpty() ? TIMER_SELECT_MILLIS : IDLE_SELECT_MILLIS;
        return selector.select(ready, wait);
    }

    /** Queues work for the loop thread (any thread) and wakes it. */
    void command(Runnable command) {
        commands.add(command);
        selector.wakeup();
    }

    /** Queues a new session for a paced start. */
    void enqueue(KernelSession session) {
        if (stopped) {
            session.state = ConnectionState.CLOSED;
            session.handle.finish("replayer stopped before the session started");
            return;
        }
        counters.open++;
        pending.add(session);
    }

    private int startPending(long now) {
        int started = 0;
        while (!pending.isEmpty() && counters.connecting < maxConnecting) {
            if (startIntervalNanos > 0) {
                if (now < nextStartAt) {
                    break;
                }
                long base = now - nextStartAt > startIntervalNanos ? now : nextStartAt;
                nextStartAt = base + startIntervalNanos;
            }
            KernelSession session = pending.poll();
            counters.started++;
            open(session, now);
            reschedule(session);
            started++;
        }
        return started;
    }

    /** Opens the session's socket (bound to the next local address, if any) and starts its non-blocking connect. */
    private void open(KernelSession session, long now) {
        session.state = ConnectionState.SYN_SENT;
        session.startNanos = now;
        counters.connecting++;
        boolean ipv6 = session.target.getAddress() instanceof Inet6Address;
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open(ipv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            InetAddress local = nextLocal(ipv6 ? localIpv6 : localIpv4);
            if (local != null) {
                channel.bind(new InetSocketAddress(local, 0));
            }
            boolean connected = channel.connect(session.target);
            session.key = channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT,
                session);
            if (connected) {
                connected(session, now);
            } else {
                session.phaseAt = now + connectTimeoutNanos;
            }
        } catch (IOException e) {
            if (session.key == null && channel != null) {
                closeQuietly(channel);
            }
            connectFailed(session, KernelFailures.connecting(session.target, e), now);
        }
    }

    private InetAddress nextLocal(List<InetAddress> addresses) {
        if (addresses.isEmpty()) {
            return null;
        }
        nextLocal = (nextLocal + 1) % addresses.size();
        return addresses.get(nextLocal);
    }

    private void onReady(SelectionKey key) {
        KernelSession session = (KernelSession) key.attachment();
        long now = clock.nanoTime();
        try {
            if (!key.isValid() || session.state == ConnectionState.CLOSED) {
                return;
            }
            int readyOps = key.readyOps();
            if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
                finishConnect(session, now);
            } else {
                if ((readyOps & SelectionKey.OP_WRITE) != 0 && writeRequest(session, now)) {
                    exchanges.checkComplete(session, now);
                }
                if ((readyOps & SelectionKey.OP_READ) != 0 && session.state != ConnectionState.CLOSED) {
                    read(session, now);
                }
            }
        } catch (RuntimeException | LinkageError e) {
            counters.loopErrors++; // a bug must not stop every session; the counter shows it
            exchanges.fail(session, Outcome.RESET, "replayer error: " + e, now);
        }
        reschedule(session);
    }

    private void finishConnect(KernelSession session, long now) {
        try {
            if (!session.channel().finishConnect()) {
                return;
            }
        } catch (IOException e) {
            connectFailed(session, KernelFailures.connecting(session.target, e), now);
            return;
        }
        session.key.interestOps(SelectionKey.OP_READ);
        connected(session, now);
    }

    private void connected(KernelSession session, long now) {
        counters.connecting--;
        session.connectEndNanos = now;
        session.phaseAt = KernelSession.NONE;
        exchanges.established(session, now);
    }

    private void connectFailed(KernelSession session, KernelFailures.Failure failure, long now) {
        if (KernelFailures.isLocalLimit(failure)) {
            counters.localLimits++;
            localLimitListener.accept(failure);
        }
        if (failure.outcome() == Outcome.TIMEOUT) {
            exchanges.fail(session, failure.outcome(), failure.message(), now);
        } else {
            exchanges.report(session, failure.outcome(), failure.message());
            finish(session, failure.outcome() == Outcome.REFUSED ? "connection refused" : failure.message());
        }
    }

    /**
     * Writes what the socket takes of the current request; waits for writability when it takes less.
     *
     * @return whether the request is now written in full (false also when the write failed and the session ended)
     */
    boolean writeRequest(KernelSession session, long now) {
        int length = session.exchange().requestLength();
        if (session.requestWritten < length) {
            ByteBuffer request = session.exchange().request();
            request.position(session.requestWritten);
            try {
                session.requestWritten += session.channel().write(request);
            } catch (IOException e) {
                exchanges.ioFailed(session, KernelFailures.established(e), now);
                return false;
            }
        }
        boolean written = session.requestWritten >= length;
        session.key.interestOps(written ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        return written;
    }

    private void read(KernelSession session, long now) {
        SocketChannel channel = session.channel();
        for (int round = 0; round < READS_PER_WAKEUP; round++) {
            readBuffer.clear();
            int count;
            try {
                count = channel.read(readBuffer);
            } catch (IOException e) {
                exchanges.ioFailed(session, KernelFailures.established(e), now);
                return;
            }
            if (count < 0) {
                session.key.interestOps(0);
                exchanges.serverClosed(session, now);
                return;
            }
            if (count == 0) {
                return;
            }
            readBuffer.flip();
            exchanges.onBytes(session, readBuffer, count, now);
            if (session.state == ConnectionState.CLOSED || count < READ_BUFFER_BYTES) {
                return;
            }
        }
    }

    /** Half-closes the socket: our FIN. */
    void shutdownOutput(KernelSession session) {
        try {
            session.channel().shutdownOutput();
        } catch (IOException e) {
            // already reset by the server: the session ends through its read
        }
    }

    /** Closes the socket with a RST (SO_LINGER 0); the session is finished by the caller. */
    void reset(KernelSession session) {
        SocketChannel channel = session.channel();
        if (channel != null && channel.isOpen()) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException e) {
                // closed under us: nothing left to reset
            }
            closeQuietly(channel);
        }
    }

    private void onTimer(TimerWheel.Node node, long now) {
        KernelSession session = (KernelSession) node;
        session.phaseAt = KernelSession.NONE;
        exchanges.onPhaseTimer(session, now);
        reschedule(session);
    }

    private void reschedule(KernelSession session) {
        if (session.state == ConnectionState.CLOSED) {
            return;
        }
        long deadline = session.phaseAt;
        if (deadline == KernelSession.NONE) {
            wheel.cancel(session);
        } else if (session.timerDeadline() != deadline) {
            wheel.schedule(session, deadline);
        }
    }

    /** Ends a session: socket closed (a FIN unless already reset), timer cancelled, handle finished. */
    void finish(KernelSession session, String reason) {
        if (session.state == ConnectionState.CLOSED) {
            return;
        }
        if (session.state == ConnectionState.SYN_SENT) {
            counters.connecting--;
        }
        if (session.state == ConnectionState.PENDING) {
            pending.remove(session);
        }
        SocketChannel channel = session.channel();
        if (channel != null) {
            closeQuietly(channel);
        }
        wheel.cancel(session);
        session.state = ConnectionState.CLOSED;
        session.capture = null;
        counters.open--;
        counters.completed++;
        session.handle.finish(reason);
    }

    /** Publishes a result to the session's listener or queue. */
    void publish(KernelSession session, ExchangeResult result) {
        counters.results++;
        if (!session.handle.publish(result)) {
            counters.listenerErrors++;
        }
    }

    /** Resets every open connection and ends every session; later sessions end at once; closes the selector. */
    void stopAll() {
        stopped = true;
        List<KernelSession> open = new ArrayList<>(pending);
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof KernelSession session && session.state != ConnectionState.CLOSED) {
                open.add(session);
            }
        }
        for (KernelSession session : open) {
            reset(session);
            finish(session, "replayer stopped; connection reset");
        }
        try {
            selector.selectNow(); // deregisters the cancelled keys: the sockets close now (RST)
            selector.close();
        } catch (IOException e) {
            counters.loopErrors++;
        }
    }

    /** Counts an unexpected exception of the loop thread. */
    void loopError() {
        counters.loopErrors++;
    }

    KernelStats stats() {
        KernelCounters c = counters;
        return new KernelStats(c.open, c.connecting, c.started, c.completed, c.results, c.localLimits,
            c.listenerErrors, c.loopErrors);
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do: the descriptor is released either way
        }
    }

    /** Returns the session logic of this loop. */
    KernelExchanges exchanges() {
        return exchanges;
    }
}
