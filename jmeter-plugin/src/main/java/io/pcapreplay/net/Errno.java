package io.pcapreplay.net;

import java.util.Map;

/** Names and hints for the Linux errno values raw and packet sockets report. */
final class Errno {
    static final int EPERM = 1;
    static final int EACCES = 13;
    static final int EINVAL = 22;
    static final int EAFNOSUPPORT = 97;
    static final int EMSGSIZE = 90;
    static final int ENOBUFS = 105;
    static final int ENETUNREACH = 101;
    static final int EHOSTUNREACH = 113;
    static final int ENODEV = 19;
    static final int ENETDOWN = 100;
    private static final Map<Integer, String> NAMES = Map.ofEntries(Map.entry(EPERM, "EPERM"),
            Map.entry(EACCES, "EACCES"), Map.entry(EINVAL, "EINVAL"), Map.entry(EAFNOSUPPORT, "EAFNOSUPPORT"),
            Map.entry(EMSGSIZE, "EMSGSIZE"), Map.entry(ENOBUFS, "ENOBUFS"), Map.entry(ENETUNREACH, "ENETUNREACH"),
            Map.entry(EHOSTUNREACH, "EHOSTUNREACH"), Map.entry(ENODEV, "ENODEV"), Map.entry(ENETDOWN, "ENETDOWN"),
            Map.entry(9, "EBADF"), Map.entry(11, "EAGAIN"));

    private Errno() {
    }

    static String name(int errno) {
        return NAMES.getOrDefault(errno, "") + "(" + errno + ")";
    }

    static String hint(int errno) {
        return switch (errno) {
            case EPERM -> "; a firewall rule of this host dropped it (netfilter OUTPUT: nft list ruleset)";
            case ENETUNREACH, EHOSTUNREACH -> "; no route to the packet's destination in this network namespace";
            case EMSGSIZE -> "; the packet is larger than the interface MTU";
            case ENOBUFS -> "; the socket send buffer is full: send slower or raise SO_SNDBUF";
            case EAFNOSUPPORT -> "; the kernel has no IPv6 (or IPv4) support";
            case ENETDOWN -> "; the interface is down (ip link set IFACE up)";
            default -> "";
        };
    }
}
