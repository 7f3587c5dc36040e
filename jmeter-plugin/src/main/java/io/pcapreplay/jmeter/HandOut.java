package io.pcapreplay.jmeter;

import java.util.Locale;

/** How a {@link SessionSource} hands the recorded sessions to users. */
public enum HandOut {
    /** Session after session, in recorded order, wrapping around. */
    ROUND_ROBIN,
    /**
     * A random session each time: among all sessions when the capture is kept in memory, else among the next
     * sessions of the stream (a window, {@code -Jpcapreplay.randomWindow}, 1,024 by default).
     */
    RANDOM,
    /**
     * In recorded order, each started at its recorded offset from the first (divided by the speed factor), keeping
     * the capture's causal order across sessions: an exchange or session start that in the capture began after
     * another session's exchange had completed waits until that exchange completed in the replay
     * ({@link CausalOrder}).
     */
    RECORDED,
    /** As {@link #RECORDED}, at the recorded offsets only: sessions never wait for each other. */
    RECORDED_TIMING;

    /** Tells whether sessions start at their recorded offsets: whether they do. */
    public boolean recordedOffsets() {
        return this == RECORDED || this == RECORDED_TIMING;
    }

    /**
     * Parses a name ({@code round-robin}, {@code random}, {@code recorded}, {@code recorded-timing}; case and
     * separator insensitive).
     *
     * @param text the name; blank means ROUND_ROBIN
     * @return the value
     * @throws IllegalArgumentException for another name
     */
    public static HandOut parse(String text) {
        if (text == null || text.isBlank()) {
            return ROUND_ROBIN;
        }
        String normalized = text.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (HandOut value : values()) {
            if (value.name().equals(normalized)) {
                return value;
            }
        }
        throw new IllegalArgumentException("session hand-out: '" + text
            + "' (expected: round-robin, random, recorded or recorded-timing)");
    }
}
