package io.pcapreplay.lab;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@link Impairment} applied to a lab link ({@link Lab#impair}) with nftables, policy routing and tbf; see
 * {@link Impairment} for the mechanism. Its nftables counters tell what happened; {@link #remove()} takes it away
 * (it also goes with the lab's namespaces).
 *
 * <p>Per end host of the link: table {@code inet pcapreplay_impair<L>} (chain {@code reorder}, route hook output:
 * marks packets leaving on the link) and table {@code netdev pcapreplay_impair<L>} (chain {@code loss}, egress of
 * both of the host's interfaces on the link: a lost packet never reaches the peer, not even a packet capture there,
 * such as the intercept agent's); the slow path is veth {@code <interface>s}, route table and rule preference
 * {@code 7600 + L}, fwmark {@code 0x7600 + L}.
 */
public final class LabImpairment implements AutoCloseable {
    private static final Pattern PACKETS = Pattern.compile("packets (\\d+)");
    private final Lab lab;
    private final LabLink link;
    private final Impairment impairment;
    private boolean removed;

    private LabImpairment(Lab lab, LabLink link, Impairment impairment) {
        this.lab = lab;
        this.link = link;
        this.impairment = impairment;
    }

    static LabImpairment apply(Lab lab, LabLink link, Impairment impairment) {
        LabImpairment applied = new LabImpairment(lab, link, impairment);
        lab.closeAtEnd(applied);
        LabHost first = lab.host(link.first());
        LabHost second = lab.host(link.second());
        if (impairment.reorderPercent() > 0) {
            lab.runRoot("ip", "-n", first.namespace(), "link", "add", applied.slowInterface(first), "type", "veth",
                    "peer", "name", applied.slowInterface(second), "netns", second.namespace());
        }
        for (LabHost host : List.of(first, second)) {
            host.exec(Lab.COMMAND_TIMEOUT, "sh", "-c", applied.hostScript(host)).orThrow();
        }
        return applied;
    }

    public LabLink link() {
        return link;
    }

    public Impairment impairment() {
        return impairment;
    }

    /** TCP and UDP packets sent to this host over the link (before the loss), on both of the sender's interfaces. */
    public long arrived(LabRole receiver) {
        return counter(link.peer(checked(receiver)), "netdev", "arrived");
    }

    /** TCP and UDP packets to this host dropped as they left the sender (other protocols, e.g. ARP, ICMP, pass). */
    public long dropped(LabRole receiver) {
        return counter(link.peer(checked(receiver)), "netdev", "dropped");
    }

    /** Packets this host sent over the slow path (marked for reordering). */
    public long rerouted(LabRole sender) {
        return counter(sender, "inet", "rerouted");
    }

    /** The nftables tables, rules and routing of one end host, for messages. */
    public String show(LabRole role) {
        LabHost host = lab.host(role);
        return host.exec(Lab.COMMAND_TIMEOUT, "sh", "-c", "nft list table inet " + table() + "; nft list table netdev "
                + table() + "; ip rule; tc qdisc show").stdout();
    }

    /**
     * The interface of the slow path (reordering) at one end, e.g. for a capture that must see every packet arriving
     * over the link: the packets sent the slow way arrive on it, not on the link's interface.
     *
     * @throws IllegalStateException when the impairment does not reorder (no slow path)
     */
    public String slowPathInterface(LabRole role) {
        if (impairment.reorderPercent() == 0) {
            throw new IllegalStateException("slow path of " + link + ": none (expected: an impairment that reorders)");
        }
        return slowInterface(lab.host(checked(role)));
    }

    /** Removes every rule, route and the slow path. Safe to call twice. */
    public synchronized void remove() {
        if (removed) {
            return;
        }
        removed = true;
        if (lab.isClosed()) {
            return;
        }
        for (LabRole role : List.of(link.first(), link.second())) {
            LabHost host = lab.host(role);
            String script = "nft delete table inet " + table() + " 2>/dev/null; nft delete table netdev " + table()
                    + " 2>/dev/null; ip rule del pref " + tableNumber() + " 2>/dev/null; ip -6 rule del pref "
                    + tableNumber() + " 2>/dev/null; ip link del " + slowInterface(host) + " 2>/dev/null; true";
            host.exec(Lab.COMMAND_TIMEOUT, "sh", "-c", script).orThrow();
        }
    }

    @Override
    public void close() {
        remove();
    }

    private LabRole checked(LabRole role) {
        if (!link.connects(role)) {
            throw new IllegalArgumentException("impairment counter: role " + role + " (expected: an end of " + link
                    + ")");
        }
        return role;
    }

    private long counter(LabRole role, String family, String name) {
        checked(role);
        boolean present = "netdev".equals(family) ? impairment.lossPercent() > 0 : impairment.reorderPercent() > 0;
        if (!present) {
            return 0;
        }
        String output = lab.host(role).exec(Lab.COMMAND_TIMEOUT, "nft", "list", "counter", family, table(), name)
                .orThrow().stdout();
        Matcher matcher = PACKETS.matcher(output);
        if (!matcher.find()) {
            throw new LabException("nft counter " + name + " in " + lab.host(role).namespace() + ": " + output.strip()
                    + " (expected: \"packets N\")");
        }
        return Long.parseLong(matcher.group(1));
    }

    private String table() {
        return "pcapreplay_impair" + link.number();
    }

    private int tableNumber() {
        return 7600 + link.number();
    }

    private String slowInterface(LabHost host) {
        String name = host.interfaceName(link) + "s";
        if (name.length() > LabNames.MAX_INTERFACE_NAME) {
            throw new LabException("slow-path interface name " + name + ": " + name.length()
                    + " characters (expected: at most " + LabNames.MAX_INTERFACE_NAME + "); too many labs in one JVM");
        }
        return name;
    }

    /** The shell script that impairs the link at one end (inside the host's namespace). */
    private String hostScript(LabHost host) {
        LabRole peer = link.peer(host.role());
        String fast = host.interfaceName(link);
        String slow = slowInterface(host);
        StringBuilder script = new StringBuilder("set -e\n");
        List<String> rules = new ArrayList<>();
        if (impairment.reorderPercent() > 0) {
            String peerMac = "$(ip netns exec " + lab.host(peer).namespace() + " cat /sys/class/net/"
                    + slowInterface(lab.host(peer)) + "/address)";
            script.append("ip link set ").append(slow).append(" up\n");
            script.append("echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter\n");
            script.append("echo 0 > /proc/sys/net/ipv4/conf/").append(slow).append("/rp_filter\n");
            for (InetAddress address : List.of(link.ipv4(peer), link.ipv6(peer))) {
                String flag = address instanceof Inet4Address ? "-4" : "-6";
                int length = address instanceof Inet4Address ? 32 : 128;
                script.append("ip ").append(flag).append(" neigh replace ").append(address.getHostAddress())
                        .append(" lladdr ").append(peerMac).append(" dev ").append(slow).append(" nud permanent\n");
                script.append("ip ").append(flag).append(" route replace ").append(network(address, length))
                        .append(" dev ").append(slow).append(" table ").append(tableNumber()).append('\n');
                script.append("ip ").append(flag).append(" rule add fwmark ").append(tableNumber()).append(" lookup ")
                        .append(tableNumber()).append(" pref ").append(tableNumber()).append('\n');
            }
            script.append("tc qdisc replace dev ").append(slow).append(" root tbf rate ")
                    .append(impairment.slowPathRate()).append(" burst 1600 latency 2s\n");
            rules.add("table inet " + table() + " {");
            rules.add("  counter rerouted { }");
            rules.add("  chain reorder { type route hook output priority mangle; oifname \"" + fast
                    + "\" numgen random mod 100 < " + impairment.reorderPercent() + " counter name \"rerouted\" "
                    + "meta mark set " + tableNumber() + "; }");
            rules.add("}");
        }
        if (impairment.lossPercent() > 0) {
            String devices = impairment.reorderPercent() > 0 ? "\"" + fast + "\", \"" + slow + "\"" : "\"" + fast
                    + "\"";
            rules.add("table netdev " + table() + " {");
            rules.add("  counter arrived { }");
            rules.add("  counter dropped { }");
            rules.add("  chain loss { type filter hook egress devices = { " + devices + " } priority 0; "
                    + "meta l4proto { tcp, udp } counter name \"arrived\"; "
                    + "meta l4proto { tcp, udp } numgen random mod 100 < " + impairment.lossPercent()
                    + " counter name \"dropped\" drop; }");
            rules.add("}");
        }
        Path file = lab.newFile(host.role().id() + "-impair" + link.number(), ".nft");
        try {
            Files.writeString(file, String.join("\n", rules) + "\n");
        } catch (java.io.IOException e) {
            throw new LabException("nft rules " + file + ": cannot write: " + e.getMessage(), e);
        }
        script.append("nft -f ").append(file).append('\n');
        return script.toString();
    }

    private static String network(InetAddress address, int length) {
        return address.getHostAddress() + "/" + length;
    }
}
