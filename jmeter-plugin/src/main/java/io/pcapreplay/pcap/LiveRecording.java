package io.pcapreplay.pcap;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and how a live capture is recorded: pcapng files named {@code <prefix>-00001.pcapng},
 * {@code <prefix>-00002.pcapng} ..., a new one when the current reaches the size or the time limit, the oldest
 * deleted beyond the most files kept (0 = keep all).
 *
 * @param prefix the path before the sequence number
 * @param maxBytes size of a file before the next one starts, 0 = no limit
 * @param maxDuration capture time of a file before the next one starts, zero = no limit
 * @param maxFiles files kept, 0 = all
 */
public record LiveRecording(Path prefix, long maxBytes, Duration maxDuration, int maxFiles) {

    private static final Pattern LIMIT = Pattern.compile("\\s*(\\d+)\\s*(mib|gib|kib|s|m|h|files)\\s*");

    /** Checks the values. */
    public LiveRecording {
        if (maxBytes < 0 || maxDuration.isNegative() || maxFiles < 0) {
            throw new IllegalArgumentException("recording limits: " + maxBytes + " bytes, " + maxDuration + ", "
                + maxFiles + " files (expected: 0 or more each)");
        }
    }

    /**
     * Parses the limits text: items separated by commas, e.g. {@code "100 MiB, 10 m, 5 files"} (sizes in KiB, MiB or
     * GiB, times in s, m or h).
     *
     * @param prefix the path before the sequence number
     * @param limits the text, empty for none
     * @return the recording
     * @throws IllegalArgumentException for an item that is not a limit
     */
    public static LiveRecording parse(Path prefix, String limits) {
        long bytes = 0;
        Duration duration = Duration.ZERO;
        int files = 0;
        for (String item : limits.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            Matcher matcher = LIMIT.matcher(item.toLowerCase(Locale.ROOT));
            if (!matcher.matches()) {
                throw new IllegalArgumentException("recording limit: '" + item.trim() + "' (expected: a size like "
                    + "'100 MiB', a time like '10 m', or a count like '5 files', separated by commas)");
            }
            long value = Long.parseLong(matcher.group(1));
            switch (matcher.group(2)) {
                case "kib" -> bytes = value << 10;
                case "mib" -> bytes = value << 20;
                case "gib" -> bytes = value << 30;
                case "s" -> duration = Duration.ofSeconds(value);
                case "m" -> duration = Duration.ofMinutes(value);
                case "h" -> duration = Duration.ofHours(value);
                default -> files = (int) Math.min(Integer.MAX_VALUE, value);
            }
        }
        return new LiveRecording(prefix, bytes, duration, files);
    }

    /**
     * Returns the file of a sequence number.
     *
     * @param sequence from 1
     * @return {@code <prefix>-<sequence, 5 digits>.pcapng}
     */
    public Path file(long sequence) {
        return prefix.resolveSibling(prefix.getFileName() + String.format(Locale.ROOT, "-%05d.pcapng", sequence));
    }
}
