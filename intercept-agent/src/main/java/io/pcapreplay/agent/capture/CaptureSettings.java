package io.pcapreplay.agent.capture;

/**
 * How to capture.
 *
 * @param filter the BPF filter expression (pcap-filter(7)) as the kernel applies it
 * @param snaplen bytes captured per frame
 * @param bufferBytes the kernel capture buffer (the ring) per device
 * @param library the libpcap pcap4j loads, as {@code LibpcapLocator.configure()} returned it
 * @param method the agent's own packet ring, or libpcap
 */
public record CaptureSettings(String filter, int snaplen, int bufferBytes, String library, CaptureMethod method) {
}
