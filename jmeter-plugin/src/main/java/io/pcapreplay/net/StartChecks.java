package io.pcapreplay.net;

import io.pcapreplay.tcp.ClientAddressPool;
import io.pcapreplay.tcp.ClientAddresses;
import io.pcapreplay.tcp.PacketSender;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pre-flight checks of a {@link ReplayRuntime} of the engine's transports, with the replay's own socket and agent
 * connection, each logged as one line ({@link Preflight#log}). At start, the quick ones: {@code raw socket} (it
 * opened), {@code agent}, {@code assistant} (asked on a short connection of its own), {@code conntrack},
 * {@code mtu}. When the first session starts, once, beside it: the {@code probe} towards that session's target
 * and port, waiting at most {@link #PROBE_TIMEOUT} (a healthy setup answers in milliseconds), then {@code conntrack}
 * again with what the probe saw, and when nothing answered the {@code target} from this host's own address.
 */
final class StartChecks {

    /** Longest wait of the probe for the target's answer. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration TARGET_TIMEOUT = Duration.ofMillis(500);
    private static final Duration AGENT_TIMEOUT = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(StartChecks.class);

    private final ReplaySettings settings;
    /** The fake client addresses of the target's family; null with the recorded ones (no probe address). */
    private final ClientAddressPool pool;
    private final List<String> clientRanges;
    private final PathMtu hop;
    private final PacketSender transport;
    private final AgentClient agent;
    private final ProbeTap tap;
    private final Conntrack conntrack = new Conntrack();
    private final List<CheckResult> results = new ArrayList<>();
    private final AtomicBoolean probeClaimed = new AtomicBoolean();
    private final CountDownLatch probeDone = new CountDownLatch(1);
    private volatile InetAddress target;
    private volatile boolean stopped;
    private Conntrack.State conntrackState;
    private volatile Map<String, String> facts;

    StartChecks(ReplaySettings settings, ClientAddresses clients, boolean ipv6, PathMtu hop, PacketSender transport,
            AgentClient agent, ProbeTap tap) {
        this.settings = settings;
        this.pool = clients.pool(ipv6);
        this.clientRanges = pool != null ? FakeClientRanges.of(pool) : clients.cidrs();
        this.hop = hop;
        this.transport = transport;
        this.agent = agent;
        this.tap = tap;
    }

    /** Runs and logs the quick checks. */
    void quick(InetAddress replayTarget) {
        long start = System.nanoTime();
        target = replayTarget;
        TransportSpec spec = settings.transport();
        List<CheckResult> quick = new ArrayList<>();
        quick.add(RawSocketCheck.opened(spec, Privileges.current()));
        if (agent != null) {
            try {
                quick.add(AgentCheck.connected(ReplayRuntime.agentAddress(settings.agent()), agent.accept()));
            } catch (ReplayRuntimeException e) {
                quick.add(AgentCheck.badSetting(e.getMessage()));
            }
            quick.add(assistant());
        }
        conntrackState = conntrack.read();
        quick.add(Conntrack.check(spec, conntrackState, clientRanges));
        quick.add(PathMtu.check(hop, target, -1, -1));
        record(quick);
        LOG.info("pre-flight: {} checks at start in {} ms; the probe runs beside the first session",
            quick.size(), (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * The replay could not open its transport: the failure with the raw socket check's fixes (one message, which
     * JMeter logs once and writes in each user's failed sample).
     */
    static ReplayRuntimeException transportFailed(TransportSpec transport, ReplayRuntimeException failure) {
        return withFixes(failure, RawSocketCheck.failure(transport, Privileges.current(), failure.getMessage()));
    }

    /** The replay could not connect to the agent: the failure with the agent check's fixes. */
    static ReplayRuntimeException agentFailed(ReplaySettings settings, ReplayRuntimeException failure) {
        CheckResult check;
        try {
            check = failure.getCause() instanceof AgentClientException agentFailure
                ? AgentCheck.failed(ReplayRuntime.agentAddress(settings.agent()), agentFailure)
                : AgentCheck.badSetting(failure.getMessage());
        } catch (ReplayRuntimeException e) {
            check = AgentCheck.badSetting(e.getMessage());
        }
        return withFixes(failure, check);
    }

    private static ReplayRuntimeException withFixes(ReplayRuntimeException failure, CheckResult check) {
        if (check.fixes().isEmpty()) {
            return failure;
        }
        return new ReplayRuntimeException(failure.getMessage() + "; pre-flight " + check.status() + " " + check.name()
            + ", to fix: " + String.join("; ", check.fixes()), failure.getCause() != null ? failure.getCause()
            : failure);
    }

    /**
     * Asks the agent about its host on a connection of its own, closed at once: an agent of an older build, which
     * does not know HOST_QUERY, closes that connection, not the replay's.
     */
    private CheckResult assistant() {
        AgentClientConfig config;
        try {
            config = new AgentClientConfig(ReplayRuntime.agentAddress(settings.agent()),
                ReplayRuntime.readToken(settings.tokenFile()), "jmeter-" + ProcessHandle.current().pid()
                    + "-preflight", 0, AGENT_TIMEOUT, AGENT_TIMEOUT);
        } catch (ReplayRuntimeException e) {
            return AgentCheck.assistantUnknown(e.getMessage());
        }
        try (AgentClient query = AgentClient.connect(config, packets -> { })) {
            facts = query.hostReport();
            return AgentCheck.assistant(facts);
        } catch (AgentClientException e) {
            return AgentCheck.assistantUnknown(e.getMessage());
        }
    }

    /**
     * Starts the probe when the first session starts, on a thread of its own: it neither delays that session nor
     * shifts the test's schedule (start offsets, request pacing), and its result is logged within
     * {@link #PROBE_TIMEOUT} (plus {@code TARGET_TIMEOUT} when nothing answered). Later calls do nothing.
     *
     * @param mapped the session's target from the target map, or null for the runtime's
     * @param recordedPort the session's recorded server port
     */
    void beforeSession(InetSocketAddress mapped, int recordedPort) {
        if (probeClaimed.get() || !probeClaimed.compareAndSet(false, true)) {
            return;
        }
        InetAddress address = mapped != null ? mapped.getAddress() : target;
        int port = mapped != null && mapped.getPort() > 0 ? mapped.getPort()
            : settings.targetPort() > 0 ? settings.targetPort() : recordedPort;
        Thread thread = new Thread(() -> {
            try {
                List<CheckResult> checks = probe(address, port);
                if (!stopped) {
                    record(checks);
                }
            } finally {
                probeDone.countDown();
            }
        }, "pcap-replay-probe");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Waits for the probe's results (tests).
     *
     * @param timeout the longest wait
     * @return whether the probe has ended
     * @throws InterruptedException when interrupted
     */
    boolean awaitProbe(Duration timeout) throws InterruptedException {
        return probeDone.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The replay stops (its transport and agent close): a probe still running is not reported. */
    void stopping() {
        stopped = true;
    }

    private List<CheckResult> probe(InetAddress address, int port) {
        if (agent == null) {
            return List.of(CheckResult.skip(ProbeCheck.NAME, "no agent: nothing can answer"));
        }
        if (pool == null) {
            return List.of(CheckResult.skip(ProbeCheck.NAME, "client addresses '" + settings.clientAddresses()
                + "': recorded ones, none to probe from (the first sessions show whether answers come back)"));
        }
        if (pool.ipv6() || !(address instanceof Inet4Address target)) {
            return List.of(CheckResult.skip(ProbeCheck.NAME, "IPv6: the probe is IPv4 only"));
        }
        Duration timeout = settings.connectTimeout().compareTo(PROBE_TIMEOUT) < 0 ? settings.connectTimeout()
            : PROBE_TIMEOUT;
        SynProbe.Result probe;
        try {
            probe = new SynProbe(transport, tap, settings.transport().datalink() ? null : conntrack).run(
                Preflight.probeAddress(pool), SynProbe.randomPort(), target, port,
                hop == null ? PathMtu.ENGINE_MTU - 40 : hop.engineMss(), timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of(CheckResult.skip(ProbeCheck.NAME, "interrupted"));
        }
        CheckResult reach = probe.answer() == SynProbe.Answer.NONE
            ? TargetCheck.check(target, port, null, TARGET_TIMEOUT, CheckStatus.WARN) : null;
        List<CheckResult> checks = new ArrayList<>();
        if (reach != null) {
            checks.add(reach);
        }
        checks.add(ProbeCheck.of(probe, target, port, reach, facts, clientRanges, timeout));
        checks.add(Conntrack.afterProbe(settings.transport(), conntrackState, probe.tracked(), probe.ackFailure(),
            clientRanges));
        return checks;
    }

    private void record(List<CheckResult> checks) {
        Preflight.log(checks);
        synchronized (results) {
            results.addAll(checks);
        }
    }

    /** Returns every result logged so far, in order. */
    List<CheckResult> results() {
        synchronized (results) {
            return List.copyOf(results);
        }
    }
}
