/**
 * Packet capture with libpcap through pcap4j: one thread per device, raw bytes only, datalink headers stripped
 * ({@link io.pcapreplay.agent.capture.LinkLayer}), and the libpcap loader fallback
 * ({@link io.pcapreplay.libpcap.LibpcapLocator}).
 */
package io.pcapreplay.agent.capture;
