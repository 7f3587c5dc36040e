package io.pcapreplay.tcp;

import io.pcapreplay.pcap.Endpoint;
import io.pcapreplay.pcap.RecordedSession;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Replays recorded sessions over ordinary kernel TCP sockets from this host's own addresses: no raw socket, no
 * agent, no root. Each session is one non-blocking socket on one of a few selector loops ({@link KernelLoop}, one
 * thread each), with the engine's samples, timing rules, think times, outcomes and close as recorded
 * ({@link ExchangeRules}); a session holds no buffer of its own. Optionally bound to local addresses, round-robin, to
 * multiply the ephemeral port space. Bounded by the OS: one file descriptor and one local port per open session
 * ({@link KernelLimits}); running out fails the session with {@link Outcome#LOCAL_LIMIT}.
 *
 * <p>Times are the loop's view of the kernel's events: connect = {@code connect()} called to the connect finished;
 * latency = request written (exchange 0: connect called) to the first response bytes read; elapsed = to the last
 * response bytes read. They include the kernel's and the selector's wake-up, unlike the engine's packet times.
 */
public final class KernelReplayer implements SessionReplayer {

    private static final long ERROR_PAUSE_NANOS = 1_000_000;

    private final EngineConfig config;
    private final List<InetAddress> localAddresses;
    private final KernelLoop[] loops;
    private final Thread[] threads;
    private final AtomicLong sessionIds = new AtomicLong();
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final ConcurrentHashMap<InetSocketAddress, InetSocketAddress> targets = new ConcurrentHashMap<>();
    private final AtomicBoolean limitWarned = new AtomicBoolean();
    private final Consumer<String> localLimitWarning;
    private volatile boolean running = true;

    private KernelReplayer(EngineConfig config, List<InetAddress> localAddresses, int loopCount,
            Consumer<String> localLimitWarning) throws IOException {
        this.config = Objects.requireNonNull(config, "config");
        this.localAddresses = List.copyOf(localAddresses);
        this.localLimitWarning = Objects.requireNonNull(localLimitWarning, "localLimitWarning");
        if (loopCount < 1 || loopCount > 64) {
            throw new IllegalArgumentException("kernel loops: " + loopCount + " (expected: 1 to 64)");
        }
        this.loops = new KernelLoop[loopCount];
        this.threads = new Thread[loopCount];
        double rate = config.startRate() / loopCount;
        int connecting = Math.max(1, config.maxHalfOpen() / loopCount);
        try {
            for (int index = 0; index < loopCount; index++) {
                loops[index] = new KernelLoop(config, rate, connecting, this.localAddresses, index,
                    NanoClock.SYSTEM, this::onLocalLimit);
            }
        } catch (IOException e) {
            for (KernelLoop loop : loops) {
                if (loop != null) {
                    loop.stopAll();
                }
            }
            throw e;
        }
    }

    /**
     * Starts a replayer with its loop threads.
     *
     * @param config the settings (built with {@link EngineConfig#builder()}; a client pool is ignored)
     * @param localAddresses addresses of this host to bind, round-robin; empty: the kernel chooses
     * @param loopCount selector loops, one thread each (1 to 64)
     * @param localLimitWarning told once, on a loop thread, of the first session that failed for lack of a local
     *     port, file descriptor or socket buffer (every one is counted in {@link #stats()})
     * @return the running replayer
     * @throws IOException when a selector cannot be opened
     */
    public static KernelReplayer start(EngineConfig config, List<InetAddress> localAddresses, int loopCount,
            Consumer<String> localLimitWarning) throws IOException {
        KernelReplayer replayer = new KernelReplayer(config, localAddresses, loopCount, localLimitWarning);
        for (int index = 0; index < loopCount; index++) {
            KernelLoop loop = replayer.loops[index];
            Thread thread = new Thread(() -> replayer.run(loop), "pcap-replay-kernel-" + index);
            thread.setDaemon(true);
            replayer.threads[index] = thread;
            thread.start();
        }
        return replayer;
    }

    @Override
    public KernelReplayer responseFraming(ResponseFraming framing) {
        for (KernelLoop loop : loops) {
            loop.exchanges().framing(framing);
        }
        return this;
    }

    @Override
    public SessionHandle startSession(RecordedSession session, InetSocketAddress target, ExchangeListener listener) {
        return startSession(session, target, listener, null);
    }

    @Override
    public SessionHandle startSession(RecordedSession session, InetSocketAddress target, ExchangeListener listener,
            RequestPacer pacer) {
        return startSession(session, target, listener, pacer, null);
    }

    @Override
    public SessionHandle startSession(RecordedSession session, InetSocketAddress target, ExchangeListener listener,
            RequestPacer pacer, ExchangeGate gate) {
        Objects.requireNonNull(session, "session");
        if (session.exchangeCount() == 0) {
            throw new IllegalArgumentException("session " + session.client() + " -> " + session.server()
                + ": 0 exchanges (expected: at least 1)");
        }
        InetSocketAddress server = resolve(session, target);
        SessionHandle handle = new SessionHandle(sessionIds.incrementAndGet(), listener);
        handle.pacer(pacer);
        handle.gate(gate);
        if (!running) {
            handle.finish("replayer stopped before the session started");
            return handle;
        }
        KernelSession replayed = new KernelSession(session, handle, server);
        KernelLoop loop = loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
        loop.command(() -> loop.enqueue(replayed));
        return handle;
    }

    private InetSocketAddress resolve(RecordedSession session, InetSocketAddress target) {
        Endpoint recorded = session.server();
        InetAddress address = target != null ? target.getAddress()
            : config.target() != null ? config.target() : recorded.address();
        int port = target != null && target.getPort() != 0 ? target.getPort()
            : config.targetPort() != 0 ? config.targetPort() : recorded.port();
        boolean ipv6 = address instanceof Inet6Address;
        if (!localAddresses.isEmpty()
                && localAddresses.stream().noneMatch(local -> (local instanceof Inet6Address) == ipv6)) {
            throw new IllegalArgumentException("session server: " + address.getHostAddress() + " (expected: an IPv"
                + (ipv6 ? 4 : 6) + " target, the family of the local addresses " + localAddresses + ")");
        }
        InetSocketAddress resolved = new InetSocketAddress(address, port);
        return targets.computeIfAbsent(resolved, key -> key); // one shared object per target
    }

    private void onLocalLimit(KernelFailures.Failure failure) {
        if (limitWarned.compareAndSet(false, true)) {
            try {
                localLimitWarning.accept(failure.message());
            } catch (RuntimeException e) {
                // a failing logger must not stop the loop
            }
        }
    }

    /** Returns a snapshot of the counters, summed over the loops: the stats. */
    public KernelStats stats() {
        KernelStats sum = loops[0].stats();
        for (int index = 1; index < loops.length; index++) {
            sum = sum.plus(loops[index].stats());
        }
        return sum;
    }

    @Override
    public int openSessions() {
        return stats().openSessions();
    }

    /** Returns the local addresses sockets are bound to, round-robin (empty: the kernel chooses). */
    public List<InetAddress> localAddresses() {
        return localAddresses;
    }

    @Override
    public boolean stop(Duration timeout) {
        running = false;
        for (KernelLoop loop : loops) {
            loop.command(() -> { });
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean stopped = true;
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopped &= !thread.isAlive();
        }
        return stopped;
    }

    private void run(KernelLoop loop) {
        while (running) {
            try {
                loop.runOnce();
            } catch (IOException | RuntimeException | LinkageError e) {
                // a bug, a selector failure, or a class that could not be loaded while descriptors ran out must not
                // stop every session; the counter shows it
                loop.loopError();
                LockSupport.parkNanos(ERROR_PAUSE_NANOS);
            }
        }
        loop.stopAll();
    }
}
