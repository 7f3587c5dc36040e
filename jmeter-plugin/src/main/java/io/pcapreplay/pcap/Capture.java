package io.pcapreplay.pcap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link CaptureReader} read from one file: the sessions in order of their first packet, totals, and the
 * problems of the file itself (e.g. libpcap stopping before the end: the sessions read before are kept).
 *
 * @param file the capture file
 * @param linkType the link type of the file (of its first interface for pcapng)
 * @param sessions the sessions, ordered by start time
 * @param totals the counters
 * @param problems problems of the file (READ_ERROR, MALFORMED), empty when none
 */
public record Capture(Path file, LinkType linkType, List<RecordedSession> sessions, CaptureTotals totals,
                      List<Problem> problems) {

    /** Copies the lists. */
    public Capture {
        sessions = List.copyOf(sessions);
        problems = List.copyOf(problems);
    }

    /**
     * Returns the sessions, or fails when there is none.
     *
     * @param options the options the capture was read with (named in the message)
     * @return the sessions, at least one
     * @throws CaptureException when no session was found
     */
    public List<RecordedSession> requireSessions(CaptureOptions options) throws CaptureException {
        if (!sessions.isEmpty()) {
            return sessions;
        }
        String where = options.serverPort() > 0 ? " with server port " + options.serverPort() : "";
        String filtered = options.filter() != null ? " matching filter '" + options.filter() + "'" : "";
        long otherServerPorts = totals.connections() - totals.emptyConnections() - totals.sessions();
        List<String> found = new ArrayList<>();
        if (totals.tcpSegments() == 0 && totals.otherPortSegments() == 0) {
            found.add("no TCP segment in " + totals.frames() + " frame(s)");
        }
        if (totals.emptyConnections() > 0) {
            found.add(totals.emptyConnections() + " TCP connection(s) without payload");
        }
        if (otherServerPorts > 0) {
            found.add(otherServerPorts + " connection(s) with payload whose server port is another");
        }
        if (totals.otherPortSegments() > 0) {
            found.add(totals.otherPortSegments() + " TCP segment(s) on other ports");
        }
        String reason = problems.isEmpty() ? "" : "; " + problems.get(0).detail();
        throw new CaptureException("TCP sessions in " + file + where + filtered + ": none; " + String.join(", ", found)
            + reason
            + " (expected: at least one TCP connection carrying payload; check the file, --port and --filter)");
    }
}
