package io.pcapreplay.pcap;

import java.util.List;

/** The chosen server ports as a bit set (a lookup per packet, no boxing); empty means any port. */
final class ServerPorts {

    private final long[] bits = new long[1024];
    private final List<Integer> ports;

    ServerPorts(List<Integer> ports) {
        this.ports = List.copyOf(ports);
        for (int port : ports) {
            bits[port >>> 6] |= 1L << port;
        }
    }

    /** Tells whether only some ports are chosen (false: any port). */
    boolean isSelective() {
        return !ports.isEmpty();
    }

    /** Tells whether a port is chosen (always true when any port is). */
    boolean contains(int port) {
        return ports.isEmpty() || (bits[port >>> 6] & 1L << port) != 0;
    }

    /** Tells whether a segment between these ports is kept: either is chosen. */
    boolean keeps(int sourcePort, int destinationPort) {
        return ports.isEmpty() || (bits[sourcePort >>> 6] & 1L << sourcePort) != 0
            || (bits[destinationPort >>> 6] & 1L << destinationPort) != 0;
    }

    /** Returns the ports for messages: e.g. "80" or "80, 443". */
    @Override
    public String toString() {
        return ports.toString().replaceAll("[\\[\\]]", "");
    }
}
