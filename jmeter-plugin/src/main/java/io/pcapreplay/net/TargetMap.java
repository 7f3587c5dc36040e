package io.pcapreplay.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where sessions go by their recorded server port: {@code 80=198.19.1.2:8080, 6379=198.19.1.5,
 * 443=[2001:2:0:1::2]:8443, 22=2001:2:0:1::5}. A session whose recorded port is listed is replayed against that target
 * (port omitted or 0: the recorded port), in the target's address family whatever the recorded one (the explicit way
 * to replay an IPv4 capture over IPv6 or the reverse); the others against the runtime's target. IPv4 addresses, IPv6
 * addresses (in brackets when a port follows) or names (their first IPv4 address, else their first IPv6 address).
 *
 * @param targets recorded port to target
 */
public record TargetMap(Map<Integer, InetSocketAddress> targets) {

    /** No mapping: every session goes to the runtime's target. */
    public static final TargetMap EMPTY = new TargetMap(Map.of());

    private static final String RULE = "recorded port=target[:port], comma separated, e.g. "
            + "'80=198.19.1.2:8080, 6379=198.19.1.5, 443=[2001:2:0:1::2]:8443'";

    /** Copies the map. */
    public TargetMap {
        targets = Map.copyOf(targets);
    }

    /**
     * Parses a map; blank means {@link #EMPTY}.
     *
     * @throws IllegalArgumentException naming the entry and the rule
     */
    public static TargetMap parse(String text) {
        if (text == null || text.isBlank()) {
            return EMPTY;
        }
        Map<Integer, InetSocketAddress> targets = new TreeMap<>();
        for (String entry : text.trim().split("\\s*,\\s*")) {
            int equals = entry.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("target map entry: '" + entry + "' (expected: " + RULE + ")");
            }
            int recordedPort = port(entry, entry.substring(0, equals), 1);
            String target = entry.substring(equals + 1).trim();
            String host;
            int port;
            if (target.startsWith("[")) {
                int close = target.indexOf(']');
                if (close < 0 || close + 1 < target.length() && target.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("target map entry: '" + entry + "' (expected: [IPv6 address] "
                            + "or [IPv6 address]:port; " + RULE + ")");
                }
                host = target.substring(1, close);
                port = close + 1 < target.length() ? port(entry, target.substring(close + 2), 0) : 0;
            } else if (target.indexOf(':') != target.lastIndexOf(':')) {
                host = target; // a bare IPv6 address: no port
                port = 0;
            } else {
                int colon = target.lastIndexOf(':');
                port = colon < 0 ? 0 : port(entry, target.substring(colon + 1), 0);
                host = colon < 0 ? target : target.substring(0, colon);
            }
            if (targets.put(recordedPort, new InetSocketAddress(address(entry, host), port)) != null) {
                throw new IllegalArgumentException("target map: port " + recordedPort + " listed twice (expected: "
                        + "one target per recorded port)");
            }
        }
        return new TargetMap(targets);
    }

    /** The target of sessions recorded on {@code recordedPort}, or null. */
    public InetSocketAddress forPort(int recordedPort) {
        return targets.get(recordedPort);
    }

    private static int port(String entry, String text, int min) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= 65535) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("target map entry: '" + entry + "': port '" + text.trim()
                + "' (expected: " + min + " to 65535; " + RULE + ")");
    }

    private static InetAddress address(String entry, String host) {
        try {
            if (!host.isBlank()) {
                InetAddress[] addresses = InetAddress.getAllByName(host.trim());
                for (InetAddress address : addresses) {
                    if (address instanceof Inet4Address) {
                        return address;
                    }
                }
                return addresses[0];
            }
        } catch (UnknownHostException e) {
            // reported below
        }
        throw new IllegalArgumentException("target map entry: '" + entry + "': host '" + host
                + "' (expected: an IPv4 or IPv6 address or a resolvable name; " + RULE + ")");
    }
}
