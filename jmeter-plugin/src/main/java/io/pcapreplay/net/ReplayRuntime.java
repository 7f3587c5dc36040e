package io.pcapreplay.net;

import io.pcapreplay.http.HttpResponseFraming;
import io.pcapreplay.protocol.AddressRange;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.AddressAllocation;
import io.pcapreplay.tcp.ClientAddresses;
import io.pcapreplay.tcp.EngineConfig;
import io.pcapreplay.tcp.ExchangeGate;
import io.pcapreplay.tcp.ExchangeListener;
import io.pcapreplay.tcp.KernelLimits;
import io.pcapreplay.tcp.KernelReplayer;
import io.pcapreplay.tcp.PacketSender;
import io.pcapreplay.tcp.ReplayEngine;
import io.pcapreplay.tcp.RequestPacer;
import io.pcapreplay.tcp.SessionHandle;
import io.pcapreplay.tcp.SessionReplayer;
import io.pcapreplay.tcp.WireClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session replayer per JMeter process and settings, chosen by the transport: for {@code raw-ip} and
 * {@code datalink} a {@link ReplayEngine} with what feeds it (the socket it sends through, the agent client whose
 * captured packets go to {@link ReplayEngine#deliver}); for {@code kernel} a {@link KernelReplayer} (kernel sockets,
 * nothing else; see {@link KernelTransport}). Shared by every thread group and thread using equal
 * {@link ReplaySettings}: {@link #acquire} counts references, {@link #release} of the last one stops it (every open
 * session is reset). {@link #stopAll()} stops every runtime at the end of a test. Losing the agent ends the current
 * exchange of every open session with AGENT_LOST; the {@link AgentLink} reconnects (sessions started meanwhile wait
 * for it up to the connect timeout).
 */
public final class ReplayRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayRuntime.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final Map<ReplaySettings, ReplayRuntime> RUNTIMES = new HashMap<>();

    private final ReplaySettings settings;
    private final SessionReplayer replayer;
    private final Transport transport;
    private final AgentLink agent;
    private final KernelLimits limits;
    private final ReplayTargets targets;
    private volatile StartChecks checks;
    private final Map<Object, Integer> expectedUsers = new IdentityHashMap<>();
    private boolean capacityWarned;
    private int references;
    private volatile boolean stopping;

    /** Where the engine's packets go: the raw socket, or a test double. */
    public interface Transport extends PacketSender, AutoCloseable {
        @Override
        void close();
    }

    /** Opens a transport (the raw socket by default). */
    @FunctionalInterface
    public interface TransportFactory {
        /**
         * @param targets every address sessions may go to (the datalink transport finds their next hop)
         * @return an open transport
         * @throws ReplayRuntimeException when it cannot be opened
         */
        Transport open(List<InetAddress> targets) throws ReplayRuntimeException;
    }

    private ReplayRuntime(ReplaySettings settings, SessionReplayer replayer, Transport transport, AgentLink agent,
            KernelLimits limits, ReplayTargets targets) {
        this.settings = settings;
        this.targets = targets;
        this.replayer = replayer;
        this.transport = transport;
        this.agent = agent;
        this.limits = limits;
    }

    /**
     * Returns the runtime for these settings, starting it when none runs; every call must be paired with
     * {@link #release()}.
     *
     * @param settings the settings
     * @return the shared runtime
     * @throws ReplayRuntimeException when the raw socket, the agent or the settings fail
     */
    public static ReplayRuntime acquire(ReplaySettings settings) throws ReplayRuntimeException {
        TransportSpec transport = settings.transport();
        return acquire(settings, transport.datalink()
            ? targets -> PacketTransports.datalink(transport, PacketTransports.datalinkTargets(settings, targets))
            : targets -> PacketTransports.rawSocket(ClientAddresses.lists(settings.clientAddresses(), false),
                ClientAddresses.lists(settings.clientAddresses(), true)), true);
    }

    /**
     * As {@link #acquire(ReplaySettings)} with another packet transport for the engine (tests); the kernel
     * transport opens no packet transport and ignores the factory.
     *
     * @param settings the settings
     * @param factory opens the transport when the runtime starts
     * @return the shared runtime
     * @throws ReplayRuntimeException when the transport, the agent or the settings fail
     */
    public static ReplayRuntime acquire(ReplaySettings settings, TransportFactory factory)
            throws ReplayRuntimeException {
        return acquire(settings, factory, false);
    }

    /**
     * As {@link #acquire(ReplaySettings, TransportFactory)}, with or without the pre-flight checks (see
     * {@link StartChecks}: the quick ones at start, the probe beside the first session, one log line each).
     *
     * @param settings the settings
     * @param factory opens the transport when the runtime starts
     * @param preflight whether to run the checks when it starts
     * @return the shared runtime
     * @throws ReplayRuntimeException when the transport, the agent or the settings fail
     */
    public static synchronized ReplayRuntime acquire(ReplaySettings settings, TransportFactory factory,
            boolean preflight) throws ReplayRuntimeException {
        ReplayRuntime runtime = RUNTIMES.get(settings);
        if (runtime == null) {
            runtime = start(settings, factory, preflight);
            RUNTIMES.put(settings, runtime);
        }
        runtime.references++;
        return runtime;
    }

    /** Gives back one reference; the last one stops the runtime. */
    public void release() {
        synchronized (ReplayRuntime.class) {
            if (references == 0) {
                return;
            }
            references--;
            if (references > 0) {
                return;
            }
            RUNTIMES.remove(settings, this);
        }
        stop();
    }

    /** Stops every runtime whatever its references (end of the test): every open session is reset. */
    public static void stopAll() {
        List<ReplayRuntime> running;
        synchronized (ReplayRuntime.class) {
            running = new ArrayList<>(RUNTIMES.values());
            RUNTIMES.clear();
            running.forEach(runtime -> runtime.references = 0);
        }
        running.forEach(ReplayRuntime::stop);
    }

    /** Returns how many runtimes run: the count (tests). */
    public static synchronized int runningCount() {
        return RUNTIMES.size();
    }

    /** Returns the replayer: the shared one (a {@link ReplayEngine} or a {@link KernelReplayer}). */
    public SessionReplayer replayer() {
        return replayer;
    }

    /** Returns what bounds the kernel transport on this host, or null for the engine's transports. */
    public KernelLimits limits() {
        return limits;
    }

    /**
     * Notes how many concurrent users a thread group runs through this runtime; with the kernel transport, warns once
     * (with the numbers) when all groups together ask for more than the host can hold.
     *
     * @param group the thread group (its identity is the key)
     * @param users its users
     * @return whether this call warned
     */
    public boolean expectUsers(Object group, int users) {
        if (limits == null || limits.capacity() < 0) {
            return false;
        }
        long total;
        synchronized (expectedUsers) {
            expectedUsers.put(group, users);
            total = expectedUsers.values().stream().mapToLong(Integer::longValue).sum();
            if (total <= limits.capacity() || capacityWarned) {
                return false;
            }
            capacityWarned = true;
        }
        LOG.warn("transport kernel: the test runs {} concurrent users, this host holds at most {}: the sessions "
            + "beyond fail with LOCAL_LIMIT. {}", total, limits.capacity(), limits.describe());
        return true;
    }

    /** Returns the settings this runtime was made of. */
    public ReplaySettings settings() {
        return settings;
    }

    /**
     * Starts a session against its target: the one the target map names for its recorded port, else the runtime's
     * (with raw IP: the target's address of the session's recorded family when it has both, see
     * {@link ReplayTargets}).
     *
     * @param session the recording
     * @param listener receives the results on the engine's loop; null: take them with the handle
     * @return the session's handle
     * @throws IllegalArgumentException when the session cannot be replayed (see {@link SessionReplayer})
     */
    public SessionHandle startSession(RecordedSession session, ExchangeListener listener) {
        return replayer.startSession(session, targetOf(session), listener);
    }

    /**
     * Returns the session's target: with raw IP the one {@link ReplayTargets} picks (map entry, else the target's
     * address of the recorded family), with kernel sockets the map's (null: the runtime's); the first starts the
     * probe.
     */
    private InetSocketAddress targetOf(RecordedSession session) {
        InetSocketAddress mapped = targets != null ? targets.forSession(session)
            : settings.targetMap().forPort(session.server().port());
        StartChecks started = checks;
        if (started != null) {
            started.beforeSession(mapped, session.server().port());
        }
        return mapped;
    }

    /** Returns the pre-flight results logged so far (none for the kernel transport or without checks). */
    public List<CheckResult> preflight() {
        StartChecks started = checks;
        return started == null ? List.of() : started.results();
    }

    /**
     * Waits until the probe started with the first session has ended (tests; the probe never delays sessions).
     *
     * @param timeout the longest wait
     * @return whether it has ended (false also when no probe runs)
     * @throws InterruptedException when interrupted
     */
    public boolean awaitPreflight(Duration timeout) throws InterruptedException {
        StartChecks started = checks;
        return started != null && started.awaitProbe(timeout);
    }

    /**
     * Starts a session whose requests after the first wait for the pacer's slots (a requests-per-second limit).
     *
     * @param session the recording
     * @param listener receives the results; null: take them with SessionHandle.awaitNext
     * @param pacer the pacer, or null for none
     * @return the session's handle
     */
    public SessionHandle startSession(RecordedSession session, ExchangeListener listener, RequestPacer pacer) {
        return startSession(session, listener, pacer, null);
    }

    /**
     * Starts a session whose requests wait for the pacer's slots and for a gate (the recorded causal order).
     *
     * @param session the recording
     * @param listener receives the results; null: take them with SessionHandle.awaitNext
     * @param pacer the pacer, or null for none
     * @param gate the gate of its exchanges, or null for none
     * @return the session's handle
     */
    public SessionHandle startSession(RecordedSession session, ExchangeListener listener, RequestPacer pacer,
            ExchangeGate gate) {
        return replayer.startSession(session, targetOf(session), listener, pacer, gate);
    }

    /** Returns the agent clock (offset estimate, capture time mapping), or null without an agent. */
    public AgentClock agentClock() {
        return agent != null ? agent.clock() : null;
    }

    /** Returns the link to the agent (its state, reconnections, drops), or null without an agent. */
    public AgentLink agentLink() {
        return agent;
    }

    /** Tells whether the runtime was stopped: whether it was. */
    public boolean isStopped() {
        return stopping;
    }

    private void stop() {
        stopping = true;
        StartChecks started = checks;
        if (started != null) {
            started.stopping();
        }
        replayer.stop(STOP_TIMEOUT);
        if (replayer instanceof ReplayEngine engine) {
            StartPacing.logEnd(settings, engine.stats());
            if (engine.firstLoopError() != null) {
                LOG.error("replay engine: {} unexpected error(s) in its event loop (a bug, please report it with this "
                    + "log); the sessions went on; the first:", engine.stats().loopErrors(), engine.firstLoopError());
            }
        }
        if (agent != null) {
            agent.close();
        }
        if (transport != null) {
            transport.close();
        }
        if (replayer instanceof KernelReplayer kernel) {
            KernelTransport.stopped(kernel, limits);
        }
    }

    private static ReplayRuntime start(ReplaySettings settings, TransportFactory factory, boolean preflight)
            throws ReplayRuntimeException {
        if (settings.transport().kernel()) {
            KernelTransport.Started kernel = KernelTransport.start(settings);
            kernel.replayer().responseFraming(HttpResponseFraming.INSTANCE);
            return new ReplayRuntime(settings, kernel.replayer(), null, null, kernel.limits(), null);
        }
        ReplayTargets targets = ReplayTargets.resolve(settings.target(), settings.targetPort(), settings.targetMap());
        PathMtu hop = firstHop(settings, targets);
        EngineConfig config = engineConfig(settings, targets, hop);
        Transport transport;
        try {
            transport = factory.open(targets.addresses());
        } catch (ReplayRuntimeException e) {
            throw preflight ? StartChecks.transportFailed(settings.transport(), e) : e;
        }
        StartPacing.logStart(config);
        AgentClock clock = settings.agent().isBlank() ? null : AgentClock.system();
        ReplayEngine engine = ReplayEngine.start(config, transport, clock != null ? clock : WireClock.ENGINE)
            .responseFraming(HttpResponseFraming.INSTANCE);
        AgentLink agent = null;
        try {
            EngineFeed feed = clock == null ? null : new EngineFeed(engine, clock);
            ProbeTap tap = new ProbeTap(feed);
            try {
                agent = clock == null ? null : connectAgent(settings, config, engine, tap, clock);
            } catch (ReplayRuntimeException e) {
                throw preflight ? StartChecks.agentFailed(settings, e) : e;
            }
            ReplayRuntime runtime = new ReplayRuntime(settings, engine, transport, agent, null, targets);
            if (preflight) {
                StartChecks started = new StartChecks(settings, config.clientAddresses(),
                    config.target().getAddress().length == 16, hop, transport,
                    agent == null ? null : agent.client(), tap);
                started.quick(config.target());
                runtime.checks = started;
            }
            return runtime;
        } catch (ReplayRuntimeException | RuntimeException e) {
            if (agent != null) {
                agent.close();
            }
            engine.stop(STOP_TIMEOUT);
            transport.close();
            throw e;
        }
    }

    /** Returns the first hop towards the target (the datalink transport's interface), or null when unknown. */
    private static PathMtu firstHop(ReplaySettings settings, ReplayTargets targets) {
        TransportSpec transport = settings.transport();
        if (transport.datalink()) {
            return PathMtu.ofInterface(transport.interfaceName());
        }
        return PathMtu.toward(targets.address(false), Math.max(1, settings.targetPort()));
    }

    /** Connects the agent link: {@code listener} takes what the agent captures (the engine's feed, tapped). */
    private static AgentLink connectAgent(ReplaySettings settings, EngineConfig config, ReplayEngine engine,
            AgentListener listener, AgentClock clock) throws ReplayRuntimeException {
        AgentClientConfig agentConfig = AgentClientConfig.of(agentAddress(settings.agent()), token(settings),
            "jmeter-" + ProcessHandle.current().pid());
        try {
            return AgentLink.open(agentConfig,
                config.clientAddresses().cidrs().stream().map(AddressRange::parse).toList(), clock, listener, engine);
        } catch (AgentClientException e) {
            throw new ReplayRuntimeException(e.getMessage(), e);
        }
    }

    static EngineConfig engineConfig(ReplaySettings settings, ReplayTargets targets, PathMtu hop)
            throws ReplayRuntimeException {
        try {
            ClientAddresses clients = ClientAddresses.parse(settings.clientAddresses(), targets.addresses(),
                AddressAllocation.IP_FIRST, System.nanoTime());
            targets.check(clients);
            return replayConfig(EngineConfig.builder(clients).pathMtu(hop == null ? PathMtu.ENGINE_MTU
                : hop.engineMtu()), settings, targets.primary(clients));
        } catch (IllegalArgumentException e) {
            throw new ReplayRuntimeException(e.getMessage(), e);
        }
    }

    /** Sets what every replayer takes from the settings (target, think times, timeouts, capture, pacing). */
    static EngineConfig replayConfig(EngineConfig.Builder builder, ReplaySettings settings, InetAddress target)
            throws ReplayRuntimeException {
        try {
            builder.target(target, settings.targetPort())
                .speedFactor(settings.speedFactor())
                .connect(settings.connectTimeout(), 3)
                .response(settings.responseTimeout(), Duration.ofMillis(300))
                .closing(settings.idleTimeout(), Duration.ofSeconds(5))
                .responseCaptureBytes(settings.responseBytes())
                .comet(settings.comet());
            if (settings.startRate() > 0) {
                builder.pacing(settings.startRate(), 10_000);
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new ReplayRuntimeException(e.getMessage(), e);
        }
    }

    /** Resolves the target host for kernel sockets: IPv4 first, else IPv6. */
    static InetAddress targetAddress(String target) throws ReplayRuntimeException {
        return ReplayTargets.resolve(target, 0, TargetMap.EMPTY).address(false);
    }

    /**
     * Resolves the target host: IPv4 first, else IPv6 when allowed (the pre-flight probe is IPv4 only).
     *
     * @param target the host
     * @param ipv6Allowed whether an IPv6-only target is returned
     * @return the address
     * @throws ReplayRuntimeException when empty, unknown, or IPv6 only where IPv4 is needed
     */
    static InetAddress targetAddress(String target, boolean ipv6Allowed) throws ReplayRuntimeException {
        InetAddress address = targetAddress(target);
        if (!ipv6Allowed && address.getAddress().length == 16) {
            throw new ReplayRuntimeException("target host: " + target + " has no IPv4 address (expected: an IPv4 "
                + "target for the pre-flight SYN probe, which is IPv4 only; the replay itself takes IPv6 targets)",
                null);
        }
        return address;
    }

    /** Parses the agent's {@code host[:port]}: an IPv4 address, a name, an IPv6 address, or {@code [IPv6]:port}. */
    static InetSocketAddress agentAddress(String agent) throws ReplayRuntimeException {
        String text = agent.trim();
        String host;
        String portText = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            String rest = close < 0 ? "?" : text.substring(close + 1);
            host = close < 0 || !rest.isEmpty() && !rest.startsWith(":") ? "" : text.substring(1, close);
            portText = rest.startsWith(":") ? rest.substring(1) : null;
        } else if (text.indexOf(':') != text.lastIndexOf(':')) {
            host = text; // an IPv6 address without a port
        } else {
            int colon = text.indexOf(':');
            host = colon < 0 ? text : text.substring(0, colon);
            portText = colon < 0 ? null : text.substring(colon + 1);
        }
        int port = AgentClientConfig.DEFAULT_PORT;
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new ReplayRuntimeException("agent address: '" + agent + "' (expected: host[:port], e.g. "
                + "198.19.3.3:" + AgentClientConfig.DEFAULT_PORT + " or [2001:2:0:3::3]:"
                + AgentClientConfig.DEFAULT_PORT + ")", null);
        }
        return new InetSocketAddress(host, port);
    }

    private static String token(ReplaySettings settings) throws ReplayRuntimeException {
        return readToken(settings.tokenFile());
    }

    /** Reads the agent's shared secret from its token file (surrounding whitespace removed). */
    static String readToken(Path tokenFile) throws ReplayRuntimeException {
        if (tokenFile == null) {
            throw new ReplayRuntimeException("agent token file: not set (expected: the file holding the agent's "
                + "shared secret, as given to the agent with --token-file)", null);
        }
        try {
            String token = Files.readString(tokenFile).strip();
            if (token.isEmpty()) {
                throw new ReplayRuntimeException("agent token file " + tokenFile + ": empty (expected: "
                    + "the agent's shared secret, 1..256 bytes)", null);
            }
            return token;
        } catch (IOException e) {
            throw new ReplayRuntimeException("agent token file " + tokenFile + ": cannot read: " + e
                + " (expected: a readable file; check the path and permissions)", e);
        }
    }
}
