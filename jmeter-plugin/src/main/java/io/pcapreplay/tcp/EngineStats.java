package io.pcapreplay.tcp;

/**
 * A snapshot of a {@link ReplayEngine}'s counters.
 *
 * @param openSessions sessions started and not finished (including those waiting for pacing)
 * @param halfOpen connections in SYN_SENT
 * @param started sessions whose SYN went out
 * @param completed sessions finished (any way)
 * @param results exchange results published
 * @param retransmissions segments sent again (RTO, fast retransmit, SYN retries)
 * @param fastRetransmissions retransmissions on three duplicate ACKs
 * @param packetsSent packets handed to the sender
 * @param sendCalls calls to the sender (one system call each: several packets when it takes batches)
 * @param packetsReceived packets taken from the agent's feed
 * @param inboundDrops packets dropped because the inbound queue was full
 * @param ignoredPackets packets for no open connection, or not TCP over IPv4
 * @param malformedPackets packets that failed to decode
 * @param outOfOrder response segments dropped because they arrived ahead of a gap
 * @param listenerErrors exceptions thrown by listeners
 * @param sendErrors packets the {@link PacketSender} failed to send (treated as lost)
 * @param loopErrors unexpected exceptions caught by the event-loop thread
 * @param halfOpenLimit the handshakes allowed in flight now (the automatic start window, or the configured cap)
 * @param halfOpenLimitLowest the smallest that limit was
 * @param startBackOffs how often the automatic start window was halved (unanswered SYNs)
 * @param deferredRetransmissions retransmission timers put off once because the loop was reading packets older
 *     than the timeout (behind its input: the answer could be among those not read yet)
 * @param startSlipNanos how far the start rate's schedule was pushed back, in ns: the loop was later than the starts
 *     it makes up (it could not keep up with the rate, or stalled), so those starts went out later instead of in a
 *     burst; 0 without a start rate
 * @param lateFirstRequests connections whose first request left later than due (the SYN-ACK on the wire plus the
 *     recorded think time): the replayer's delay, left out of the samples (see {@link ExchangeResult})
 * @param firstRequestLateNanos how late those requests were in all: ns
 * @param firstRequestLateMaxNanos the latest of them: ns
 */
public record EngineStats(int openSessions, int halfOpen, long started, long completed, long results,
                          long retransmissions, long fastRetransmissions, long packetsSent, long sendCalls,
                          long packetsReceived,
                          long inboundDrops, long ignoredPackets, long malformedPackets, long outOfOrder,
                          long listenerErrors, long sendErrors, long loopErrors, int halfOpenLimit,
                          int halfOpenLimitLowest, long startBackOffs, long deferredRetransmissions,
                          long startSlipNanos, long lateFirstRequests, long firstRequestLateNanos,
                          long firstRequestLateMaxNanos) {
}
