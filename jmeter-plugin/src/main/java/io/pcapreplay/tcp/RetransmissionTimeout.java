package io.pcapreplay.tcp;

/**
  * RFC 6298 retransmission-timeout arithmetic on a connection's three int fields (microseconds), kept as static
  * functions so the per-connection state stays primitive: {@code srtt}, {@code rttVariance} and {@code rto}.
  *
  * <p>Before the first sample {@code srtt} is 0 and the RTO is the initial one (1 s, RFC 6298 2.1). The first
  * sample sets SRTT = R and RTTVAR = R/2; later ones use alpha = 1/8 and beta = 1/4. RTO = SRTT + max(G, 4 RTTVAR),
  * clamped to [minimum, maximum]; each expiry doubles it (back-off) up to the maximum.
  */
public final class RetransmissionTimeout {

    /** Initial RTO before any RTT sample: 1 second (RFC 6298 2.1). */
    public static final int INITIAL_MICROS = 1_000_000;
    /** Lower bound: Linux uses 200 ms where RFC 6298 says 1 s; a replayer must not be slower than the client. */
    public static final int DEFAULT_MINIMUM_MICROS = 200_000;
    /** Upper bound: 60 s (RFC 6298 2.5 allows a maximum of at least 60 s). */
    public static final int DEFAULT_MAXIMUM_MICROS = 60_000_000;
    /** Clock granularity G of the engine's timer wheel. */
    public static final int GRANULARITY_MICROS = 1_000;

    private RetransmissionTimeout() {
    }

    /** The new smoothed RTT after a sample (microseconds); {@code srtt == 0} means no sample yet. */
    public static int smoothedRtt(int srtt, int sample) {
        if (srtt == 0) {
            return Math.max(1, sample);
        }
        return Math.max(1, srtt + ((sample - srtt) >> 3));
    }

    /** The new RTT variance after a sample; call with the SRTT from before the sample. */
    public static int rttVariance(int srtt, int rttVariance, int sample) {
        if (srtt == 0) {
            return sample / 2;
        }
        return rttVariance + ((Math.abs(srtt - sample) - rttVariance) >> 2);
    }

    /** RTO = SRTT + max(G, 4 * RTTVAR), clamped. */
    public static int timeout(int srtt, int rttVariance, int minimum, int maximum) {
        long value = (long) srtt + Math.max(GRANULARITY_MICROS, 4L * rttVariance);
        return (int) Math.max(minimum, Math.min(maximum, value));
    }

    /** The RTO after an expiry: doubled, at most {@code maximum} (RFC 6298 5.5). */
    public static int backOff(int rto, int maximum) {
        return (int) Math.min(maximum, 2L * rto);
    }
}
