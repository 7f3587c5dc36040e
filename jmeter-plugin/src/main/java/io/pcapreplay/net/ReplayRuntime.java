package io.pcapreplay.net;

import io.pcapreplay.http.HttpResponseFraming;
import io.pcapreplay.protocol.AddressRange;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.protocol.CapturedPacket;
import io.pcapreplay.tcp.AddressAllocation;
import io.pcapreplay.tcp.ClientAddressPool;
import io.pcapreplay.tcp.EngineConfig;
import io.pcapreplay.tcp.ExchangeListener;
import io.pcapreplay.tcp.PacketSender;
import io.pcapreplay.tcp.ReplayEngine;
import io.pcapreplay.tcp.RequestPacer;
import io.pcapreplay.tcp.SessionHandle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One replay engine per JMeter process and settings, with what feeds it: the raw IP socket it sends through and the
 * agent client whose captured packets go to {@link ReplayEngine#deliver}. Shared by every thread group and thread
 * using equal {@link ReplaySettings}: {@link #acquire} counts references, {@link #release} of the last one stops it
 * (every open session is reset). {@link #stopAll()} stops every runtime at the end of a test. Losing the agent ends
 * the current exchange of every open session with AGENT_LOST.
 */
public final class ReplayRuntime {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final Map<ReplaySettings, ReplayRuntime> RUNTIMES = new HashMap<>();

    private final ReplaySettings settings;
    private final ReplayEngine engine;
    private final Transport transport;
    private final AgentClient agent;
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
         * @return an open transport
         * @throws ReplayRuntimeException when it cannot be opened
         */
        Transport open() throws ReplayRuntimeException;
    }

    private ReplayRuntime(ReplaySettings settings, ReplayEngine engine, Transport transport, AgentClient agent) {
        this.settings = settings;
        this.engine = engine;
        this.transport = transport;
        this.agent = agent;
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
        return acquire(settings, transport.datalink() ? () -> openDatalink(transport) : ReplayRuntime::openRawSocket);
    }

    /**
     * As {@link #acquire(ReplaySettings)} with another transport (tests).
     *
     * @param settings the settings
     * @param factory opens the transport when the runtime starts
     * @return the shared runtime
     * @throws ReplayRuntimeException when the transport, the agent or the settings fail
     */
    public static synchronized ReplayRuntime acquire(ReplaySettings settings, TransportFactory factory)
            throws ReplayRuntimeException {
        ReplayRuntime runtime = RUNTIMES.get(settings);
        if (runtime == null) {
            runtime = start(settings, factory);
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

    /** Returns the engine: the shared one. */
    public ReplayEngine engine() {
        return engine;
    }

    /** Returns the settings this runtime was made of. */
    public ReplaySettings settings() {
        return settings;
    }

    /**
     * Starts a session against its target: the one the target map names for its recorded port, else the runtime's.
     *
     * @param session the recording
     * @param listener receives the results on the engine's loop; null: take them with the handle
     * @return the session's handle
     * @throws IllegalArgumentException when the session cannot be replayed (see {@link ReplayEngine})
     */
    public SessionHandle startSession(RecordedSession session, ExchangeListener listener) {
        return engine.startSession(session, settings.targetMap().forPort(session.server().port()), listener);
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
        return engine.startSession(session, settings.targetMap().forPort(session.server().port()), listener, pacer);
    }

    /** Tells whether the runtime was stopped: whether it was. */
    public boolean isStopped() {
        return stopping;
    }

    private void stop() {
        stopping = true;
        engine.stop(STOP_TIMEOUT);
        if (agent != null) {
            agent.close();
        }
        transport.close();
    }

    private static ReplayRuntime start(ReplaySettings settings, TransportFactory factory)
            throws ReplayRuntimeException {
        EngineConfig config = engineConfig(settings);
        Transport transport = factory.open();
        ReplayEngine engine = ReplayEngine.start(config, transport).responseFraming(HttpResponseFraming.INSTANCE);
        ReplayRuntime[] self = new ReplayRuntime[1];
        try {
            AgentClient agent = settings.agent().isBlank() ? null : connectAgent(settings, config, engine, self);
            self[0] = new ReplayRuntime(settings, engine, transport, agent);
            return self[0];
        } catch (ReplayRuntimeException | RuntimeException e) {
            engine.stop(STOP_TIMEOUT);
            transport.close();
            throw e;
        }
    }

    private static AgentClient connectAgent(ReplaySettings settings, EngineConfig config, ReplayEngine engine,
            ReplayRuntime[] self) throws ReplayRuntimeException {
        AgentListener feed = new AgentListener() {
            @Override
            public void onPackets(List<CapturedPacket> packets) {
                for (CapturedPacket packet : packets) {
                    engine.deliver(packet.data(), 0, packet.data().length, packet.timestampNanos());
                }
            }

            @Override
            public void onClosed(String reason) {
                if (self[0] == null || !self[0].stopping) {
                    engine.agentLost(reason);
                }
            }
        };
        AgentClientConfig agentConfig = AgentClientConfig.of(agentAddress(settings.agent()), token(settings),
            "jmeter-" + ProcessHandle.current().pid());
        try {
            AgentClient agent = AgentClient.connect(agentConfig, feed);
            try {
                agent.register(config.clientPool().cidrs().stream().map(AddressRange::parse).toList());
            } catch (AgentClientException e) {
                agent.close();
                throw e;
            }
            return agent;
        } catch (AgentClientException e) {
            throw new ReplayRuntimeException(e.getMessage(), e);
        }
    }

    static EngineConfig engineConfig(ReplaySettings settings) throws ReplayRuntimeException {
        try {
            Inet4Address target = targetAddress(settings.target());
            List<InetAddress> targets = new ArrayList<>(List.of(target));
            settings.targetMap().targets().values().forEach(mapped -> targets.add(mapped.getAddress()));
            ClientAddressPool pool = ClientAddressPool.parse(settings.clientAddresses(), targets,
                AddressAllocation.IP_FIRST, System.nanoTime());
            EngineConfig.Builder builder = EngineConfig.builder(pool)
                .target(target, settings.targetPort())
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

    private static Inet4Address targetAddress(String target) throws ReplayRuntimeException {
        if (target.isBlank()) {
            throw new ReplayRuntimeException("target host: empty (expected: the IPv4 address or name of the server "
                + "under test)", null);
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(target.trim())) {
                if (address instanceof Inet4Address v4) {
                    return v4;
                }
            }
            throw new ReplayRuntimeException("target host: " + target + " has no IPv4 address (expected: IPv4; IPv6 "
                + "replay is not implemented)", null);
        } catch (UnknownHostException e) {
            throw new ReplayRuntimeException("target host: " + target + " is unknown (expected: an IPv4 address or "
                + "a resolvable name)", e);
        }
    }

    static InetSocketAddress agentAddress(String agent) throws ReplayRuntimeException {
        String text = agent.trim();
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? text : text.substring(0, colon);
        int port = AgentClientConfig.DEFAULT_PORT;
        if (colon >= 0) {
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new ReplayRuntimeException("agent address: '" + agent + "' (expected: host[:port], e.g. "
                + "198.19.3.3:" + AgentClientConfig.DEFAULT_PORT + ")", null);
        }
        return new InetSocketAddress(host, port);
    }

    private static String token(ReplaySettings settings) throws ReplayRuntimeException {
        if (settings.tokenFile() == null) {
            throw new ReplayRuntimeException("agent token file: not set (expected: the file holding the agent's "
                + "shared secret, as given to the agent with --token-file)", null);
        }
        try {
            String token = Files.readString(settings.tokenFile()).strip();
            if (token.isEmpty()) {
                throw new ReplayRuntimeException("agent token file " + settings.tokenFile() + ": empty (expected: "
                    + "the agent's shared secret, 1..256 bytes)", null);
            }
            return token;
        } catch (IOException e) {
            throw new ReplayRuntimeException("agent token file " + settings.tokenFile() + ": cannot read: " + e
                + " (expected: a readable file; check the path and permissions)", e);
        }
    }

    private static Transport openDatalink(TransportSpec spec) throws ReplayRuntimeException {
        DatalinkSender sender;
        try {
            sender = DatalinkSender.open(spec.interfaceName(), spec.sourceMac(), spec.nextHopMac());
        } catch (IOException e) {
            throw new ReplayRuntimeException(e.getMessage(), e);
        }
        return new Transport() {
            @Override
            public void send(byte[] packet, int offset, int length) {
                sender.send(packet, offset, length);
            }

            @Override
            public void close() {
                sender.close();
            }
        };
    }

    private static Transport openRawSocket() throws ReplayRuntimeException {
        RawIpSocket socket;
        try {
            socket = RawIpSocket.openIpv4();
        } catch (RawSocketException e) {
            throw new ReplayRuntimeException(e.getMessage(), e);
        }
        return new Transport() {
            @Override
            public void send(byte[] packet, int offset, int length) {
                try {
                    socket.send(packet, offset, length);
                } catch (RawSocketException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void close() {
                socket.close();
            }
        };
    }
}
