package io.pcapreplay.pcap;

import io.pcapreplay.packet.IpTcpView;

/**
 * The 4-tuple of a TCP connection, the same for both directions (the two endpoints are put in a fixed order).
 * Mutable so that one instance can probe a map without allocation; stored keys are {@link #copy() copies}.
 */
final class ConnectionKey {

    private long firstHigh;
    private long firstLow;
    private int firstPort;
    private long secondHigh;
    private long secondLow;
    private int secondPort;

    /** Sets the key from a decoded TCP packet. */
    ConnectionKey set(IpTcpView view) {
        long sourceHigh = view.sourceHigh();
        long sourceLow = view.sourceLow();
        int sourcePort = view.sourcePort();
        long destinationHigh = view.destinationHigh();
        long destinationLow = view.destinationLow();
        int destinationPort = view.destinationPort();
        if (compare(sourceHigh, sourceLow, sourcePort, destinationHigh, destinationLow, destinationPort) <= 0) {
            assign(sourceHigh, sourceLow, sourcePort, destinationHigh, destinationLow, destinationPort);
        } else {
            assign(destinationHigh, destinationLow, destinationPort, sourceHigh, sourceLow, sourcePort);
        }
        return this;
    }

    ConnectionKey copy() {
        ConnectionKey copy = new ConnectionKey();
        copy.assign(firstHigh, firstLow, firstPort, secondHigh, secondLow, secondPort);
        return copy;
    }

    private void assign(long high1, long low1, int port1, long high2, long low2, int port2) {
        firstHigh = high1;
        firstLow = low1;
        firstPort = port1;
        secondHigh = high2;
        secondLow = low2;
        secondPort = port2;
    }

    private static int compare(long high1, long low1, int port1, long high2, long low2, int port2) {
        int result = Long.compareUnsigned(high1, high2);
        if (result == 0) {
            result = Long.compareUnsigned(low1, low2);
        }
        return result != 0 ? result : Integer.compare(port1, port2);
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof ConnectionKey)) {
            return false;
        }
        ConnectionKey key = (ConnectionKey) other;
        return firstHigh == key.firstHigh && firstLow == key.firstLow && firstPort == key.firstPort
            && secondHigh == key.secondHigh && secondLow == key.secondLow && secondPort == key.secondPort;
    }

    @Override
    public int hashCode() {
        long hash = firstHigh * 31 + firstLow;
        hash = hash * 31 + secondHigh;
        hash = hash * 31 + secondLow;
        hash = hash * 31 + (firstPort * 65_537L + secondPort);
        return (int) (hash ^ hash >>> 32);
    }
}
