package io.pcapreplay.jmeter;

import io.pcapreplay.pcap.CaptureOptions;
import io.pcapreplay.pcap.LiveOptions;
import io.pcapreplay.pcap.LiveRecording;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.jmeter.util.JMeterUtils;

/**
 * Reads a thread group's live copy settings ({@link PcapReplayThreadGroup#LIVE_INTERFACE} and the fields after it)
 * into {@link LiveOptions}. The copies waiting for a free user are at most {@code pcapreplay.liveQueueSessions}
 * (default 10,000).
 */
final class LiveSettings {

    /** Default most copies waiting for a free user. */
    static final int DEFAULT_QUEUE_SESSIONS = 10_000;

    private LiveSettings() {
    }

    /**
     * Builds the options.
     *
     * @param group the thread group
     * @param capture its ports, filter and limits
     * @return the options
     * @throws IllegalArgumentException naming the field and the expected value
     */
    static LiveOptions options(PcapReplayThreadGroup group, CaptureOptions capture) {
        double percent = number("live sessions copied (%)", group.getLivePercent());
        double amplification = number("live copies per session", group.getLiveAmplification());
        if (amplification != Math.rint(amplification)) {
            throw new IllegalArgumentException("live copies per session: '" + group.getLiveAmplification()
                + "' (expected: a whole number, 1 to 1000)");
        }
        LiveRecording recording = null;
        if (!group.getLiveRecord().isBlank()) {
            Path prefix = PlanFiles.resolve(group.getLiveRecord().trim());
            recording = LiveRecording.parse(prefix, group.getLiveRecordLimits());
        }
        int queue = Math.max(1, JMeterUtils.getPropDefault("pcapreplay.liveQueueSessions", DEFAULT_QUEUE_SESSIONS));
        return new LiveOptions(group.getLiveInterface(), capture, percent, (int) amplification, queue, recording);
    }

    private static double number(String field, String text) {
        try {
            return Double.parseDouble(text.trim().replace(',', '.').toLowerCase(Locale.ROOT));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": '" + text + "' (expected: a number)", e);
        }
    }
}
