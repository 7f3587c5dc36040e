package io.pcapreplay.net;

import java.util.Map;

/** Names and hints for the Linux errno values raw sockets report. */
final class Errno {
    static final int EPERM = 1;
    static final int EACCES = 13;
    static final int EINVAL = 22;
    static final int EAFNOSUPPORT = 97;
    static final int EMSGSIZE = 90;
    static final int ENOBUFS = 105;
    static final int ENETUNREACH = 101;
    static final int EHOSTUNREACH = 113;
    private static final Map<Integer, String> NAMES = Map.of(EPERM, "EPERM", EACCES, "EACCES", EINVAL, "EINVAL",
            EAFNOSUPPORT, "EAFNOSUPPORT", EMSGSIZE, "EMSGSIZE", ENOBUFS, "ENOBUFS", ENETUNREACH, "ENETUNREACH",
            EHOSTUNREACH, "EHOSTUNREACH", 9, "EBADF", 11, "EAGAIN");

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
            default -> "";
        };
    }
}
