package io.pcapreplay.tcp;

/** Counters written by the event loop only (single writer), read by anyone through {@link EngineStats}. */
final class EngineCounters {
    volatile long started;
    volatile long completed;
    volatile int open;
    volatile int halfOpen;
    volatile long retransmissions;
    volatile long fastRetransmissions;
    /** Retransmission timers put off once because the loop was behind its input (see EngineLoop#onTimer). */
    volatile long deferredRetransmissions;
    /** How far the paced start schedule was pushed back (see EngineLoop#START_CATCH_UP_NANOS): ns. */
    volatile long startSlipNanos;
    volatile long packetsReceived;
    volatile long ignoredPackets;
    volatile long malformedPackets;
    volatile long outOfOrder;
    volatile long results;
    volatile long listenerErrors;
    volatile long loopErrors;
    /** First requests that left later than due, how late in all and at most (see ExchangeTracker): ns. */
    volatile long lateFirstRequests;
    volatile long firstRequestLateNanos;
    volatile long firstRequestLateMaxNanos;

    void firstRequestLate(long lateNanos) {
        lateFirstRequests++;
        firstRequestLateNanos += lateNanos;
        firstRequestLateMaxNanos = Math.max(firstRequestLateMaxNanos, lateNanos);
    }
}
