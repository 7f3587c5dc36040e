package io.pcapreplay.agent.capture;

/**
 * How to capture.
 *
 * @param filter the BPF filter expression (pcap-filter(7))
 * @param snaplen bytes captured per frame
 * @param bufferBytes the kernel capture buffer size
 * @param library the libpcap pcap4j loads, as {@code LibpcapLocator.configure()} returned it
 */
public record CaptureSettings(String filter, int snaplen, int bufferBytes, String library) {
}
