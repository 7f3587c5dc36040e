package io.pcapreplay.pcap;

/**
 * One pcapng interface: its link type, snaplen and timestamp unit, and the conversion of its timestamps to
 * nanoseconds since 1970.
 */
final class PcapngInterface {

    private static final long[] POWERS_OF_TEN = new long[19];
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    static {
        POWERS_OF_TEN[0] = 1;
        for (int index = 1; index < POWERS_OF_TEN.length; index++) {
            POWERS_OF_TEN[index] = POWERS_OF_TEN[index - 1] * 10;
        }
    }

    private final int dlt;
    private final LinkType linkType;
    private final long snaplen;
    private final boolean binary;
    private final int exponent;
    private final long offsetSeconds;

    /**
     * @param dlt the link type field
     * @param snaplen the snapshot length, 0 for none
     * @param resolution the if_tsresol value (see {@link #isValidResolution(int)})
     * @param offsetSeconds the if_tsoffset value
     */
    PcapngInterface(int dlt, long snaplen, int resolution, long offsetSeconds) {
        this.dlt = dlt;
        this.linkType = LinkType.valueOf(dlt);
        this.snaplen = snaplen;
        this.binary = (resolution & 0x80) != 0;
        this.exponent = resolution & 0x7F;
        this.offsetSeconds = offsetSeconds;
    }

    /** Tells whether an if_tsresol value is one we convert exactly: 10^-0..10^-18 or 2^-0..2^-63 s. */
    static boolean isValidResolution(int resolution) {
        return (resolution & 0x80) != 0 ? (resolution & 0x7F) <= 63 : resolution <= 18;
    }

    /**
     * Converts a timestamp.
     *
     * @param ticks the 64-bit timestamp, unsigned, in this interface's unit
     * @return nanoseconds since 1970, or -1 when the time is before 1970 or after 2262
     */
    long nanos(long ticks) {
        long seconds;
        long nanos;
        if (binary) {
            seconds = exponent == 0 ? ticks : ticks >>> exponent;
            long fraction = exponent == 0 ? 0 : ticks & ((1L << exponent) - 1);
            nanos = exponent <= 33 ? fraction * NANOS_PER_SECOND >>> exponent
                : (fraction >>> exponent - 33) * NANOS_PER_SECOND >>> 33;
        } else {
            long unitsPerSecond = POWERS_OF_TEN[exponent];
            seconds = Long.divideUnsigned(ticks, unitsPerSecond);
            long rest = Long.remainderUnsigned(ticks, unitsPerSecond);
            nanos = exponent <= 9 ? rest * POWERS_OF_TEN[9 - exponent] : rest / POWERS_OF_TEN[exponent - 9];
        }
        if (seconds < 0 || seconds > CaptureFile.MAX_SECONDS) {
            return -1;
        }
        seconds += offsetSeconds;
        if (seconds < 0 || seconds > CaptureFile.MAX_SECONDS) {
            return -1;
        }
        return seconds * NANOS_PER_SECOND + nanos;
    }

    /** Returns the unit for messages: e.g. "10^-6 s". */
    String unit() {
        return (binary ? "2^-" : "10^-") + exponent + " s";
    }

    int dlt() {
        return dlt;
    }

    LinkType linkType() {
        return linkType;
    }

    long snaplen() {
        return snaplen;
    }

    long offsetSeconds() {
        return offsetSeconds;
    }
}
