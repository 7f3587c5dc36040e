package io.pcapreplay.jmeter;

import io.pcapreplay.pcap.CaptureOptions;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The memory limits of capture reading, from JMeter properties ({@code -Jname=value} or user.properties), read at
 * the start of a test: {@value #MAX_SESSION_MIB} (MiB held for one session, default 64),
 * {@value #MAX_OPEN_SESSIONS} (sessions in the reading window, default 100000), {@value #MAX_WINDOW_MIB} (MiB held
 * by the window, default 256), {@value #IDLE_SECONDS} (capture time after which a silent connection is complete,
 * default 300) and {@value #RANDOM_WINDOW} (sessions the random hand-out picks among when the capture is streamed,
 * default 1024). The memory defaults are lowered on a heap under 1 GiB (see {@link CaptureOptions#defaults()}).
 *
 * @param options the reading options with these limits
 * @param randomWindow the random hand-out's window
 */
record CaptureLimits(CaptureOptions options, int randomWindow) {

    static final String MAX_SESSION_MIB = "pcapreplay.maxSessionMiB";
    static final String MAX_OPEN_SESSIONS = "pcapreplay.maxOpenSessions";
    static final String MAX_WINDOW_MIB = "pcapreplay.maxWindowMiB";
    static final String IDLE_SECONDS = "pcapreplay.idleSeconds";
    static final String RANDOM_WINDOW = "pcapreplay.randomWindow";

    /**
     * Reads the limits.
     *
     * @param properties a property by name, null when unset (JMeterUtils::getProperty in a test)
     * @return the limits
     * @throws IllegalArgumentException naming the property, its value and the rule
     */
    static CaptureLimits read(UnaryOperator<String> properties) {
        CaptureOptions defaults = CaptureOptions.defaults();
        long sessionBytes = number(properties, MAX_SESSION_MIB, -1, 1, CaptureOptions.MOST_SESSION_BYTES >> 20);
        long openSessions = number(properties, MAX_OPEN_SESSIONS, defaults.maxOpenSessions(), 1, Integer.MAX_VALUE);
        long windowBytes = number(properties, MAX_WINDOW_MIB, -1, 1, 1 << 20);
        long idleSeconds = number(properties, IDLE_SECONDS, defaults.idleNanos() / 1_000_000_000L, 1, 1L << 30);
        long randomWindow = number(properties, RANDOM_WINDOW, SessionSource.DEFAULT_LOOK_AHEAD, 1, 1 << 24);
        CaptureOptions options = defaults.withLimits(sessionBytes < 0 ? defaults.maxSessionBytes() : sessionBytes << 20,
            (int) openSessions, windowBytes < 0 ? defaults.maxWindowBytes() : windowBytes << 20)
            .withIdleTimeout(Duration.ofSeconds(idleSeconds));
        return new CaptureLimits(options, (int) randomWindow);
    }

    /**
     * Reads a whole-number property: unset or blank gives {@code fallback}.
     *
     * @throws IllegalArgumentException naming the property, when the value is not a whole number from {@code least}
     *     to {@code most}
     */
    static long number(UnaryOperator<String> properties, String name, long fallback, long least, long most) {
        String text = properties.apply(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            value = least - 1;
        }
        if (value < least || value > most) {
            throw new IllegalArgumentException("property " + name + ": '" + text + "' (expected: a whole number from "
                + least + " to " + most + ")");
        }
        return value;
    }
}
