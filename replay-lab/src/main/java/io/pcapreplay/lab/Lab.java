package io.pcapreplay.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A three-host network of Linux network namespaces joined by veth pairs, as in a tcpburn deployment (see
 * {@link LabLink} for the addresses). The target routes the fake client ranges ({@link #fakeClientRange()},
 * {@link #fakeClientRangeIpv6()}) via the assistant, with rp_filter off; the assistant does not forward, so it
 * silently drops what it captures. Made by {@link LabExtension} per test class, or by {@link #create()}.
 */
public final class Lab implements AutoCloseable {
    /** The fake client IPv4 range (RFC 2544 benchmarking range): routed from the target to the assistant. */
    public static final IpPrefix FAKE_CLIENT_IPV4 = new IpPrefix(LabLink.address(new byte[] {(byte) 198, 18, 0, 0}),
            15);
    /**
     * The fake client IPv4 addresses to use: 198.18.0.0/16. The other half of the routed range, 198.19.0.0/16, holds
     * the lab's link networks (the conventions put both in 198.18.0.0/15); their more specific connected routes win,
     * so a fake client there would not be routed to the assistant.
     */
    public static final IpPrefix FAKE_CLIENT_POOL_IPV4 = new IpPrefix(LabLink.address(new byte[] {
        (byte) 198, 18, 0, 0}), 16);
    /** The fake client IPv6 range: 2001:2:0:ff00::/56, inside the lab's 2001:2::/48, outside every link. */
    public static final IpPrefix FAKE_CLIENT_IPV6 = new IpPrefix(LabLink.address(new byte[] {
        0x20, 0x01, 0, 0x02, 0, 0, (byte) 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0}), 56);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final String id;
    private final Path workDir;
    private final Map<LabRole, LabHost> hosts = new EnumMap<>(LabRole.class);
    private final Set<LabProcess> processes = Collections.synchronizedSet(new LinkedHashSet<>());
    private final List<AutoCloseable> closeables = Collections.synchronizedList(new ArrayList<>());
    private final LabNetem netem;
    private boolean closed;

    private Lab(String id, Path workDir) {
        this.id = id;
        this.workDir = workDir;
        for (LabRole role : LabRole.values()) {
            hosts.put(role, new LabHost(this, role, LabNames.namespace(id, role)));
        }
        this.netem = new LabNetem(this);
    }

    /**
     * Builds a new lab (after removing leftovers of dead JVMs). Close it to remove it.
     *
     * @throws LabException when a step fails (what was made is removed again)
     */
    public static Lab create() {
        LabJanitor.removeStaleOnce();
        String id = LabNames.nextLabId();
        Path workDir;
        try {
            workDir = Files.createTempDirectory(id + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (IOException e) {
            throw new LabException("lab work directory in " + System.getProperty("java.io.tmpdir")
                    + ": cannot create: " + e.getMessage(), e);
        }
        Lab lab = new Lab(id, workDir);
        LabJanitor.register(lab);
        try {
            LabTopology.build(lab);
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    /** The lab id ({@code prl<pid>x<n>}), the prefix of its namespace and interface names. */
    public String id() {
        return id;
    }

    /** The lab's temporary directory (logs, captures, server configs); removed with the lab. */
    public Path workDir() {
        return workDir;
    }

    public LabHost client() {
        return host(LabRole.CLIENT);
    }

    public LabHost target() {
        return host(LabRole.TARGET);
    }

    public LabHost assistant() {
        return host(LabRole.ASSISTANT);
    }

    public LabHost host(LabRole role) {
        return hosts.get(role);
    }

    /** The fake client IPv4 range routed from the target to the assistant, 198.18.0.0/15. */
    public IpPrefix fakeClientRange() {
        return FAKE_CLIENT_IPV4;
    }

    /** The fake client IPv4 addresses to use, 198.18.0.0/16 (see {@link #FAKE_CLIENT_POOL_IPV4}). */
    public IpPrefix fakeClientPool() {
        return FAKE_CLIENT_POOL_IPV4;
    }

    /** The fake client IPv6 range, 2001:2:0:ff00::/56. */
    public IpPrefix fakeClientRangeIpv6() {
        return FAKE_CLIENT_IPV6;
    }

    /**
     * Applies tc netem to an interface of a host, e.g. {@code netem(lab.target(), iface, "delay 5ms loss 5%")}.
     *
     * @throws LabException when tc fails, or the kernel has no netem (see {@link #netemAvailable()})
     */
    public Netem netem(LabHost host, String interfaceName, String parameters) {
        return netem.apply(host, interfaceName, parameters);
    }

    /** Applies tc netem to a host's interface on a link; see {@link #netem(LabHost, String, String)}. */
    public Netem netem(LabHost host, LabLink link, String parameters) {
        return netem.apply(host, host.interfaceName(link), parameters);
    }

    /** True when the kernel supports the netem qdisc (module sch_netem). */
    public boolean netemAvailable() {
        return netem.available();
    }

    /**
     * Impairs a link without netem (nftables loss, reordering over a second, slower path), both directions, e.g.
     * {@code impair(LabLink.CLIENT_TARGET, Impairment.loss(5).reorder(25))}.
     *
     * @throws LabException when a command fails (nft missing: see {@link LabPrerequisites})
     */
    public LabImpairment impair(LabLink link, Impairment impairment) {
        return LabImpairment.apply(this, link, impairment);
    }

    /** Stops every process and server, removes the namespaces and the work directory. Safe to call twice. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        List<Throwable> problems = new ArrayList<>();
        List<AutoCloseable> toClose = new ArrayList<>(closeables);
        Collections.reverse(toClose);
        for (AutoCloseable closeable : toClose) {
            try {
                closeable.close();
            } catch (Exception e) {
                problems.add(e);
            }
        }
        List<LabProcess> running = new ArrayList<>(processes);
        Collections.reverse(running);
        for (LabProcess process : running) {
            Processes.stopTree(process.process().toHandle(), Duration.ofSeconds(2));
        }
        hosts.values().forEach(LabHost::closeThread);
        for (LabHost host : hosts.values()) {
            LabJanitor.removeNamespace(host.namespace(), problems);
        }
        if (!Boolean.getBoolean("lab.keep")) {
            LabJanitor.deleteTree(workDir);
        }
        LabJanitor.unregister(this);
        if (!problems.isEmpty()) {
            LabException failure = new LabException("lab " + id + ": " + problems.size()
                    + " problem(s) while closing (expected: none); first: " + problems.get(0).getMessage());
            problems.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    boolean isClosed() {
        synchronized (this) {
            return closed;
        }
    }

    /** Runs a command in the root namespace (ip netns add, ip link add), failing on a non-zero exit. */
    ExecResult runRoot(String... command) {
        return Processes.run(workDir, COMMAND_TIMEOUT, Arrays.asList(command)).orThrow();
    }

    LabProcess track(LabProcess process) {
        processes.add(process);
        return process;
    }

    void forget(LabProcess process) {
        processes.remove(process);
    }

    <T extends AutoCloseable> T closeAtEnd(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    Path newFile(String name, String suffix) {
        try {
            return Files.createTempFile(workDir, name + "-", suffix);
        } catch (IOException e) {
            throw new LabException("file in " + workDir + ": cannot create: " + e.getMessage(), e);
        }
    }
}
