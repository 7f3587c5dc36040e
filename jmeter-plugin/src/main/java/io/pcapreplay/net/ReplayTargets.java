package io.pcapreplay.net;

import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.ClientAddresses;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where each session of the raw-IP engine goes, and so in which address family it is replayed. The rule:
 * <ul>
 *   <li>a session whose recorded server port is in the {@link TargetMap} goes to that entry's address, in its family
 *       (the explicit mapping: {@code 80=10.0.0.5} replays IPv6 sessions over IPv4, {@code 80=[2001:db8::5]} the
 *       reverse);</li>
 *   <li>else, when the target host has addresses of both families (a name with A and AAAA records), each session
 *       goes to the target's address of its recorded family: IPv4 sessions to the IPv4 address, IPv6 sessions to
 *       the IPv6 one;</li>
 *   <li>else (an IPv4 or IPv6 literal, a name of one family) every session goes to that address: the user chose
 *       its family.</li>
 * </ul>
 * The session is then sent from the client addresses of that family; a family without client addresses gets the
 * one message of {@link ClientAddresses#missingFamily}.
 */
final class ReplayTargets {

    private final InetAddress ipv4;
    private final InetAddress ipv6;
    private final int port;
    private final TargetMap map;

    private ReplayTargets(InetAddress ipv4, InetAddress ipv6, int port, TargetMap map) {
        this.ipv4 = ipv4;
        this.ipv6 = ipv6;
        this.port = port;
        this.map = map;
    }

    /**
     * Makes targets of known addresses (tests).
     *
     * @param ipv4 the target's IPv4 address, or null
     * @param ipv6 the target's IPv6 address, or null
     * @param port the target port, 0 for each session's recorded one
     * @param map targets by recorded port
     * @return the targets
     */
    static ReplayTargets of(InetAddress ipv4, InetAddress ipv6, int port, TargetMap map) {
        return new ReplayTargets(ipv4, ipv6, port, map);
    }

    /**
     * Resolves the target host.
     *
     * @param host an IPv4 or IPv6 address or a name
     * @param port the target port, 0 for each session's recorded one
     * @param map targets by recorded port
     * @return the targets
     * @throws ReplayRuntimeException when the host is empty or unknown
     */
    static ReplayTargets resolve(String host, int port, TargetMap map) throws ReplayRuntimeException {
        if (host.isBlank()) {
            throw new ReplayRuntimeException("target host: empty (expected: the IPv4 or IPv6 address or name of the "
                + "server under test)", null);
        }
        String name = host.trim();
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        try {
            InetAddress ipv4 = null;
            InetAddress ipv6 = null;
            for (InetAddress address : InetAddress.getAllByName(name)) {
                if (address instanceof Inet4Address && ipv4 == null) {
                    ipv4 = address;
                } else if (address instanceof Inet6Address && ipv6 == null) {
                    ipv6 = address;
                }
            }
            return new ReplayTargets(ipv4, ipv6, port, map);
        } catch (UnknownHostException e) {
            throw new ReplayRuntimeException("target host: " + host + " is unknown (expected: an IPv4 or IPv6 "
                + "address, or a name with an A or AAAA record)", e);
        }
    }

    /**
     * Returns the server a session goes to.
     *
     * @param session the recording
     * @return its address, and its port (0: the configured target port, else the recorded one)
     */
    InetSocketAddress forSession(RecordedSession session) {
        InetSocketAddress mapped = map.forPort(session.server().port());
        if (mapped != null) {
            return mapped;
        }
        boolean recordedIpv6 = session.server().address() instanceof Inet6Address;
        return new InetSocketAddress(address(recordedIpv6), 0);
    }

    /** Returns the target's address for sessions recorded in a family: of that family when it has one. */
    InetAddress address(boolean recordedIpv6) {
        if (ipv4 != null && ipv6 != null) {
            return recordedIpv6 ? ipv6 : ipv4;
        }
        return ipv4 != null ? ipv4 : ipv6;
    }

    /**
     * Returns the address the engine is configured with (for sessions started without a target): of a family the
     * client addresses have, IPv4 first.
     *
     * @param clients the client addresses, {@link #check checked}
     * @return the address
     */
    InetAddress primary(ClientAddresses clients) {
        if (ipv4 != null && ipv6 != null) {
            return clients.has(false) ? ipv4 : ipv6;
        }
        return address(false);
    }

    /** Returns every address sessions may go to (never used as fake client addresses). */
    List<InetAddress> addresses() {
        List<InetAddress> addresses = new ArrayList<>();
        if (ipv4 != null) {
            addresses.add(ipv4);
        }
        if (ipv6 != null) {
            addresses.add(ipv6);
        }
        map.targets().values().forEach(mapped -> addresses.add(mapped.getAddress()));
        return addresses;
    }

    /**
     * Checks, before anything is replayed, that every target of a single family has client addresses of that family
     * (a target with both families is checked per session: only sessions recorded in the missing family fail).
     *
     * @param clients the client addresses
     * @throws ReplayRuntimeException with the message of {@link ClientAddresses#missingFamily}
     */
    void check(ClientAddresses clients) throws ReplayRuntimeException {
        if (ipv4 == null || ipv6 == null) {
            InetAddress only = address(false);
            boolean family = only instanceof Inet6Address;
            if (!clients.has(family)) {
                throw new ReplayRuntimeException(clients.missingFamily(ClientAddresses.server(only, port), family),
                    null);
            }
        }
        for (Map.Entry<Integer, InetSocketAddress> entry : map.targets().entrySet()) {
            InetAddress mapped = entry.getValue().getAddress();
            boolean family = mapped instanceof Inet6Address;
            if (!clients.has(family)) {
                throw new ReplayRuntimeException(clients.missingFamily(ClientAddresses.server(mapped,
                    entry.getValue().getPort()) + " (target map, recorded port " + entry.getKey() + ")", family),
                    null);
            }
        }
    }
}
