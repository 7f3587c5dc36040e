package io.pcapreplay.pcap;

/**
 * Counters of a whole capture.
 *
 * @param frames frames read
 * @param nonIpFrames frames without IPv4/IPv6 (ARP, other protocols)
 * @param nonTcpPackets IP packets that are not whole TCP segments (UDP, ICMP, IP fragments ...)
 * @param malformedFrames frames whose IP/TCP headers are malformed (skipped)
 * @param tcpSegments TCP segments read
 * @param otherPortSegments TCP segments skipped because neither port is a chosen server port
 * @param connections TCP connections seen (with or without payload)
 * @param emptyConnections connections without any payload byte (not sessions)
 * @param sessions sessions kept
 * @param requestBytes request bytes of the sessions kept
 * @param responseBytes response bytes of the sessions kept
 * @param retransmittedBytes payload bytes dropped as already seen, in the sessions kept
 * @param truncatedFrames frames cut by the snaplen (captured length &lt; wire length)
 * @param filteredFrames frames the BPF filter rejected
 * @param leftOut connections not kept as sessions, by reason ({@code connections = sessions + leftOut.total()} once
 *     the whole capture was read)
 */
public record CaptureTotals(long frames, long nonIpFrames, long nonTcpPackets, long malformedFrames,
                            long tcpSegments, long otherPortSegments, long connections, long emptyConnections,
                            long sessions, long requestBytes, long responseBytes, long retransmittedBytes,
                            long truncatedFrames, long filteredFrames, LeftOutCounts leftOut) {
}
