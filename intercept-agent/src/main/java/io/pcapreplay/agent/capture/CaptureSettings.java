package io.pcapreplay.agent.capture;

import java.time.Duration;

/**
 * How to capture.
 *
 * @param filter the BPF filter expression (pcap-filter(7)) as the kernel applies it
 * @param snaplen bytes captured per frame
 * @param bufferBytes the kernel capture buffer (the ring) per device
 * @param library the libpcap pcap4j loads, as {@code LibpcapLocator.configure()} returned it
 * @param method the agent's own packet ring, or libpcap
 * @param batchPause how long the capture thread waits after handing over a batch before it reads the next one
 *     (zero: reads on at once); see {@link DeviceCapture}
 */
public record CaptureSettings(String filter, int snaplen, int bufferBytes, String library, CaptureMethod method,
        Duration batchPause) {

    /** The default {@link #batchPause()}: 500 µs (docs/benchmarks.md). */
    public static final Duration DEFAULT_BATCH_PAUSE = Duration.ofNanos(500_000);
}
