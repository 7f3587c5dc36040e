package io.pcapreplay.agent.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * A log that writes at most {@link #BURST} lines per event kind in each window (10 s by default) and counts the
 * rest; the next line written for that kind, or {@link #flush()}, says how many were left out. Event kinds are
 * chosen by the code ("refused BAD_TOKEN", "register refused"), never by a peer, so their number is bounded.
 * Thread-safe.
 */
public final class RateLimitedLog {

    /** Lines written per event kind and window before the rest are only counted. */
    public static final int BURST = 5;
    /** The default window. */
    public static final Duration WINDOW = Duration.ofSeconds(10);

    private final Logger logger;
    private final long windowNanos;
    private final LongSupplier clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /**
     * @param logger where lines go
     * @param window the length of a window
     * @param clock nanosecond clock (System::nanoTime)
     */
    public RateLimitedLog(Logger logger, Duration window, LongSupplier clock) {
        this.logger = logger;
        this.windowNanos = window.toNanos();
        this.clock = clock;
    }

    /** @param logger where lines go; 10 s windows on {@code System.nanoTime} */
    public RateLimitedLog(Logger logger) {
        this(logger, WINDOW, System::nanoTime);
    }

    /**
     * @param event the kind of event (a fixed text)
     * @param message built only when the line is written
     */
    public void warn(String event, Supplier<String> message) {
        String line = admit(event, message);
        if (line != null) {
            logger.warn(line);
        }
    }

    /**
     * @param event the kind of event (a fixed text)
     * @param message built only when the line is written
     */
    public void info(String event, Supplier<String> message) {
        String line = admit(event, message);
        if (line != null) {
            logger.info(line);
        }
    }

    /** Writes one line per event kind whose left-out lines were not reported yet and whose window has ended. */
    public void flush() {
        flush(false);
    }

    /**
     * Writes one line per event kind whose left-out lines were not reported yet.
     *
     * @param all true: also for windows still open (the source of the events is gone)
     */
    public void flush(boolean all) {
        long now = clock.getAsLong();
        for (Map.Entry<String, Window> entry : windows.entrySet()) {
            long suppressed;
            Window window = entry.getValue();
            synchronized (window) {
                if (window.suppressed == 0 || !all && now - window.start < windowNanos) {
                    continue;
                }
                suppressed = window.suppressed;
                window.suppressed = 0;
            }
            logger.warn("{} more '{}' lines left out of the log (at most {} per {} s)", suppressed, entry.getKey(),
                    BURST, windowNanos / 1_000_000_000L);
        }
    }

    /** @return lines written so far, all kinds */
    public long written() {
        long total = 0;
        for (Window window : windows.values()) {
            synchronized (window) {
                total += window.writtenTotal;
            }
        }
        return total;
    }

    /** @return lines left out so far, all kinds */
    public long suppressed() {
        long total = 0;
        for (Window window : windows.values()) {
            synchronized (window) {
                total += window.suppressedTotal;
            }
        }
        return total;
    }

    private String admit(String event, Supplier<String> message) {
        Window window = windows.computeIfAbsent(event, key -> new Window(clock.getAsLong()));
        long reported;
        synchronized (window) {
            long now = clock.getAsLong();
            if (now - window.start >= windowNanos) {
                window.start = now;
                window.written = 0;
            }
            if (window.written >= BURST) {
                window.suppressed++;
                window.suppressedTotal++;
                return null;
            }
            window.written++;
            window.writtenTotal++;
            reported = window.suppressed;
            window.suppressed = 0;
        }
        String line = message.get();
        return reported == 0 ? line : line + " (" + reported + " more like this left out of the log)";
    }

    /** Counts of one event kind. */
    private static final class Window {
        long start;
        int written;
        long suppressed;
        long suppressedTotal;
        long writtenTotal;

        Window(long start) {
            this.start = start;
        }
    }
}
