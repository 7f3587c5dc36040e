package io.pcapreplay.agent;

import io.pcapreplay.agent.capture.CaptureException;
import io.pcapreplay.agent.capture.CaptureSettings;
import io.pcapreplay.agent.capture.DeviceCapture;
import io.pcapreplay.agent.router.Router;
import io.pcapreplay.agent.server.AgentCounters;
import io.pcapreplay.agent.server.AgentServer;
import io.pcapreplay.agent.server.HostFacts;
import io.pcapreplay.agent.server.PacketDispatcher;
import io.pcapreplay.agent.server.RelayWarmUp;
import io.pcapreplay.agent.server.ReplayerSession;
import io.pcapreplay.agent.server.ServerSettings;
import io.pcapreplay.libpcap.LibpcapLocator;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole agent: captures on the devices, routes by destination address, serves the replayers, logs stats.
 * Usable in-process (tests) as well as from {@link Main}.
 */
public final class InterceptAgent implements AutoCloseable {

    /** The agent's version, from the jar manifest when packaged. */
    public static final String VERSION = versionFromManifest();

    private static final Logger LOG = LoggerFactory.getLogger(InterceptAgent.class);
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final AgentOptions options;
    private final String token;
    private final AgentCounters counters = new AgentCounters();
    private final Router<ReplayerSession> router;
    private final AgentServer server;
    private final List<DeviceCapture> captures = new ArrayList<>();
    private ScheduledExecutorService statsTimer;
    private StatsLine lastStats;
    private StatsLine startStats;
    private boolean closed;

    /**
     * @param options the command line
     * @param token the shared secret
     */
    public InterceptAgent(AgentOptions options, String token) {
        this.options = options;
        this.token = token;
        this.router = new Router<>(options.maxRanges());
        this.server = new AgentServer(new ServerSettings(options.listenAddress(), token, VERSION, options.snaplen(),
                options.maxRanges(), options.queueBytes(), options.queueTotalBytes(), HANDSHAKE_TIMEOUT,
                options.heartbeatTimeout(), options.maxReplayers(), options.maxHandshakes(),
                options.maxHandshakesPerAddress(), new HostFacts(options.devices(), options.filter())), router,
                counters);
    }

    /**
     * Opens the captures, binds the server, starts capturing and the stats timer.
     *
     * @return the address replayers connect to
     * @throws CaptureException when libpcap, permissions, a device or the filter fail
     * @throws BindException when the port is in use
     * @throws InterruptedException when interrupted
     */
    public synchronized InetSocketAddress start() throws CaptureException, BindException, InterruptedException {
        String library = LibpcapLocator.configure().orElseThrow(() -> new CaptureException(
                CaptureException.Kind.NO_LIBPCAP, LibpcapLocator.notFoundMessage(), null));
        DeviceCapture.checkFilter(options.filter(), options.snaplen());
        String filter = kernelFilter(options.filter(), options.port());
        CaptureSettings settings = new CaptureSettings(filter, options.snaplen(), options.bufferBytes(),
                library, options.captureMethod(), options.batchPause());
        InetSocketAddress bound;
        try {
            for (String device : options.devices()) {
                captures.add(DeviceCapture.open(settings, device, new PacketDispatcher(router, counters)));
            }
            server.kernelDrops(() -> StatsLine.kernelDrops(captures)); // a replayer's first STATS has the count
            bound = server.start();
        } catch (CaptureException | BindException | RuntimeException e) {
            close();
            throw e;
        }
        captures.forEach(DeviceCapture::start); // a replayer back during the warm-up (an agent restart) is served
        if (!options.warmUp().isZero()) {
            RelayWarmUp.Result warmUp = RelayWarmUp.run(bound, token, router, options.warmUp());
            if (warmUp.failure() != null) {
                LOG.warn("relay warm-up: skipped, {} (the agent runs; the first test's packets are relayed by code "
                        + "the JIT has yet to compile; --warm-up-ms 0 turns the warm-up off)", warmUp.failure());
            } else {
                LOG.info("relay warm-up: {} synthetic packets relayed to a replayer of its own over loopback in {} "
                        + "ms ({}; --warm-up-ms {})", warmUp.packets(), warmUp.elapsed().toMillis(), warmUp.quiet()
                                ? "the JIT is done with the relay path" : "time up, the JIT still compiling",
                        options.warmUp().toMillis());
            }
        }
        server.announce(bound);
        lastStats = StatsLine.take(counters, captures, server.sessions());
        startStats = lastStats; // after the warm-up: the final relay delays leave its packets out
        statsTimer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "stats");
            thread.setDaemon(true);
            return thread;
        });
        long period = options.statsInterval().toMillis();
        if (period > 0) {
            statsTimer.scheduleAtFixedRate(this::reportStats, period, period, TimeUnit.MILLISECONDS);
        }
        LOG.info("capturing on {} with filter '{}' (snaplen {}; 'and not tcp port {}' keeps the agent's own "
                + "channel to the replayers out of the capture), agent {}", options.devices(), filter,
                options.snaplen(), options.port(), VERSION);
        LOG.info("limits: queue {} MiB per replayer, {} MiB for all, {} replayers, {} connections awaiting HELLO "
                + "({} per address); JVM heap max {} MiB", options.queueBytes() >> 20, options.queueTotalBytes() >> 20,
                options.maxReplayers(), options.maxHandshakes(), options.maxHandshakesPerAddress(),
                Runtime.getRuntime().maxMemory() >> 20);
        return bound;
    }

    /**
     * The filter the kernel runs: the user's, without the agent's own replayer channel (the listen port), so a
     * broad filter such as 'tcp' with a replayer on a captured device cannot feed the agent its own traffic.
     *
     * @param filter the user's filter
     * @param port the port replayers connect to
     * @return the filter to install
     */
    static String kernelFilter(String filter, int port) {
        return "(" + filter + ") and not (tcp port " + port + ")";
    }

    /** @return the agent-wide counters */
    public AgentCounters counters() {
        return counters;
    }

    /** @return the server (connections, queues, log) */
    public AgentServer server() {
        return server;
    }

    /** @return the replayers connected now */
    public List<ReplayerSession> sessions() {
        return server.sessions();
    }

    private void reportStats() {
        try {
            StatsLine now = StatsLine.take(counters, captures, server.sessions());
            LOG.info("stats: {}", now.format(lastStats));
            lastStats = now;
            server.broadcastStats(now.kernelDrops());
        } catch (RuntimeException e) {
            LOG.warn("stats failed: {}", e.toString());
        }
    }

    /** Stops capturing, closes every replayer connection, logs the final stats. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (statsTimer != null) {
            statsTimer.shutdownNow();
        }
        for (DeviceCapture capture : captures) {
            capture.close();
        }
        StatsLine last = StatsLine.take(counters, captures, server.sessions());
        server.close();
        server.log().flush();
        if (lastStats != null) {
            LOG.info("final stats: {}", last.format(startStats));
        }
    }

    private static String versionFromManifest() {
        String version = InterceptAgent.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }
}
