package io.pcapreplay.lab;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The three veth links of a lab and their addresses. Link L uses 198.19.L.0/24 and 2001:2:0:L::/64; the host
 * number is the role's ({@link LabRole#hostNumber()}: client 1, target 2, assistant 3).
 *
 * <pre>
 *   client 198.19.1.1 ---- CLIENT_TARGET (1) ---- 198.19.1.2 target
 *   target 198.19.2.2 ---- TARGET_ASSISTANT (2) - 198.19.2.3 assistant
 *   client 198.19.3.1 ---- CLIENT_ASSISTANT (3) - 198.19.3.3 assistant
 * </pre>
 */
public enum LabLink {
    /** The data path: raw packets from the replayer to the server under test. */
    CLIENT_TARGET(1, LabRole.CLIENT, LabRole.TARGET),
    /** The target's responses to fake client addresses, routed to the assistant. */
    TARGET_ASSISTANT(2, LabRole.TARGET, LabRole.ASSISTANT),
    /** The agent channel: the replayer connects to the intercept agent. */
    CLIENT_ASSISTANT(3, LabRole.CLIENT, LabRole.ASSISTANT);

    /** Prefix length of the IPv4 link networks. */
    public static final int IPV4_PREFIX_LENGTH = 24;
    /** Prefix length of the IPv6 link networks. */
    public static final int IPV6_PREFIX_LENGTH = 64;

    private final int number;
    private final LabRole first;
    private final LabRole second;

    LabLink(int number, LabRole first, LabRole second) {
        this.number = number;
        this.first = first;
        this.second = second;
    }

    /** The link's number: third byte of its IPv4 network, fourth group of its IPv6 network. */
    public int number() {
        return number;
    }

    public LabRole first() {
        return first;
    }

    public LabRole second() {
        return second;
    }

    public boolean connects(LabRole role) {
        return role == first || role == second;
    }

    /** The role at the other end of this link. */
    public LabRole peer(LabRole role) {
        requireEnd(role);
        return role == first ? second : first;
    }

    /** The IPv4 address of a host on this link: 198.19.L.N. */
    public InetAddress ipv4(LabRole role) {
        requireEnd(role);
        return address(new byte[] {(byte) 198, 19, (byte) number, (byte) role.hostNumber()});
    }

    /** The IPv6 address of a host on this link: 2001:2:0:L::N. */
    public InetAddress ipv6(LabRole role) {
        requireEnd(role);
        byte[] bytes = new byte[16];
        bytes[0] = 0x20;
        bytes[1] = 0x01;
        bytes[3] = 0x02;
        bytes[7] = (byte) number;
        bytes[15] = (byte) role.hostNumber();
        return address(bytes);
    }

    /** The link between two roles. */
    public static LabLink between(LabRole one, LabRole other) {
        for (LabLink link : values()) {
            if (link.connects(one) && link.connects(other) && one != other) {
                return link;
            }
        }
        throw new IllegalArgumentException("link: between " + one + " and " + other
                + " (expected: two different roles)");
    }

    private void requireEnd(LabRole role) {
        if (!connects(role)) {
            throw new IllegalArgumentException("link " + this + ": role " + role + " (expected: " + first
                    + " or " + second + ")");
        }
    }

    static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address: " + bytes.length + " bytes (expected: 4 or 16)", e);
        }
    }
}
