package io.pcapreplay.lab;

import io.pcapreplay.lab.target.EmbeddedTarget;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

/**
 * One host of a {@link Lab}: a network namespace with one veth interface per link. Runs commands and Java code
 * inside the namespace and starts servers and captures there; everything started is stopped with the lab.
 */
public final class LabHost {
    /** Timeout of {@link #call(Callable)}. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Lab lab;
    private final LabRole role;
    private final String namespace;
    private NamespaceThread thread;

    LabHost(Lab lab, LabRole role, String namespace) {
        this.lab = lab;
        this.role = role;
        this.namespace = namespace;
    }

    public Lab lab() {
        return lab;
    }

    public LabRole role() {
        return role;
    }

    /** The network namespace name (for {@code ip netns exec}). */
    public String namespace() {
        return namespace;
    }

    /** The IPv4 address of this host on a link. */
    public InetAddress ipv4(LabLink link) {
        return link.ipv4(role);
    }

    /** The IPv6 address of this host on a link. */
    public InetAddress ipv6(LabLink link) {
        return link.ipv6(role);
    }

    /** The IPv4 address of this host on its link to a peer. */
    public InetAddress ipv4To(LabRole peer) {
        return ipv4(LabLink.between(role, peer));
    }

    /** The IPv6 address of this host on its link to a peer. */
    public InetAddress ipv6To(LabRole peer) {
        return ipv6(LabLink.between(role, peer));
    }

    /** The name of this host's interface on a link. */
    public String interfaceName(LabLink link) {
        return LabNames.interfaceName(lab.id(), role, link.peer(role));
    }

    /** The name of this host's interface on its link to a peer. */
    public String interfaceTo(LabRole peer) {
        return interfaceName(LabLink.between(role, peer));
    }

    /** Every address of this host on its links, IPv4 first. */
    public List<InetAddress> addresses() {
        List<InetAddress> addresses = new ArrayList<>();
        for (LabLink link : LabLink.values()) {
            if (link.connects(role)) {
                addresses.add(ipv4(link));
            }
        }
        for (LabLink link : LabLink.values()) {
            if (link.connects(role)) {
                addresses.add(ipv6(link));
            }
        }
        return addresses;
    }

    /**
     * Runs a command in this namespace to its end.
     *
     * @throws LabException when it does not end within the timeout (it is killed then)
     */
    public ExecResult exec(Duration timeout, String... command) {
        return Processes.run(lab.workDir(), timeout, inNamespace(Arrays.asList(command)));
    }

    /** Starts a long-running command in this namespace; output goes to a file; stopped with the lab. */
    public LabProcess start(String... command) {
        List<String> full = inNamespace(Arrays.asList(command));
        Path output = lab.newFile(role.id() + "-" + Path.of(command[0]).getFileName(), ".log");
        try {
            Process process = Processes.builder(full).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            return lab.track(new LabProcess(this, process, output, full));
        } catch (IOException e) {
            throw new LabException("command " + String.join(" ", full) + " in " + namespace + ": cannot start: "
                    + e.getMessage() + " (expected: installed; see scripts/prerequisites.sh)", e);
        }
    }

    /**
     * Starts a Java main class in a new JVM in this namespace, with this JVM's class path.
     */
    public LabProcess startJava(String mainClass, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(Arrays.asList(arguments));
        return start(command.toArray(new String[0]));
    }

    /** Runs Java code on this host's namespace thread ({@link #CALL_TIMEOUT}); sockets it opens live here. */
    public <T> T call(Callable<T> task) {
        return call(CALL_TIMEOUT, task);
    }

    /** Runs Java code on this host's namespace thread and waits for its result at most {@code timeout}. */
    public <T> T call(Duration timeout, Callable<T> task) {
        return thread().call(timeout, task);
    }

    /** The executor of this host's long-lived namespace thread (one thread: keep tasks short). */
    public Executor executor() {
        return thread().executor();
    }

    /**
     * Starts tcpdump on an interface of this host ({@code -U --immediate-mode -s 0 -n}; or {@code any}) into a new
     * pcap file.
     *
     * @param interfaceName the interface, e.g. {@link #interfaceTo}
     * @param bpf a capture filter, empty for every packet
     */
    public LabCapture tcpdump(String interfaceName, String bpf) {
        Path file = lab.newFile(role.id() + "-" + interfaceName, ".pcap");
        List<String> command = new ArrayList<>(List.of("tcpdump", "-i", interfaceName, "-U", "--immediate-mode", "-s",
                "0", "-n", "-Z", "root", "-w", file.toString()));
        if (!bpf.isBlank()) {
            command.add(bpf);
        }
        return new LabCapture(start(command.toArray(new String[0])), file);
    }

    /** Starts nginx in this host on a port (all addresses); see {@link NginxServer}. */
    public NginxServer startNginx(int port) {
        return NginxServer.start(this, port, START_TIMEOUT);
    }

    /** Starts redis-server in this host on a port, bound to this host's addresses; see {@link RedisServer}. */
    public RedisServer startRedis(int port) {
        return RedisServer.start(this, port, START_TIMEOUT);
    }

    /**
     * Starts the embedded Java target in this JVM, listening in this namespace on all addresses (port 0: any free
     * port); closed with the lab.
     */
    public EmbeddedTarget startEmbeddedTarget(int httpPort, int echoPort) {
        EmbeddedTarget target = call(() -> EmbeddedTarget.start(new InetSocketAddress(httpPort),
                new InetSocketAddress(echoPort)));
        lab.closeAtEnd(target);
        return target;
    }

    /** A new empty directory in the lab's work directory. */
    Path newDirectory(String name) {
        try {
            return Files.createTempDirectory(lab.workDir(), role.id() + "-" + name + "-");
        } catch (IOException e) {
            throw new LabException("directory in " + lab.workDir() + ": cannot create: " + e.getMessage(), e);
        }
    }

    List<String> inNamespace(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        return full;
    }

    synchronized NamespaceThread thread() {
        if (thread == null) {
            thread = new NamespaceThread(namespace);
        }
        return thread;
    }

    synchronized void closeThread() {
        if (thread != null) {
            thread.close();
            thread = null;
        }
    }
}
