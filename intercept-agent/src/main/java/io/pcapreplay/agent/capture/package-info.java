/**
 * Packet capture: one thread per device reading the agent's own memory-mapped TPACKET_V2 ring
 * ({@code RingReader}) or libpcap through pcap4j ({@code PcapReader}), raw bytes only, datalink headers stripped
 * ({@link io.pcapreplay.agent.capture.LinkLayer}), batches ended when the kernel has no more frames ready; the
 * libpcap loader fallback ({@link io.pcapreplay.libpcap.LibpcapLocator}).
 */
package io.pcapreplay.agent.capture;
