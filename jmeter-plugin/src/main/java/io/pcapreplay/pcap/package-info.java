/**
 * Reading capture files (pcap, pcapng through libpcap and pcap4j) into replayable TCP sessions.
 *
 * <p>{@link io.pcapreplay.pcap.CaptureReader} reads a file and returns a {@link io.pcapreplay.pcap.Capture}: its
 * {@link io.pcapreplay.pcap.RecordedSession}s (immutable, shared by every virtual user replaying them), each an
 * ordered list of {@link io.pcapreplay.pcap.Exchange}s (request bytes, recorded response bytes, think time), plus
 * totals and problems. Bad input raises a {@link io.pcapreplay.pcap.CaptureException} with a message naming the
 * file and what to do.
 *
 * <p>Rules, in short:
 * <ul>
 * <li>Client: the SYN sender; else the SYN-ACK receiver; else the side not on the chosen server port; else the
 * side with the higher port; on equal ports the first sender.</li>
 * <li>Exchanges: consecutive client data is a request, the server data after it its response; a server greeting
 * makes a first exchange with an empty request; SYN data (TCP Fast Open) is request data. Think time: from the end
 * of the previous response (first exchange: from the SYN-ACK, else the first packet) to the request's first
 * byte.</li>
 * <li>Bytes seen before (retransmissions, duplicate frames, overlaps) are dropped and counted; early segments are
 * buffered (4 MiB per direction by default). Lost bytes (GAP) are left out; bytes cut by the snaplen (TRUNCATED)
 * are replaced by zeros so lengths and exchange boundaries stay right. Both are session problems.</li>
 * <li>A connection without payload is not a session (counted as empty). A session without SYN is kept, with a
 * NO_SYN problem: the replay synthesizes the handshake.</li>
 * <li>pcapng files whose interfaces differ in link type or snaplen (libpcap refuses them) are read by a built-in
 * pcapng reader, each frame with its interface's link type (not with a BPF filter).</li>
 * </ul>
 */
package io.pcapreplay.pcap;
