package io.pcapreplay.agent;

import io.pcapreplay.agent.capture.DeviceCapture;
import io.pcapreplay.agent.server.AgentCounters;
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
 * @param replayers per replayer: name, packets, bytes, dropped
 */
record StatsLine(long nanos, long captured, long routed, long unrouted, long dropped, long kernelDrops,
        List<String> replayers) {

    static StatsLine take(AgentCounters counters, List<DeviceCapture> captures, List<ReplayerSession> sessions) {
        long dropped = 0;
        for (ReplayerSession session : sessions) {
            dropped += session.dropped();
        }
        long kernelDrops = 0;
        for (DeviceCapture capture : captures) {
            long drops = capture.kernelDrops();
            kernelDrops = drops < 0 || kernelDrops < 0 ? -1 : kernelDrops + drops;
        }
        List<String> replayers = sessions.stream().map(session -> String.format(Locale.ROOT,
                "%s: %d pkts %d B dropped %d", session.name(), session.delivered(), session.bytes(),
                session.dropped())).toList();
        return new StatsLine(System.nanoTime(), counters.captured(), counters.routed(), counters.unrouted(), dropped,
                kernelDrops, replayers);
    }

    String format(StatsLine previous) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "captured %d routed %d unrouted %d dropped %d kernel-drops %s", captured, routed, unrouted, dropped,
                kernelDrops < 0 ? "?" : Long.toString(kernelDrops)));
        if (previous != null && nanos > previous.nanos) {
            double seconds = (nanos - previous.nanos) / 1e9;
            line.append(String.format(Locale.ROOT, " (%.0f pkt/s)", (captured - previous.captured) / seconds));
        }
        line.append(" replayers ").append(replayers.size());
        replayers.forEach(replayer -> line.append(" [").append(replayer).append(']'));
        return line.toString();
    }
}
