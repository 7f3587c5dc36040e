package io.pcapreplay.net;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the MAC address the datalink transport sends its frames to when the transport names none
 * ({@code datalink IFACE}): the kernel's route to each target through the interface ({@code ip route get TARGET oif
 * IFACE}: the gateway, or the target itself on the interface's network), then that neighbour's link-layer address
 * ({@code ip neigh show NEIGHBOUR dev IFACE}). A neighbour not in the table yet is made to resolve with one empty UDP
 * datagram to its discard port (9), then looked up again until the timeout. Every target must have the same next hop:
 * the transport sends all frames to one MAC.
 *
 * <p>Runs {@code ip} (iproute2) in the network namespace of the calling thread.
 */
final class NextHop {

    /** How long a neighbour may take to resolve. */
    static final Duration RESOLVE_TIMEOUT = Duration.ofSeconds(3);

    private static final Logger LOG = LoggerFactory.getLogger(NextHop.class);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 50;
    private static final int DISCARD_PORT = 9;
    private static final Pattern VIA = Pattern.compile("\\bvia\\s+(?:inet6?\\s+)?(\\S+)");
    private static final Pattern LLADDR = Pattern.compile(
        "\\blladdr\\s+([0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5})\\b(.*)");

    private NextHop() {
    }

    /**
     * Returns the MAC of the next hop towards the targets through the interface.
     *
     * @param interfaceName the datalink interface
     * @param targets the targets' addresses (at least one)
     * @param timeout how long a neighbour may take to resolve
     * @return the MAC, e.g. "02:00:00:00:00:01"
     * @throws IOException naming the interface and the target when there is no route through the interface, the
     *         neighbour does not resolve, or the targets have different next hops
     */
    static String resolve(String interfaceName, List<InetAddress> targets, Duration timeout) throws IOException {
        if (targets.isEmpty()) {
            throw new IOException("datalink " + interfaceName + ": no target to find the next hop of (expected: the "
                + "target's address)");
        }
        String mac = null;
        InetAddress first = null;
        for (InetAddress target : targets) {
            InetAddress neighbour = neighbour(interfaceName, target);
            String found = mac(interfaceName, neighbour, timeout);
            LOG.info("datalink {}: frames to {} go to the next hop {} ({}), from the neighbour table", interfaceName,
                target.getHostAddress(), found, neighbour.getHostAddress());
            if (mac != null && !mac.equals(found)) {
                throw new IOException("datalink " + interfaceName + ": targets " + first.getHostAddress() + " and "
                    + target.getHostAddress() + " have different next hops, " + mac + " and " + found
                    + " (expected: one next hop for every target; or give it: datalink IFACE NEXT_HOP_MAC)");
            }
            mac = found;
            first = first == null ? target : first;
        }
        return mac;
    }

    /** The gateway towards the target through the interface, or the target itself when it is on-link. */
    private static InetAddress neighbour(String interfaceName, InetAddress target) throws IOException {
        String address = target.getHostAddress();
        String route = run(interfaceName, "no route to " + address + " through " + interfaceName, "ip",
            target instanceof Inet6Address ? "-6" : "-4", "route", "get", address, "oif", interfaceName);
        String via = gateway(route);
        if (via == null) {
            return target;
        }
        InetAddress gateway = InetAddress.getByName(via); // a literal: no name lookup
        if (gateway instanceof Inet6Address six && six.isLinkLocalAddress()) {
            NetworkInterface scope = NetworkInterface.getByName(interfaceName);
            return scope == null ? gateway : Inet6Address.getByAddress(null, gateway.getAddress(), scope);
        }
        return gateway;
    }

    private static String mac(String interfaceName, InetAddress neighbour, Duration timeout) throws IOException {
        String found = lookUp(interfaceName, neighbour);
        if (found != null) {
            return found;
        }
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.send(new DatagramPacket(new byte[0], 0, new InetSocketAddress(neighbour, DISCARD_PORT)));
        } catch (IOException e) {
            LOG.debug("datalink {}: datagram to {} to resolve it: {}", interfaceName, neighbour, e.toString());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (found == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("datalink " + interfaceName + ": interrupted while resolving "
                    + neighbour.getHostAddress(), e);
            }
            found = lookUp(interfaceName, neighbour);
        }
        if (found == null) {
            throw new IOException("datalink " + interfaceName + ": next hop " + neighbour.getHostAddress()
                + " not in the neighbour table after " + timeout.toMillis() + " ms (expected: a next hop that answers "
                + "ARP or neighbour discovery on " + interfaceName + "; or give its MAC: datalink IFACE NEXT_HOP_MAC)");
        }
        return found;
    }

    private static String lookUp(String interfaceName, InetAddress neighbour) throws IOException {
        String address = neighbour.getHostAddress();
        int scope = address.indexOf('%');
        return linkLayerAddress(run(interfaceName, "cannot read the neighbour table", "ip", "neigh", "show",
            scope < 0 ? address : address.substring(0, scope), "dev", interfaceName));
    }

    /**
     * The gateway of {@code ip route get}'s answer.
     *
     * @param route e.g. "10.0.0.5 via 10.0.0.1 dev eth0 src 10.0.0.2 uid 0"
     * @return the gateway, or null when the destination is on-link
     */
    static String gateway(String route) {
        Matcher via = VIA.matcher(route);
        return via.find() ? via.group(1) : null;
    }

    /**
     * The usable link-layer address in {@code ip neigh show}'s answer.
     *
     * @param neighbours e.g. "10.0.0.1 lladdr 02:00:00:00:00:01 REACHABLE"
     * @return the MAC in lower case, or null when none is known (no entry, INCOMPLETE or FAILED)
     */
    static String linkLayerAddress(String neighbours) {
        for (String line : neighbours.split("\n")) {
            Matcher lladdr = LLADDR.matcher(line);
            if (lladdr.find() && !lladdr.group(2).contains("FAILED")) {
                return lladdr.group(1).toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    private static String run(String interfaceName, String failure, String... command) throws IOException {
        List<String> words = List.of(command);
        Process process;
        try {
            process = new ProcessBuilder(words).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("datalink " + interfaceName + ": cannot run " + String.join(" ", words) + ": "
                + e.getMessage() + " (expected: iproute2's ip command, to find the next hop's MAC; or give it: "
                + "datalink IFACE NEXT_HOP_MAC)", e);
        }
        try {
            process.getOutputStream().close();
            // its answer is one or two lines, well within the pipe's buffer: read once it ended
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("datalink " + interfaceName + ": " + String.join(" ", words)
                    + " still running after " + COMMAND_TIMEOUT.toMillis() + " ms (expected: to answer at once)");
            }
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                throw new IOException("datalink " + interfaceName + ": " + failure + ": " + String.join(" ", words)
                    + " says '" + text + "' (expected: the target reachable through the interface; or give the "
                    + "next hop's MAC: datalink IFACE NEXT_HOP_MAC)");
            }
            return text;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("datalink " + interfaceName + ": interrupted while running "
                + String.join(" ", words), e);
        }
    }
}
