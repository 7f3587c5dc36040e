package io.pcapreplay.packet;

/**
 * The one wrap-safe helper for 32-bit TCP sequence numbers (RFC 793/1982 serial number arithmetic). Sequence
 * numbers may be held in an {@code int} or in a {@code long} (only the low 32 bits count). Two numbers compare
 * correctly when they are less than 2^31 apart.
 */
public final class TcpSequence {

    /** Mask of the low 32 bits. */
    public static final long MASK = 0xFFFF_FFFFL;

    private TcpSequence() {
    }

    /**
     * Tells whether {@code a} comes strictly before {@code b}.
     *
     * @param a a sequence number
     * @param b another sequence number
     * @return {@code a < b} in sequence space
     */
    public static boolean before(int a, int b) {
        return a - b < 0;
    }

    /**
     * Tells whether {@code a} comes strictly before {@code b}, low 32 bits of each.
     *
     * @param a a sequence number
     * @param b another sequence number
     * @return {@code a < b} in sequence space
     */
    public static boolean before(long a, long b) {
        return before((int) a, (int) b);
    }

    /**
     * Tells whether {@code a} comes before or equals {@code b}.
     *
     * @param a a sequence number
     * @param b another sequence number
     * @return {@code a <= b} in sequence space
     */
    public static boolean beforeOrEqual(int a, int b) {
        return a - b <= 0;
    }

    /**
     * Tells whether {@code a} comes before or equals {@code b}, low 32 bits of each.
     *
     * @param a a sequence number
     * @param b another sequence number
     * @return {@code a <= b} in sequence space
     */
    public static boolean beforeOrEqual(long a, long b) {
        return beforeOrEqual((int) a, (int) b);
    }

    /**
     * Tells whether {@code a} comes strictly after {@code b}.
     *
     * @param a a sequence number
     * @param b another sequence number
     * @return {@code a > b} in sequence space
     */
    public static boolean after(int a, int b) {
        return b - a < 0;
    }

    /**
     * Tells whether {@code a} comes strictly after {@code b}, low 32 bits of each.
     *
     * @param a a sequence number
     * @param b another sequence number
     * @return {@code a > b} in sequence space
     */
    public static boolean after(long a, long b) {
        return after((int) a, (int) b);
    }

    /**
     * Tells whether {@code a} comes after or equals {@code b}.
     *
     * @param a a sequence number
     * @param b another sequence number
     * @return {@code a >= b} in sequence space
     */
    public static boolean afterOrEqual(int a, int b) {
        return b - a <= 0;
    }

    /**
     * Tells whether {@code a} comes after or equals {@code b}, low 32 bits of each.
     *
     * @param a a sequence number
     * @param b another sequence number
     * @return {@code a >= b} in sequence space
     */
    public static boolean afterOrEqual(long a, long b) {
        return afterOrEqual((int) a, (int) b);
    }

    /**
     * Signed distance from {@code from} to {@code to}: positive when {@code to} is after {@code from}.
     *
     * @param from the start
     * @param to the end
     * @return {@code to - from} in sequence space, in [-2^31, 2^31)
     */
    public static int distance(int from, int to) {
        return to - from;
    }

    /**
     * Signed distance from {@code from} to {@code to}, low 32 bits of each.
     *
     * @param from the start
     * @param to the end
     * @return {@code to - from} in sequence space, in [-2^31, 2^31)
     */
    public static int distance(long from, long to) {
        return (int) to - (int) from;
    }

    /**
     * Tells whether {@code seq} lies in the half-open window {@code [start, end)}.
     *
     * @param seq the sequence number
     * @param start the first sequence number inside
     * @param end the first sequence number after the window
     * @return whether {@code start <= seq < end}
     */
    public static boolean inWindow(int seq, int start, int end) {
        return seq - start >= 0 && end - seq > 0;
    }

    /**
     * Adds a byte count to a sequence number, wrapping at 2^32.
     *
     * @param seq the sequence number
     * @param bytes the number of bytes (may be negative)
     * @return the sequence number {@code bytes} further
     */
    public static int add(int seq, long bytes) {
        return (int) (seq + bytes);
    }

    /**
     * Returns the later of two sequence numbers.
     *
     * @param a a sequence number
     * @param b another sequence number
     * @return the later one
     */
    public static int max(int a, int b) {
        return after(a, b) ? a : b;
    }

    /**
     * Returns the earlier of two sequence numbers.
     *
     * @param a a sequence number
     * @param b another sequence number
     * @return the earlier one
     */
    public static int min(int a, int b) {
        return before(a, b) ? a : b;
    }

    /**
     * Returns the sequence number as an unsigned value.
     *
     * @param seq the sequence number
     * @return the value in [0, 2^32)
     */
    public static long toUnsigned(int seq) {
        return seq & MASK;
    }
}
