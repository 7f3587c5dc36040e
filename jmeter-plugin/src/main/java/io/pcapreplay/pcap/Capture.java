package io.pcapreplay.pcap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything {@link CaptureReader#read(Path, CaptureOptions)} read from one file, collected in memory (small files,
 * tests, tools; a replay reads a {@link SessionStream} instead): the sessions in start order, totals, the sessions
 * left out and why, and the problems of the file itself (e.g. a file cut short: the sessions read before are kept).
 *
 * @param file the capture file
 * @param linkType the link type of the file (of its first interface for pcapng)
 * @param sessions the sessions, in start order
 * @param totals the counters
 * @param problems problems of the file (READ_ERROR, MALFORMED ...), empty when none
 * @param leftOut the sessions not kept for a reported reason (truncated, too large ...), in start order
 */
public record Capture(Path file, LinkType linkType, List<RecordedSession> sessions, CaptureTotals totals,
                      List<Problem> problems, List<LeftOutSession> leftOut) {

    /** Copies the lists. */
    public Capture {
        sessions = List.copyOf(sessions);
        problems = List.copyOf(problems);
        leftOut = List.copyOf(leftOut);
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
        throw new CaptureException(noSessionMessage(file.toString(), options, totals,
            leftOut.isEmpty() ? null : leftOut.get(0), problems));
    }

    /**
     * Explains why a capture gives no session to replay.
     *
     * @param source the file
     * @param options the options it was read with
     * @param totals its counters
     * @param firstLeftOut the first session left out for a reported reason, or null
     * @param problems the file's problems
     * @return {@code "TCP sessions in <file>...: none; <what was found> (expected: ...)"}
     */
    public static String noSessionMessage(String source, CaptureOptions options, CaptureTotals totals,
                                          LeftOutSession firstLeftOut, List<Problem> problems) {
        List<Integer> ports = options.serverPorts();
        String where = ports.isEmpty() ? "" : ports.size() == 1 ? " with server port " + ports.get(0)
            : " with server ports " + new ServerPorts(ports);
        String filtered = options.filter() != null ? " matching filter '" + options.filter() + "'" : "";
        LeftOutCounts counts = totals.leftOut();
        List<String> found = new ArrayList<>();
        if (counts.reported() > 0) {
            found.add(counts.reported() + " left out: " + describeReported(counts) + "; first: "
                + firstLeftOut.message());
        }
        if (totals.tcpSegments() == 0 && totals.otherPortSegments() == 0) {
            found.add("no TCP segment in " + totals.frames() + " frame(s)");
        }
        if (counts.count(LeftOutReason.NO_PAYLOAD) > 0) {
            found.add(counts.count(LeftOutReason.NO_PAYLOAD) + " TCP connection(s) without payload");
        }
        if (counts.count(LeftOutReason.OTHER_SERVER_PORT) > 0) {
            found.add(counts.count(LeftOutReason.OTHER_SERVER_PORT) + " connection(s) with payload whose server "
                + "port is another");
        }
        if (totals.otherPortSegments() > 0) {
            found.add(totals.otherPortSegments() + " TCP segment(s) on other ports");
        }
        if (totals.filteredFrames() > 0) {
            found.add(totals.filteredFrames() + " frame(s) rejected by the filter");
        }
        String reason = problems.isEmpty() ? "" : "; " + problems.get(0).detail();
        return "TCP sessions in " + source + where + filtered + ": none" + (counts.reported() > 0 ? " to replay" : "")
            + "; " + String.join(", ", found) + reason + " (expected: at least one TCP connection carrying payload; "
            + "check the file, --port and --filter)";
    }

    private static String describeReported(LeftOutCounts counts) {
        List<String> parts = new ArrayList<>();
        for (LeftOutReason reason : LeftOutReason.values()) {
            if (reason.isReported() && counts.count(reason) > 0) {
                parts.add(counts.count(reason) + " " + reason.description());
            }
        }
        return String.join(", ", parts);
    }
}
