package io.pcapreplay.lab;

/**
 * A tc netem qdisc on one interface of a lab host ({@link Lab#netem}); {@link #remove()} takes it away again (it
 * also goes with the lab's namespaces).
 */
public final class Netem implements AutoCloseable {
    private final LabHost host;
    private final String interfaceName;
    private final String parameters;
    private boolean removed;

    Netem(LabHost host, String interfaceName, String parameters) {
        this.host = host;
        this.interfaceName = interfaceName;
        this.parameters = parameters;
    }

    public LabHost host() {
        return host;
    }

    public String interfaceName() {
        return interfaceName;
    }

    /** The netem parameters, e.g. "loss 5% delay 5ms reorder 25%". */
    public String parameters() {
        return parameters;
    }

    /** The output of {@code tc qdisc show dev <interface>} in the host. */
    public String show() {
        return host.exec(Lab.COMMAND_TIMEOUT, "tc", "qdisc", "show", "dev", interfaceName).orThrow().stdout();
    }

    /** Removes the qdisc (the interface gets its default qdisc back). Safe to call twice. */
    public synchronized void remove() {
        if (removed) {
            return;
        }
        removed = true;
        if (!host.lab().isClosed()) {
            host.exec(Lab.COMMAND_TIMEOUT, "tc", "qdisc", "del", "dev", interfaceName, "root").orThrow();
        }
    }

    @Override
    public void close() {
        remove();
    }
}
