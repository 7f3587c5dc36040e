package io.pcapreplay.tcp;

/**
 * A snapshot of a {@link KernelReplayer}'s counters, summed over its loops.
 *
 * @param openSessions sessions started and not finished (including those waiting for pacing)
 * @param connecting sockets whose connect() has not finished yet (the half-open ones)
 * @param started sessions whose socket was opened
 * @param completed sessions finished (any way)
 * @param results exchange results published
 * @param localLimits sessions that failed for lack of a local resource ({@link Outcome#LOCAL_LIMIT}: no free port,
 *     no file descriptor, no socket buffers)
 * @param listenerErrors exceptions thrown by listeners
 * @param loopErrors unexpected exceptions caught by the loop threads
 */
public record KernelStats(int openSessions, int connecting, long started, long completed, long results,
                          long localLimits, long listenerErrors, long loopErrors) {

    /** Returns the sum of two snapshots: the sum. */
    KernelStats plus(KernelStats other) {
        return new KernelStats(openSessions + other.openSessions, connecting + other.connecting,
            started + other.started, completed + other.completed, results + other.results,
            localLimits + other.localLimits, listenerErrors + other.listenerErrors, loopErrors + other.loopErrors);
    }
}
