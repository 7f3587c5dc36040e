package io.pcapreplay.agent.server;

import java.time.Instant;

/**
 * The agent's clock: its wall clock in nanoseconds since the epoch, the clock of its capture timestamps (libpcap
 * reads the kernel's) and of its heartbeat answers, from which replayers estimate the offset between their clock
 * and the agent's.
 *
 * <p><b>Test only:</b> the system property {@value #TEST_OFFSET_PROPERTY} (microseconds, may be negative) shifts
 * both the capture timestamps sent to replayers and the heartbeat clock by a fixed amount, as if the assistant
 * host's clock were that far off. Lab tests use it to check that replayers measure and apply the offset; it has
 * no use in production.
 */
public final class AgentTime {

    /** System property (microseconds): the test-only clock shift. */
    public static final String TEST_OFFSET_PROPERTY = "pcapreplay.agent.testClockOffsetMicros";

    private static final long OFFSET_NANOS = Long.getLong(TEST_OFFSET_PROPERTY, 0L) * 1_000L;

    private AgentTime() {
    }

    /** @return the agent's clock now: wall clock (nanosecond resolution where the OS has it) plus the test shift */
    public static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano() + OFFSET_NANOS;
    }

    /**
     * @param captureNanos a capture timestamp, nanoseconds since the epoch
     * @return the same instant on the agent's clock (shifted by the test offset, if any)
     */
    public static long capture(long captureNanos) {
        return captureNanos + OFFSET_NANOS;
    }

    /** @return the test-only shift in nanoseconds (0 unless {@value #TEST_OFFSET_PROPERTY} is set) */
    public static long testOffsetNanos() {
        return OFFSET_NANOS;
    }
}
