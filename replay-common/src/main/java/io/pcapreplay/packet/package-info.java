/**
 * IP and TCP header codecs shared by the pcap reader, the replay engine and the intercept agent.
 *
 * <p>Decoding is zero-allocation: {@link io.pcapreplay.packet.IpTcpView} is a reusable flyweight over
 * {@code (byte[] buffer, int offset, int length)}; {@link io.pcapreplay.packet.Ipv4Header},
 * {@link io.pcapreplay.packet.Ipv6Header} and {@link io.pcapreplay.packet.TcpHeader} hold the byte layouts and
 * static accessors. {@link io.pcapreplay.packet.IpTcpEncoder} writes complete IPv4+TCP or IPv6+TCP packets with
 * checksums ({@link io.pcapreplay.packet.Checksum}). {@link io.pcapreplay.packet.TcpSequence} is the one
 * wrap-safe sequence number helper. Malformed headers raise {@link io.pcapreplay.packet.PacketProtocolException}.
 */
package io.pcapreplay.packet;
