package io.pcapreplay.lab;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * redis-server in a lab host: no persistence ({@code --save '' --appendonly no}), bound to the host's link
 * addresses and 127.0.0.1, protected mode off (the namespace is private).
 */
public final class RedisServer implements AutoCloseable {
    private final LabProcess process;
    private final int port;
    private final List<InetAddress> addresses;

    private RedisServer(LabProcess process, int port, List<InetAddress> addresses) {
        this.process = process;
        this.port = port;
        this.addresses = List.copyOf(addresses);
    }

    static RedisServer start(LabHost host, int port, Duration timeout) {
        List<InetAddress> addresses = host.addresses();
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind"));
        for (InetAddress address : addresses) {
            command.add(address.getHostAddress());
        }
        command.add("127.0.0.1");
        command.addAll(List.of("--save", "", "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no",
                "--dir", host.newDirectory("redis").toString(), "--logfile", ""));
        LabProcess process = host.start(command.toArray(new String[0]));
        process.awaitPort(port, timeout);
        return new RedisServer(process, port, addresses);
    }

    public int port() {
        return port;
    }

    /** The addresses it listens on besides 127.0.0.1. */
    public List<InetAddress> addresses() {
        return addresses;
    }

    public LabProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.stop();
    }
}
