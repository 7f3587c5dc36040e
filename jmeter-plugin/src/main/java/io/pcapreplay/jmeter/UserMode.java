package io.pcapreplay.jmeter;

import java.util.Locale;

/** How a {@link PcapReplayThreadGroup} runs its users. */
public enum UserMode {
    /** Each user is a JMeter thread with full per-user JMeter semantics; the sampler runs once per exchange. */
    THREAD_PER_USER,
    /**
     * Users are sessions inside the replay engine; a few JMeter threads publish every finished exchange as a sample
     * (thread-count columns show active users).
     */
    ENGINE_DRIVEN;

    /**
     * Parses {@code thread-per-user} or {@code engine-driven} (case and separator insensitive).
     *
     * @param text the name; blank means THREAD_PER_USER
     * @return the value
     * @throws IllegalArgumentException for another name
     */
    public static UserMode parse(String text) {
        if (text == null || text.isBlank()) {
            return THREAD_PER_USER;
        }
        String normalized = text.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (UserMode value : values()) {
            if (value.name().equals(normalized)) {
                return value;
            }
        }
        throw new IllegalArgumentException("user mode: '" + text + "' (expected: thread-per-user or engine-driven)");
    }
}
