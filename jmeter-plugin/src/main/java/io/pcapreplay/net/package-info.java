/**
 * Raw IP sending for the replay engine: {@link io.pcapreplay.net.RawIpSocket} sends complete IPv4/IPv6 packets
 * (our own headers, fake client source addresses) through Linux raw sockets via JNA. The agent client comes here
 * too.
 */
package io.pcapreplay.net;
