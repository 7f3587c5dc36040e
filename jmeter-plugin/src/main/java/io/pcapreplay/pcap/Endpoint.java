package io.pcapreplay.pcap;

import io.pcapreplay.packet.IpAddresses;
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
        String host = IpAddresses.format(address);
        return address instanceof Inet6Address ? "[" + host + "]:" + port : host + ":" + port;
    }
}
