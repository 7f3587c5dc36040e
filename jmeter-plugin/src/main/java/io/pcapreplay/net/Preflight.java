package io.pcapreplay.net;

import io.pcapreplay.protocol.AddressRange;
import io.pcapreplay.tcp.AddressAllocation;
import io.pcapreplay.tcp.ClientAddressPool;
import io.pcapreplay.tcp.ClientAddresses;
import io.pcapreplay.tcp.KernelLimits;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pre-flight checks of a replay's three roles, in the order a person fixes them: {@code raw socket} (the
 * permission to send), {@code agent} (reachable, protocol version, token), {@code assistant} (the agent's host does
 * not forward; what it captures), {@code target} (this host's own TCP connect), {@code probe} (one SYN from a fake
 * client, its SYN-ACK back through the agent), {@code conntrack} (this host's connection tracking) and {@code mtu};
 * for the kernel transport {@code raw socket}, {@code target} and {@code kernel limits}. {@link #run} is the
 * {@code doctor} command (its own transport and agent connection); {@link StartChecks} runs them at a replay's start
 * with the replay's own.
 */
public final class Preflight {

    static final String KERNEL_LIMITS = "kernel limits";
    private static final Logger LOG = LoggerFactory.getLogger(Preflight.class);
    private static final Duration AGENT_TIMEOUT = Duration.ofSeconds(3);

    /** The checks, in the order they are reported. */
    private enum Step {
        RAW_SOCKET, AGENT, ASSISTANT, TARGET, PROBE, CONNTRACK, MTU, KERNEL_LIMITS
    }

    private final Map<Step, CheckResult> results = new EnumMap<>(Step.class);

    private Preflight() {
    }

    /**
     * Runs every check for these settings: opens the transport and an agent connection of its own, registers the
     * probe's one address, and closes everything again.
     *
     * @param settings what to check
     * @return the results, in order
     */
    public static List<CheckResult> run(PreflightSettings settings) {
        Preflight preflight = new Preflight();
        if (settings.transport().kernel()) {
            preflight.kernel(settings);
        } else {
            preflight.packets(settings);
        }
        return preflight.ordered();
    }

    private void kernel(PreflightSettings settings) {
        results.put(Step.RAW_SOCKET, RawSocketCheck.check(settings.transport()));
        List<InetAddress> local = settings.transport().localAddresses();
        KernelLimits limits = KernelLimits.detect(local.size(), 1);
        results.put(Step.KERNEL_LIMITS, limits.openFilesSoft() >= 0 && limits.openFilesSoft() < limits.openFilesHard()
            ? CheckResult.warn(KERNEL_LIMITS, limits.describe(), "raise the open-files limit to the hard one before "
                + "starting JMeter: ulimit -n " + limits.openFilesHard())
            : CheckResult.ok(KERNEL_LIMITS, limits.describe()));
        if (!settings.agent().isBlank()) {
            results.put(Step.AGENT, CheckResult.skip(AgentCheck.AGENT, "not used by transport kernel"));
        }
        try {
            InetAddress target = ReplayRuntime.targetAddress(settings.target(), true);
            results.put(Step.TARGET, TargetCheck.check(target, settings.targetPort(), local.isEmpty() ? null
                : local.get(0), settings.probeTimeout(), CheckStatus.FAIL));
        } catch (ReplayRuntimeException e) {
            results.put(Step.TARGET, CheckResult.fail(TargetCheck.NAME, e.getMessage()));
        }
    }

    private void packets(PreflightSettings settings) {
        TransportSpec transport = settings.transport();
        results.put(Step.RAW_SOCKET, RawSocketCheck.check(transport));
        Inet4Address target;
        ClientAddressPool pool;
        try {
            target = (Inet4Address) ReplayRuntime.targetAddress(settings.target(), false);
        } catch (ReplayRuntimeException e) {
            results.put(Step.TARGET, CheckResult.fail(TargetCheck.NAME, e.getMessage()));
            return;
        }
        try {
            pool = ClientAddresses.parse(settings.clientAddresses(), List.of(target), AddressAllocation.IP_FIRST,
                System.nanoTime()).pool(false); // the probe is IPv4: the IPv4 ranges of a mixed list
        } catch (IllegalArgumentException e) {
            results.put(Step.PROBE, CheckResult.fail(ProbeCheck.NAME, e.getMessage(), "give the sampler's client "
                + "addresses: --client-ips '198.18.1.*'"));
            return;
        }
        if (pool == null && ClientAddresses.isOriginal(settings.clientAddresses())) {
            results.put(Step.PROBE, CheckResult.skip(ProbeCheck.NAME, "client addresses '"
                + settings.clientAddresses() + "': recorded ones, none to probe from"));
            return;
        }
        if (pool == null) {
            results.put(Step.PROBE, CheckResult.skip(ProbeCheck.NAME, "IPv6: the probe is IPv4 only (client "
                + "addresses '" + settings.clientAddresses() + "' have no IPv4 range)"));
            return;
        }
        results.put(Step.TARGET, TargetCheck.check(target, settings.targetPort(), null, settings.probeTimeout(),
            CheckStatus.WARN));
        PathMtu hop = transport.datalink() ? PathMtu.ofInterface(transport.interfaceName())
            : PathMtu.toward(target, settings.targetPort());
        Conntrack conntrack = new Conntrack();
        Conntrack.State conntrackState = conntrack.read();
        results.put(Step.CONNTRACK, Conntrack.check(transport, conntrackState, FakeClientRanges.of(pool)));
        ProbeTap tap = new ProbeTap(null);
        AgentClient agent = connect(settings, tap);
        SynProbe.Result probe = null;
        Map<String, String> facts = null;
        try {
            if (agent != null) {
                probe = probe(settings, pool, target, hop, tap, agent, conntrack);
                facts = assistant(agent);
            }
        } finally {
            if (agent != null) {
                agent.close();
            }
        }
        results.putIfAbsent(Step.ASSISTANT, CheckResult.skip(AgentCheck.ASSISTANT, "needs the agent (see agent)"));
        results.putIfAbsent(Step.PROBE, CheckResult.skip(ProbeCheck.NAME, "needs the agent (see agent)"));
        if (probe != null) {
            results.put(Step.PROBE, ProbeCheck.of(probe, target, settings.targetPort(), results.get(Step.TARGET),
                facts, FakeClientRanges.of(pool), settings.probeTimeout()));
            results.put(Step.CONNTRACK, Conntrack.afterProbe(transport, conntrackState, probe.tracked(),
                probe.ackFailure(), FakeClientRanges.of(pool)));
        }
        results.put(Step.MTU, PathMtu.check(hop, target, probe == null ? -1 : probe.targetMss(),
            settings.recordedMss()));
    }

    private AgentClient connect(PreflightSettings settings, ProbeTap tap) {
        if (settings.agent().isBlank()) {
            results.put(Step.AGENT, CheckResult.fail(AgentCheck.AGENT, "not given (expected: the intercept agent on "
                + "the assistant, host[:port]; without it no replayed session gets an answer)",
                "give it: --agent HOST[:PORT] (and --token-file FILE)"));
            return null;
        }
        InetSocketAddress address;
        AgentClientConfig config;
        try {
            address = ReplayRuntime.agentAddress(settings.agent());
            config = new AgentClientConfig(address, ReplayRuntime.readToken(settings.tokenFile()), "doctor-"
                + ProcessHandle.current().pid(), 0, AGENT_TIMEOUT, AGENT_TIMEOUT);
        } catch (ReplayRuntimeException e) {
            results.put(Step.AGENT, AgentCheck.badSetting(e.getMessage()));
            return null;
        }
        try {
            AgentClient agent = AgentClient.connect(config, tap);
            results.put(Step.AGENT, AgentCheck.connected(address, agent.accept()));
            return agent;
        } catch (AgentClientException e) {
            results.put(Step.AGENT, AgentCheck.failed(address, e));
            return null;
        }
    }

    private SynProbe.Result probe(PreflightSettings settings, ClientAddressPool pool, Inet4Address target,
            PathMtu hop, ProbeTap tap, AgentClient agent, Conntrack conntrack) {
        if (results.get(Step.RAW_SOCKET).failed()) {
            results.put(Step.PROBE, CheckResult.skip(ProbeCheck.NAME, "no permission to send (see raw socket)"));
            return null;
        }
        if (pool.ipv6()) {
            results.put(Step.PROBE, CheckResult.skip(ProbeCheck.NAME, "IPv6 fake clients: the probe is IPv4 only"));
            return null;
        }
        Inet4Address client = probeAddress(pool);
        try {
            agent.register(List.of(AddressRange.parse(client.getHostAddress() + "/32")));
        } catch (AgentClientException e) {
            results.put(Step.PROBE, CheckResult.warn(ProbeCheck.NAME, "not run: the agent did not give this check the "
                + "address " + client.getHostAddress() + ": " + e.getMessage(), "a replay running now holds the "
                + "range? run this check with other --client-ips, or when it ends"));
            return null;
        }
        ReplayRuntime.Transport transport;
        try {
            transport = settings.transport().datalink()
                ? PacketTransports.datalink(settings.transport(), List.of(target))
                : PacketTransports.rawSocket(true, false);
        } catch (ReplayRuntimeException e) {
            results.put(Step.PROBE, CheckResult.skip(ProbeCheck.NAME, "cannot send: " + e.getMessage()));
            return null;
        }
        try {
            return new SynProbe(transport, tap, settings.transport().datalink() ? null : conntrack).run(client,
                SynProbe.randomPort(), target, settings.targetPort(), hop == null ? 1460 : hop.engineMss(),
                settings.probeTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            results.put(Step.PROBE, CheckResult.skip(ProbeCheck.NAME, "interrupted"));
            return null;
        } finally {
            transport.close();
        }
    }

    private Map<String, String> assistant(AgentClient agent) {
        try {
            Map<String, String> facts = agent.hostReport();
            results.put(Step.ASSISTANT, AgentCheck.assistant(facts));
            return facts;
        } catch (AgentClientException e) {
            results.put(Step.ASSISTANT, AgentCheck.assistantUnknown(e.getMessage()));
            return null;
        }
    }

    static Inet4Address probeAddress(ClientAddressPool pool) {
        long index = ThreadLocalRandom.current().nextLong(pool.addressCount());
        return (Inet4Address) pool.address(index);
    }

    private List<CheckResult> ordered() {
        return new ArrayList<>(results.values());
    }

    /** Tells whether any check failed: whether one did. */
    public static boolean anyFailed(List<CheckResult> checks) {
        return checks.stream().anyMatch(CheckResult::failed);
    }

    /** Logs each result: INFO when OK or skipped, WARN, ERROR when failed. */
    static void log(List<CheckResult> checks) {
        for (CheckResult check : checks) {
            switch (check.status()) {
                case OK, SKIP -> LOG.info("pre-flight {}", check.oneLine());
                case WARN -> LOG.warn("pre-flight {}", check.oneLine());
                case FAIL -> LOG.error("pre-flight {}", check.oneLine());
            }
        }
    }

}
