package io.pcapreplay.net;

import io.pcapreplay.tcp.ClientAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/** Opens the engine's packet transports: the raw IP socket, or datalink frames through a packet socket. */
final class PacketTransports {

    private PacketTransports() {
    }

    /**
     * The targets whose next hop the datalink transport must find: those of a family the client addresses list.
     *
     * @param settings the settings
     * @param targets every address sessions may go to
     * @return the targets
     */
    static List<InetAddress> datalinkTargets(ReplaySettings settings, List<InetAddress> targets) {
        boolean ipv4 = ClientAddresses.lists(settings.clientAddresses(), false);
        boolean ipv6 = ClientAddresses.lists(settings.clientAddresses(), true);
        return targets.stream().filter(target -> target instanceof Inet6Address ? ipv6 : ipv4).distinct().toList();
    }

    /**
     * Opens datalink sending on the spec's interface, to the spec's next-hop MAC or, when it names none, to the
     * next hop of the route to the targets ({@link NextHop}).
     *
     * @param spec the datalink transport
     * @param targets where the frames go (used only when the spec names no next-hop MAC)
     * @return the open transport
     * @throws ReplayRuntimeException when the interface cannot be opened (no such interface, not Ethernet, no
     *         CAP_NET_RAW) or the next hop cannot be found
     */
    static ReplayRuntime.Transport datalink(TransportSpec spec, List<InetAddress> targets)
            throws ReplayRuntimeException {
        DatalinkSender sender;
        try {
            String nextHop = spec.nextHopMac() != null ? spec.nextHopMac()
                : NextHop.resolve(spec.interfaceName(), targets, NextHop.RESOLVE_TIMEOUT);
            sender = DatalinkSender.open(spec.interfaceName(), spec.sourceMac(), nextHop);
        } catch (IOException e) {
            throw new ReplayRuntimeException(e.getMessage(), e);
        }
        return new ReplayRuntime.Transport() {
            @Override
            public synchronized void send(byte[] packet, int offset, int length) {
                // one frame buffer: the engine's loop and the pre-flight probe may send at the same time
                sender.send(packet, offset, length);
            }

            @Override
            public boolean sendsBatches() {
                return sender.sendsBatches();
            }

            @Override
            public synchronized int send(byte[] buffer, int[] offsets, int[] lengths, int count) {
                return sender.send(buffer, offsets, lengths, count);
            }

            @Override
            public void close() {
                sender.close();
            }
        };
    }

    /**
     * Opens a raw socket per family the client addresses list; packets go to the socket of their IP version.
     *
     * @param ipv4 open the IPv4 socket
     * @param ipv6 open the IPv6 socket
     * @return the open transport
     * @throws ReplayRuntimeException without root or CAP_NET_RAW, or without IPv6 on this host
     */
    static ReplayRuntime.Transport rawSocket(boolean ipv4, boolean ipv6) throws ReplayRuntimeException {
        RawIpSocket socket4 = null;
        RawIpSocket socket6 = null;
        try {
            socket4 = ipv4 ? RawIpSocket.openIpv4() : null;
            socket6 = ipv6 ? RawIpSocket.openIpv6() : null;
        } catch (RawSocketException e) {
            if (socket4 != null) {
                socket4.close();
            }
            throw new ReplayRuntimeException(e.getMessage(), e);
        }
        RawIpSocket open4 = socket4;
        RawIpSocket open6 = socket6;
        return new ReplayRuntime.Transport() {
            @Override
            public void send(byte[] packet, int offset, int length) {
                RawIpSocket socket = (packet[offset] & 0xF0) == 0x60 ? open6 : open4;
                if (socket == null) {
                    throw new IllegalArgumentException("raw socket: no socket for IP version "
                        + ((packet[offset] >> 4) & 0x0F) + " (expected: client addresses of that family)");
                }
                try {
                    socket.send(packet, offset, length);
                } catch (RawSocketException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public boolean sendsBatches() {
                return true;
            }

            /** Each run of packets of one IP version in one sendmmsg(2) on that version's socket. */
            @Override
            public int send(byte[] buffer, int[] offsets, int[] lengths, int count) {
                int failed = 0;
                int run = 0;
                while (run < count) {
                    boolean six = (buffer[offsets[run]] & 0xF0) == 0x60;
                    int end = run + 1;
                    while (end < count && ((buffer[offsets[end]] & 0xF0) == 0x60) == six) {
                        end++;
                    }
                    RawIpSocket socket = six ? open6 : open4;
                    if (socket == null) {
                        failed += end - run;
                    } else if (run == 0 && end == count) {
                        failed += socket.send(buffer, offsets, lengths, count);
                    } else {
                        failed += socket.send(buffer, Arrays.copyOfRange(offsets, run, end),
                            Arrays.copyOfRange(lengths, run, end), end - run);
                    }
                    run = end;
                }
                return failed;
            }

            @Override
            public void close() {
                if (open4 != null) {
                    open4.close();
                }
                if (open6 != null) {
                    open6.close();
                }
            }
        };
    }
}
