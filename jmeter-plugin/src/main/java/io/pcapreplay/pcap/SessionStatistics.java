package io.pcapreplay.pcap;

/**
 * Counters of one recorded connection. Retransmissions and out-of-order segments are normal and not problems.
 *
 * @param segments TCP segments seen (both directions)
 * @param retransmittedSegments segments whose every byte had been seen before (retransmissions, duplicate frames)
 * @param retransmittedBytes payload bytes dropped because already seen (whole or overlapping segments)
 * @param outOfOrderSegments segments that arrived before the bytes preceding them, and were buffered
 */
public record SessionStatistics(long segments, long retransmittedSegments, long retransmittedBytes,
                                long outOfOrderSegments) {
}
