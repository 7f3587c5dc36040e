package io.pcapreplay.agent;

import io.pcapreplay.agent.capture.DeviceCapture;
import io.pcapreplay.agent.server.AgentCounters;
import io.pcapreplay.agent.server.LogText;
import io.pcapreplay.agent.server.RelayDelay;
import io.pcapreplay.agent.server.ReplayerSession;
import java.util.List;
import java.util.Locale;

/**
 * A snapshot of the counters, formatted as one log line.
 *
 * @param nanos when it was taken (System.nanoTime)
 * @param captured packets captured
 * @param routed packets routed
 * @param unrouted packets nobody registered
 * @param dropped packets dropped by full replayer queues (replayers connected now)
 * @param kernelDrops packets the kernel dropped, -1 unknown
 * @param truncated packets relayed shorter than captured (no room left in the kernel's socket queue)
 * @param connections refused (per address), evicted (global cap), failed handshakes, closed for not reading
 * @param relayDelay capture-to-socket delays so far
 * @param replayers per replayer: name, packets, bytes, dropped
 */
record StatsLine(long nanos, long captured, long routed, long unrouted, long dropped, long kernelDrops,
        long truncated, String connections, RelayDelay.Snapshot relayDelay, List<String> replayers) {

    static StatsLine take(AgentCounters counters, List<DeviceCapture> captures, List<ReplayerSession> sessions) {
        long dropped = 0;
        for (ReplayerSession session : sessions) {
            dropped += session.dropped();
        }
        long kernelDrops = kernelDrops(captures);
        long truncated = 0;
        for (DeviceCapture capture : captures) {
            truncated += capture.truncated();
        }
        List<String> replayers = sessions.stream().map(session -> String.format(Locale.ROOT,
                "%s: %d pkts %d B dropped %d queued %d B", LogText.quote(session.name()), session.delivered(),
                session.bytes(), session.dropped(), session.queuedBytes())).toList();
        String connections = String.format(Locale.ROOT, "handshakes failed %d refused %d evicted %d, not-reading "
                + "closed %d", counters.handshakesFailed(), counters.handshakesRefused(), counters.handshakesEvicted(),
                counters.notReadingClosed());
        return new StatsLine(System.nanoTime(), counters.captured(), counters.routed(), counters.unrouted(), dropped,
                kernelDrops, truncated, connections, counters.relayDelay().snapshot(), replayers);
    }

    /** @return the packets the kernel dropped on all the devices so far, -1 when one of them cannot tell */
    static long kernelDrops(List<DeviceCapture> captures) {
        long kernelDrops = 0;
        for (DeviceCapture capture : captures) {
            long drops = capture.kernelDrops();
            kernelDrops = drops < 0 || kernelDrops < 0 ? -1 : kernelDrops + drops;
        }
        return kernelDrops;
    }

    String format(StatsLine previous) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "captured %d routed %d unrouted %d dropped %d kernel-drops %s truncated %d", captured, routed,
                unrouted, dropped, kernelDrops < 0 ? "?" : Long.toString(kernelDrops), truncated));
        if (previous != null && nanos > previous.nanos) {
            double seconds = (nanos - previous.nanos) / 1e9;
            line.append(String.format(Locale.ROOT, " (%.0f pkt/s)", (captured - previous.captured) / seconds));
        }
        RelayDelay.Snapshot delays = relayDelay.since(previous == null ? null : previous.relayDelay);
        line.append("; relay delay ").append(delays.format()).append("; ").append(connections);
        line.append("; replayers ").append(replayers.size());
        replayers.forEach(replayer -> line.append(" [").append(replayer).append(']'));
        return line.toString();
    }
}
