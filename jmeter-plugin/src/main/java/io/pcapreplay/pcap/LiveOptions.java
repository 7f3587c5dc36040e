package io.pcapreplay.pcap;

import java.util.Objects;

/**
 * What a live session source captures and copies.
 *
 * @param device the capture device (e.g. {@code eth0}, or {@code any})
 * @param capture server ports, BPF filter (applied in the kernel, with the ports), and the limits: most sessions
 *     in flight ({@link CaptureOptions#maxOpenSessions()}), bytes buffered ({@link CaptureOptions#maxWindowBytes()}),
 *     bytes per session, idle time
 * @param percent the sessions copied: 0 to 100, chosen by a stable hash of the 4-tuple ({@link LiveSampling})
 * @param amplification each copied session is replayed this many times (by different users, from different client
 *     addresses), at least 1
 * @param queueCapacity most copies waiting for a free user; beyond it a copy is dropped and counted
 * @param recording where to record the captured frames, or null
 */
public record LiveOptions(String device, CaptureOptions capture, double percent, int amplification,
                          int queueCapacity, LiveRecording recording) {

    /** Snapshot length of the capture: whole frames. */
    public static final int SNAPLEN = 262_144;

    /** Checks the values. */
    public LiveOptions {
        Objects.requireNonNull(capture, "capture");
        if (device == null || device.isBlank()) {
            throw new IllegalArgumentException("live interface: empty (expected: a device such as eth0, or any)");
        }
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("live sampling percentage: " + percent + " (expected: 0 to 100)");
        }
        if (amplification < 1 || amplification > 1000) {
            throw new IllegalArgumentException("live amplification: " + amplification + " (expected: 1 to 1000)");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("live hand-out queue: " + queueCapacity + " (expected: at least 1)");
        }
    }

    /** Returns the kernel filter: TCP on the server ports, and the user's filter. */
    public String kernelFilter() {
        StringBuilder filter = new StringBuilder("tcp");
        if (!capture.serverPorts().isEmpty()) {
            filter.append(" and (");
            for (int index = 0; index < capture.serverPorts().size(); index++) {
                filter.append(index == 0 ? "" : " or ").append("port ").append(capture.serverPorts().get(index));
            }
            filter.append(')');
        }
        if (capture.filter() != null) {
            filter.append(" and (").append(capture.filter()).append(')');
        }
        return filter.toString();
    }
}
