/**
 * Reading capture files (pcap, pcapng: in Java, in place; libpcap only compiles BPF filters) into replayable TCP
 * sessions, streamed in bounded memory.
 *
 * <p>{@link io.pcapreplay.pcap.CaptureReader#open} gives a {@link io.pcapreplay.pcap.SessionStream} of
 * {@link io.pcapreplay.pcap.RecordedSession}s in start order (immutable, shared by every virtual user replaying
 * them), each an ordered list of {@link io.pcapreplay.pcap.Exchange}s (request bytes, recorded response bytes, think
 * time), with totals, problems, and the sessions left out ({@link io.pcapreplay.pcap.LeftOutReason}, reported as
 * {@link io.pcapreplay.pcap.LeftOutSession}s); {@link io.pcapreplay.pcap.CaptureReader#read} collects a whole
 * {@link io.pcapreplay.pcap.Capture}. Bad input raises a {@link io.pcapreplay.pcap.CaptureException} naming the
 * file, the record or block, the field and what to do.
 *
 * <p>Rules, in short:
 * <ul>
 * <li>Client: the SYN sender; else the SYN-ACK receiver; else the side not on a chosen server port; else the
 * side with the higher port; on equal ports the first sender.</li>
 * <li>Exchanges: consecutive client data is a request, the server data after it its response; a server greeting
 * makes a first exchange with an empty request; SYN data (TCP Fast Open) is request data. Think time: from the end
 * of the previous response (first exchange: from the SYN-ACK, else the first packet) to the request's first
 * byte.</li>
 * <li>Bytes seen before (retransmissions, duplicate frames, overlaps) are dropped and counted; early segments are
 * buffered (4 MiB per direction by default). Lost bytes (GAP) are left out. A session whose requests were cut by the
 * snaplen is not replayed (TRUNCATED, left out); response bytes cut by it are zeros (a TRUNCATED problem).</li>
 * <li>A connection without payload is not a session (counted). A session without SYN is kept, with a NO_SYN
 * problem: the replay synthesizes the handshake.</li>
 * <li>Order and memory: a session is handed on once complete (closed, idle, end of file), never before an
 * earlier-started one; per-session and window limits ({@link io.pcapreplay.pcap.CaptureOptions}) leave out what
 * does not fit, counted and reported.</li>
 * <li>pcapng interfaces may differ in link type and snaplen: each frame is decoded and filtered with its
 * interface's link type.</li>
 * </ul>
 */
package io.pcapreplay.pcap;
