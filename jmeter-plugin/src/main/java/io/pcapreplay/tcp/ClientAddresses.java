package io.pcapreplay.tcp;

import io.pcapreplay.packet.IpAddresses;
import io.pcapreplay.protocol.AddressRange;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The fake client addresses of a replayer, one {@link ClientAddressPool} per address family: a spec such as
 * {@code 198.18.1.*, 2001:2:0:ff00::/104} lists IPv4 and IPv6 ranges together (comma or space separated), and each
 * session is sent from the pool of its target's family. Not thread-safe: the engine's event loop owns the pools.
 *
 * <p>Or the recorded ones ({@value #ORIGINAL}, tcpcopy without {@code -c}): {@code original} keeps each session's
 * recorded client address, and its recorded port while that endpoint is free (copies and loops take other ports);
 * CIDR blocks after the keyword, e.g. {@code original 10.20.0.0/16}, say where those addresses are (registered with
 * the agent, which routes their answers to this replayer); without any, every address of both families.
 */
public final class ClientAddresses {

    /** An IPv6 range to suggest in messages: inside the benchmarking range 2001:2::/48 (RFC 5180). */
    public static final String EXAMPLE_IPV6 = "2001:2:0:ff00::/104";
    /** An IPv4 range to suggest in messages: inside the benchmarking range 198.18.0.0/15 (RFC 2544). */
    public static final String EXAMPLE_IPV4 = "198.18.1.*";

    /** The keyword of recorded client addresses. */
    public static final String ORIGINAL = "original";

    private final String spec;
    private final ClientAddressPool ipv4;
    private final ClientAddressPool ipv6;
    /** The ranges of recorded addresses (CIDR blocks), or null for fake addresses from the pools. */
    private final List<AddressRange> originalRanges;

    private ClientAddresses(String spec, ClientAddressPool ipv4, ClientAddressPool ipv6) {
        this.spec = spec;
        this.ipv4 = ipv4;
        this.ipv6 = ipv6;
        this.originalRanges = null;
    }

    private ClientAddresses(String spec, List<AddressRange> originalRanges) {
        this.spec = spec;
        this.ipv4 = null;
        this.ipv6 = null;
        this.originalRanges = List.copyOf(originalRanges);
    }

    /**
     * Wraps one pool (of either family).
     *
     * @param pool the pool
     * @return addresses holding only that pool
     */
    public static ClientAddresses of(ClientAddressPool pool) {
        return pool.ipv6() ? new ClientAddresses(pool.spec(), null, pool)
            : new ClientAddresses(pool.spec(), pool, null);
    }

    /**
     * Parses a spec of IPv4 and/or IPv6 ranges (see {@link ClientAddressPool} for each range's syntax).
     *
     * @param spec the ranges
     * @param excludedAddresses addresses never used (the targets')
     * @param allocation the walk order
     * @param seed seed of the run's random start
     * @return the pools
     * @throws IllegalArgumentException naming the bad range, or when nothing usable is left
     */
    public static ClientAddresses parse(String spec, Collection<InetAddress> excludedAddresses,
            AddressAllocation allocation, long seed) {
        if (isOriginal(spec)) {
            return new ClientAddresses(spec.trim(), originalRanges(spec));
        }
        List<AddressRun> ranges = AddressRun.parseAll(spec); // validates every item, with its message
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("client addresses: '" + spec
                + "' is empty (expected: at least one address)");
        }
        List<String> ipv4Items = new ArrayList<>();
        List<String> ipv6Items = new ArrayList<>();
        for (String item : spec.trim().split("[,\\s]+")) {
            (item.contains(":") ? ipv6Items : ipv4Items).add(item);
        }
        ClientAddressPool ipv4 = ipv4Items.isEmpty() ? null : ClientAddressPool.parse(String.join(",", ipv4Items),
            excludedAddresses, allocation, seed);
        ClientAddressPool ipv6 = ipv6Items.isEmpty() ? null : ClientAddressPool.parse(String.join(",", ipv6Items),
            excludedAddresses, allocation, seed ^ 0x5DEE_CE66L);
        return new ClientAddresses(spec.trim(), ipv4, ipv6);
    }

    /**
     * Tells whether a spec lists a range of a family, without parsing it (which sockets to open).
     *
     * @param spec the ranges
     * @param ipv6Family true for IPv6
     * @return whether an item of that family is listed
     */
    public static boolean lists(String spec, boolean ipv6Family) {
        if (spec == null || spec.isBlank()) {
            return false;
        }
        if (isOriginal(spec)) {
            return originalRanges(spec).stream().anyMatch(range -> range.ipv6() == ipv6Family);
        }
        for (String item : spec.trim().split("[,\\s]+")) {
            if (item.contains(":") == ipv6Family) {
                return true;
            }
        }
        return false;
    }

    /**
     * Tells whether a family has a pool.
     *
     * @param ipv6Family true for IPv6
     * @return whether this family has addresses
     */
    public boolean has(boolean ipv6Family) {
        return original() ? originalRanges.stream().anyMatch(range -> range.ipv6() == ipv6Family)
            : pool(ipv6Family) != null;
    }

    /** Tells whether sessions keep their recorded client addresses ({@value #ORIGINAL}) instead of pools'. */
    public boolean original() {
        return originalRanges != null;
    }

    /**
     * Tells whether a spec asks for the recorded client addresses: its first item is {@value #ORIGINAL}.
     *
     * @param spec the client addresses
     * @return whether it does
     */
    public static boolean isOriginal(String spec) {
        return spec != null && spec.trim().split("[,\\s]+")[0].equalsIgnoreCase(ORIGINAL);
    }

    /** The CIDR blocks after the keyword, or every address of both families. */
    private static List<AddressRange> originalRanges(String spec) {
        String[] items = spec.trim().split("[,\\s]+");
        if (items.length == 1) {
            return List.of(AddressRange.parse("0.0.0.0/0"), AddressRange.parse("::/0"));
        }
        List<AddressRange> ranges = new ArrayList<>();
        for (int index = 1; index < items.length; index++) {
            try {
                ranges.add(AddressRange.parse(items[index]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("client addresses: '" + items[index] + "' after '" + ORIGINAL
                    + "' (expected: CIDR blocks where the recorded clients are, e.g. 'original 10.20.0.0/16'): "
                    + e.getMessage(), e);
            }
        }
        return ranges;
    }

    /**
     * Returns the pool of a family.
     *
     * @param ipv6Family true for IPv6
     * @return the pool, or null when the spec lists no range of that family
     */
    public ClientAddressPool pool(boolean ipv6Family) {
        return ipv6Family ? ipv6 : ipv4;
    }

    /** Returns the ranges of both families as CIDR blocks, for registering with the agent. */
    public List<String> cidrs() {
        if (original()) {
            return originalRanges.stream().map(AddressRange::toString).toList();
        }
        List<String> cidrs = new ArrayList<>();
        if (ipv4 != null) {
            cidrs.addAll(ipv4.cidrs());
        }
        if (ipv6 != null) {
            cidrs.addAll(ipv6.cidrs());
        }
        return cidrs;
    }

    /** Returns the spec as given. */
    public String spec() {
        return spec;
    }

    /**
     * Formats a server for messages: {@code 10.0.0.5:80}, {@code [2001:2:0:1::2]:80}, without the port when it is 0.
     *
     * @param address the server's address
     * @param port its port, 0 for none
     * @return the text
     */
    public static String server(InetAddress address, int port) {
        String host = IpAddresses.format(address);
        if (address.getAddress().length == 16) {
            return port == 0 ? host : "[" + host + "]:" + port;
        }
        return port == 0 ? host : host + ":" + port;
    }

    /**
     * The one message for a server of a family without client addresses, whoever meets it first (the settings' check
     * or a session's start).
     *
     * @param server the server the session would go to, e.g. {@code [2001:2:0:1::2]:80}
     * @param ipv6Family the server's family
     * @return "client addresses: ... (expected: ...)"
     */
    public String missingFamily(String server, boolean ipv6Family) {
        int family = ipv6Family ? 6 : 4;
        return "client addresses: '" + spec + "' has no IPv" + family + " range, needed to replay to the IPv" + family
            + " server " + server + " (expected: an IPv" + family + " range next to the others, e.g. '" + spec
            + ", " + (ipv6Family ? EXAMPLE_IPV6 : EXAMPLE_IPV4) + "'; or a target of the other family: an IPv"
            + (ipv6Family ? 4 : 6) + " address as the target host or in the target map)";
    }
}
