package io.pcapreplay.net;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.Locale;

/**
 * The first hop towards the target: the local address the kernel picks for it (its route), that address's
 * interface and the interface's MTU. The replay engine clamps the MSS it announces to this MTU (a raw packet larger
 * than the interface MTU fails with EMSGSIZE); hops further on are not known here, and the ICMP "fragmentation
 * needed" they would send goes to the fake client address, i.e. to the assistant, so path MTU discovery cannot work
 * for replayed sessions.
 *
 * @param local the local address towards the target
 * @param interfaceName its interface
 * @param mtu the interface's MTU
 */
record PathMtu(InetAddress local, String interfaceName, int mtu) {

    static final String NAME = "mtu";
    /** The MTU the engine assumes at most (Ethernet). */
    static final int ENGINE_MTU = 1500;
    /** The smallest MTU the engine accepts (the IPv4 minimum datagram every host takes). */
    static final int MIN_MTU = 576;

    /** Returns the first hop towards the target in this network namespace, or null when the kernel has no route. */
    static PathMtu toward(InetAddress target, int port) {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(new InetSocketAddress(target, Math.max(1, port)));
            InetAddress local = socket.getLocalAddress();
            NetworkInterface device = NetworkInterface.getByInetAddress(local);
            if (device == null || local.isAnyLocalAddress()) {
                return null;
            }
            return new PathMtu(local, device.getName(), device.getMTU());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Returns an interface's MTU (the datalink transport's), or null when it does not exist. */
    static PathMtu ofInterface(String name) {
        try {
            NetworkInterface device = NetworkInterface.getByName(name);
            return device == null ? null : new PathMtu(null, name, device.getMTU());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Returns the MTU the engine should use: this one, at most {@value #ENGINE_MTU}; 1500 when unusable. */
    int engineMtu() {
        return mtu >= MIN_MTU ? Math.min(ENGINE_MTU, mtu) : ENGINE_MTU;
    }

    /** Returns the largest MSS the engine announces over this hop (IPv4). */
    int engineMss() {
        return engineMtu() - 40;
    }

    /**
     * The check: the MTU, the MSS the replayer announces, the target's (from the probe) and the recorded one.
     *
     * @param hop the first hop, or null when unknown
     * @param targetMss the MSS of the target's SYN-ACK, -1 unknown
     * @param recordedMss the largest MSS the recorded clients announced, -1 unknown
     */
    static CheckResult check(PathMtu hop, InetAddress target, int targetMss, int recordedMss) {
        if (hop == null) {
            return CheckResult.warn(NAME, "no route or interface towards " + target.getHostAddress() + " in this "
                + "network namespace: the replayer assumes MTU " + ENGINE_MTU,
                "ip route get " + target.getHostAddress());
        }
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%d on %s%s towards %s: the replayer "
                + "announces MSS at most %d and sends segments no larger than the smaller of its MSS and the "
                + "target's", hop.mtu(), hop.interfaceName(), hop.local() == null ? "" : " (" + hop.local()
                .getHostAddress() + ")", target.getHostAddress(), hop.engineMss()));
        if (targetMss > 0) {
            text.append("; the target announced MSS ").append(targetMss);
        }
        if (recordedMss > 0) {
            text.append("; the recording announced MSS ").append(recordedMss);
            if (recordedMss > hop.engineMss()) {
                text.append(", clamped to ").append(hop.engineMss()).append(": requests go out in more, smaller "
                    + "segments than recorded (the server gets the same bytes)");
            }
        }
        if (hop.mtu() < MIN_MTU) {
            return CheckResult.warn(NAME, text + "; an MTU below " + MIN_MTU + " is not supported: the replayer "
                + "assumes " + ENGINE_MTU + " and larger packets fail", "ip link show " + hop.interfaceName());
        }
        return CheckResult.ok(NAME, text.toString());
    }
}
