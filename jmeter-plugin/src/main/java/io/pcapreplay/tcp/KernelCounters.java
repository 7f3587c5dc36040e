package io.pcapreplay.tcp;

/** Counters written by one {@link KernelLoop} only (single writer), read by anyone through {@link KernelStats}. */
final class KernelCounters {
    volatile int open;
    volatile int connecting;
    volatile long started;
    volatile long completed;
    volatile long results;
    volatile long localLimits;
    volatile long listenerErrors;
    volatile long loopErrors;
}
