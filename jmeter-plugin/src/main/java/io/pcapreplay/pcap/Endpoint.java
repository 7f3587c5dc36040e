package io.pcapreplay.pcap;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An IP address and TCP port.
 *
 * @param address the address
 * @param port the port, 0..65535
 */
public record Endpoint(InetAddress address, int port) {

    @Override
    public String toString() {
        String host = address.getHostAddress();
        return address instanceof Inet6Address ? "[" + host + "]:" + port : host + ":" + port;
    }
}
