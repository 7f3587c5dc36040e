package io.pcapreplay.net;

import io.pcapreplay.tcp.EngineConfig;
import io.pcapreplay.tcp.KernelLimits;
import io.pcapreplay.tcp.KernelReplayer;
import io.pcapreplay.tcp.KernelStats;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the {@code kernel} transport for a {@link ReplayRuntime}: a {@link KernelReplayer} with the settings'
 * target, timeouts and pacing, bound to the transport's local addresses (each checked to be on an interface here).
 * It needs no agent, token, client addresses or root: those fields are ignored with one INFO line. At start it logs
 * how many concurrent users the host can hold ({@link KernelLimits}); the first session that fails for lack of a
 * port or descriptor is warned about with the numbers, and the count of such failures is logged at the end.
 */
final class KernelTransport {

    /** Selector loops (threads): one per core, at most two; the kernel does the TCP work. */
    static final int LOOPS = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    private static final Logger LOG = LoggerFactory.getLogger(KernelTransport.class);

    /**
     * A started replayer and the limits measured at its start.
     *
     * @param replayer the running replayer
     * @param limits what bounds it on this host
     */
    record Started(KernelReplayer replayer, KernelLimits limits) {
    }

    private KernelTransport() {
    }

    /**
     * Starts the replayer.
     *
     * @param settings the settings (transport kernel)
     * @return the running replayer and its limits
     * @throws ReplayRuntimeException when the target, a local address or the settings are wrong
     */
    static Started start(ReplaySettings settings) throws ReplayRuntimeException {
        InetAddress target = ReplayRuntime.targetAddress(settings.target());
        EngineConfig config = ReplayRuntime.replayConfig(EngineConfig.builder(), settings, target);
        List<InetAddress> local = settings.transport().localAddresses();
        for (InetAddress address : local) {
            checkLocal(address);
        }
        logIgnored(settings);
        KernelLimits limits = limits(settings);
        LOG.info("{}", limits.describe());
        try {
            KernelReplayer replayer = KernelReplayer.start(config, local, LOOPS, message -> LOG.warn("transport "
                + "kernel: a session failed for lack of a local resource (LOCAL_LIMIT; every later one is counted): "
                + "{}. {}", message, limits(settings).describe()));
            return new Started(replayer, limits);
        } catch (IOException e) {
            throw new ReplayRuntimeException("transport kernel: cannot open a selector: " + e.getMessage()
                + " (expected: a free file descriptor)", e);
        }
    }

    /** Returns what bounds the transport of these settings on this host, now. */
    static KernelLimits limits(ReplaySettings settings) {
        Set<Object> targets = new HashSet<>();
        targets.add(settings.target().trim() + ":" + settings.targetPort());
        for (InetSocketAddress mapped : settings.targetMap().targets().values()) {
            targets.add(mapped);
        }
        return KernelLimits.detect(settings.transport().localAddresses().size(), targets.size());
    }

    /** Logs, once the replayer stopped, how many sessions failed for a local limit. */
    static void stopped(KernelReplayer replayer, KernelLimits limits) {
        KernelStats stats = replayer.stats();
        if (stats.localLimits() > 0) {
            LOG.warn("transport kernel: {} of {} sessions failed for lack of a local port, file descriptor or "
                + "socket buffer (LOCAL_LIMIT). {}", stats.localLimits(), stats.started(), limits.describe());
        }
        LOG.info("transport kernel stopped: {}", stats);
    }

    private static void checkLocal(InetAddress address) throws ReplayRuntimeException {
        try {
            if (NetworkInterface.getByInetAddress(address) != null) {
                return;
            }
        } catch (SocketException e) {
            throw new ReplayRuntimeException("transport kernel: cannot list this host's interfaces: "
                + e.getMessage(), e);
        }
        throw new ReplayRuntimeException("transport kernel: local address " + address.getHostAddress()
            + " is not on any interface of this host (expected: addresses of this host, see 'ip -br address')", null);
    }

    private static void logIgnored(ReplaySettings settings) {
        List<String> ignored = new ArrayList<>();
        if (!settings.agent().isBlank()) {
            ignored.add("agent '" + settings.agent() + "'");
        }
        if (settings.tokenFile() != null) {
            ignored.add("token file '" + settings.tokenFile() + "'");
        }
        if (!settings.clientAddresses().isBlank()) {
            ignored.add("client addresses '" + settings.clientAddresses() + "'");
        }
        List<InetAddress> local = settings.transport().localAddresses();
        if (!ignored.isEmpty()) {
            LOG.info("transport kernel: {} not used: sessions come from this host's own address{} over kernel "
                + "sockets, the answers come back on them", String.join(", ", ignored),
                local.isEmpty() ? "" : "es " + local.stream().map(InetAddress::getHostAddress).toList());
        }
    }
}
