package io.pcapreplay.pcap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads capture files (pcap with µs or ns timestamps, pcapng) in Java, in place, and reassembles their TCP
 * sessions; libpcap is used only to compile a BPF filter, once.
 *
 * <p>Who is the client of a connection: the sender of the SYN; without a SYN, the receiver of the SYN-ACK; without
 * either, the side whose port is not a chosen server port; without a chosen port, the side with the higher port
 * (ephemeral ports are higher than well-known ones), and on equal ports the side that sent the first captured
 * packet. Sessions with a server port other than the chosen ones are left out.
 *
 * <p>Exchanges are cut where the client sends data after the server did: consecutive client data is one request,
 * the server data that follows is its response (a pipelined request that overlaps a response ends up in the next
 * exchange). Data in a SYN (TCP Fast Open) is request data. Checksums are not checked (offload makes them wrong).
 *
 * <p>{@link #open(Path, CaptureOptions, SessionStream.LeftOutListener)} streams the sessions in bounded memory (what
 * a replay uses); {@link #read(Path, CaptureOptions)} collects them all. Thread-safe: each call reads with its own
 * state.
 */
public final class CaptureReader {

    /**
     * Opens a file as a stream of sessions in start order.
     *
     * @param file the capture file
     * @param options ports, filter, limits
     * @param listener receives each session left out for a reported reason (truncated, too large ...)
     * @return the stream (close it)
     * @throws CaptureException when the file is missing, empty, not a capture, of an unsupported link type, or the
     *     filter is invalid; later, {@link SessionStream#next()} throws for a malformed record
     */
    public CaptureSessionStream open(Path file, CaptureOptions options, SessionStream.LeftOutListener listener)
            throws CaptureException {
        return CaptureSessionStream.open(file, options, listener);
    }

    /**
     * Reads every session with the default options.
     *
     * @param file the capture file
     * @return the capture (possibly without sessions)
     * @throws CaptureException when the file cannot be read as a capture
     */
    public Capture read(Path file) throws CaptureException {
        return read(file, CaptureOptions.defaults());
    }

    /**
     * Reads the sessions selected by the options, all in memory. A file cut short within a record gives the
     * sessions read until then and a READ_ERROR problem.
     *
     * @param file the capture file
     * @param options ports, filter, limits
     * @return the capture (possibly without sessions: see {@link Capture#requireSessions(CaptureOptions)})
     * @throws CaptureException when the file is missing, empty, not a capture, of an unsupported link type, has a
     *     malformed record, or the filter is invalid
     */
    public Capture read(Path file, CaptureOptions options) throws CaptureException {
        List<LeftOutSession> leftOut = new ArrayList<>();
        try (CaptureSessionStream stream = open(file, options, leftOut::add)) {
            List<RecordedSession> sessions = new ArrayList<>();
            for (RecordedSession session = stream.next(); session != null; session = stream.next()) {
                sessions.add(session);
            }
            return new Capture(file, stream.linkType(), sessions, stream.totals(), stream.problems(), leftOut);
        }
    }

    /**
     * Reads the sessions, failing when there is none.
     *
     * @param file the capture file
     * @param options ports, filter, limits
     * @return at least one session
     * @throws CaptureException when the file cannot be read or holds no matching session
     */
    public List<RecordedSession> readSessions(Path file, CaptureOptions options) throws CaptureException {
        return read(file, options).requireSessions(options);
    }
}
