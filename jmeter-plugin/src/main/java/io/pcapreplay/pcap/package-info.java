/**
 * Reading capture files (pcap, pcapng through libpcap and pcap4j) into replayable TCP sessions.
 *
 * <p>{@link io.pcapreplay.pcap.CaptureReader} reads a file and returns a {@link io.pcapreplay.pcap.Capture}: its
 * {@link io.pcapreplay.pcap.RecordedSession}s (immutable, shared by every virtual user replaying them), each an
 * ordered list of {@link io.pcapreplay.pcap.Exchange}s (request bytes, recorded response bytes, think time), plus
 * totals and problems. Bad input raises a {@link io.pcapreplay.pcap.CaptureException} with a message naming the
 * file and what to do.
 */
package io.pcapreplay.pcap;
