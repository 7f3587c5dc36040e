package io.pcapreplay.agent.server;

import io.pcapreplay.protocol.HeartbeatMessage;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what one replayer estimates of the offset between its clock and the agent's (it sends the estimate in its
 * heartbeats): the first estimate, then when it moved by more than its uncertainty plus 1 ms (at most once a
 * minute, whatever a replayer sends), and the last one when the replayer leaves. Event loop only.
 */
final class ClockReport {

    private static final Logger LOG = LoggerFactory.getLogger(ClockReport.class);
    private static final long MOVE_NANOS = 1_000_000;
    private static final long QUIET_NANOS = 60_000_000_000L;

    private long reportedOffset = HeartbeatMessage.UNKNOWN_OFFSET;
    private long lastOffset = HeartbeatMessage.UNKNOWN_OFFSET;
    private long lastUncertainty = -1;
    private long reportedAt;

    /**
     * @param replayer who sent the probe
     * @param probe the replayer's heartbeat
     */
    void onProbe(ReplayerSession replayer, HeartbeatMessage probe) {
        if (!probe.hasOffset()) {
            return;
        }
        lastOffset = probe.offsetNanos();
        lastUncertainty = probe.uncertaintyNanos();
        boolean first = reportedOffset == HeartbeatMessage.UNKNOWN_OFFSET;
        long now = System.nanoTime();
        if (first || Math.abs(lastOffset - reportedOffset) > lastUncertainty + MOVE_NANOS
                && now - reportedAt >= QUIET_NANOS) {
            reportedOffset = lastOffset;
            reportedAt = now;
            LOG.info("replayer {}: {} clock offset (agent - replayer) {}{}", replayer, first ? "estimated" : "new",
                    describe(lastOffset, lastUncertainty), testNote());
        }
    }

    /**
     * @param replayer the replayer that left
     */
    void onDisconnect(ReplayerSession replayer) {
        if (lastUncertainty >= 0) {
            LOG.info("replayer {}: last clock offset (agent - replayer) {}", replayer,
                    describe(lastOffset, lastUncertainty));
        }
    }

    static String describe(long offsetNanos, long uncertaintyNanos) {
        return String.format(Locale.ROOT, "%+.1f us +/- %.1f us", offsetNanos / 1e3, uncertaintyNanos / 1e3);
    }

    private static String testNote() {
        long shift = AgentTime.testOffsetNanos();
        return shift == 0 ? "" : String.format(Locale.ROOT, " (this agent's clock is shifted by %+.1f us for a test: "
                + "-D%s)", shift / 1e3, AgentTime.TEST_OFFSET_PROPERTY);
    }
}
