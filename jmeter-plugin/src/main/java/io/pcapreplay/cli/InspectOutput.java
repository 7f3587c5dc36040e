package io.pcapreplay.cli;

import io.pcapreplay.pcap.CaptureSessionStream;
import io.pcapreplay.pcap.CaptureTotals;
import io.pcapreplay.pcap.LeftOutReason;
import io.pcapreplay.pcap.LeftOutSession;
import io.pcapreplay.pcap.Problem;
import io.pcapreplay.pcap.RecordedSession;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code inspect} prints, written as the sessions come (a capture of any size, in bounded memory): text, one
 * line per session and per left-out session, then totals; or one JSON document, whose left-out sessions are listed
 * after the sessions (the first {@link #LISTED_LEFT_OUT}; all are counted in the totals).
 */
final class InspectOutput {

    /** Left-out sessions listed in a JSON document. */
    static final int LISTED_LEFT_OUT = 1000;

    private final PrintStream out;
    private final boolean json;
    private final JsonWriter writer = new JsonWriter();
    private final List<LeftOutSession> leftOut = new ArrayList<>();
    private long sessions;

    InspectOutput(PrintStream out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** Starts the output (at the first session: nothing is printed for a capture without any). */
    void begin(CaptureSessionStream stream) {
        if (json) {
            writer.beginObject().member("file", stream.source()).member("linkType", stream.linkType().displayName())
                .name("sessions").beginArray();
            writer.flushTo(out);
        } else {
            out.println("file " + stream.source() + ", link type " + stream.linkType().displayName());
        }
    }

    /** Prints one left-out session (text), or keeps it for the end (JSON). */
    void leftOut(LeftOutSession session) {
        if (!json) {
            out.println("left-out " + session.client() + " -> " + session.server() + " " + session.reason() + ": "
                + session.detail());
        } else if (leftOut.size() < LISTED_LEFT_OUT) {
            leftOut.add(session);
        }
    }

    void session(RecordedSession session) {
        sessions++;
        if (!json) {
            out.printf(Locale.ROOT, "%d %s -> %s exchanges=%d request=%d response=%d duration=%.3fms syn=%s close=%s "
                    + "problems=%s%n", sessions, session.client(), session.server(), session.exchangeCount(),
                session.requestBytes(), session.responseBytes(), session.durationNanos() / 1e6,
                session.synSeen() ? "yes" : "no", session.close().toString().replace(' ', '_'),
                kinds(session.problems()));
            return;
        }
        writer.beginObject()
            .member("client", session.client().toString())
            .member("server", session.server().toString())
            .member("exchanges", session.exchangeCount())
            .member("requestBytes", session.requestBytes())
            .member("responseBytes", session.responseBytes())
            .member("synSeen", session.synSeen())
            .member("durationMs", session.durationNanos() / 1e6)
            .member("close", session.close().kind().name())
            .member("closedBy", session.close().by().name())
            .name("problems");
        problems(session.problems());
        writer.endObject();
        writer.flushTo(out);
    }

    /** Ends with the totals and the problems of the file. */
    void end(CaptureTotals totals, List<Problem> problems) {
        if (json) {
            endJson(totals, problems);
            return;
        }
        out.printf(Locale.ROOT, "totals: sessions=%d request=%d response=%d connections=%d emptyConnections=%d "
                + "frames=%d tcpSegments=%d retransmittedBytes=%d truncatedFrames=%d%n", totals.sessions(),
            totals.requestBytes(), totals.responseBytes(), totals.connections(), totals.emptyConnections(),
            totals.frames(), totals.tcpSegments(), totals.retransmittedBytes(), totals.truncatedFrames());
        if (totals.leftOut().total() > 0 || totals.filteredFrames() > 0) {
            out.println("left out: " + totals.leftOut() + (totals.filteredFrames() > 0 ? "; " + totals.filteredFrames()
                + " frame(s) rejected by the filter" : ""));
        }
        for (Problem problem : problems) {
            out.println("problem: " + problem);
        }
    }

    private void endJson(CaptureTotals totals, List<Problem> problems) {
        writer.endArray().name("leftOut").beginArray();
        for (LeftOutSession session : leftOut) {
            writer.beginObject()
                .member("client", session.client().toString())
                .member("server", session.server().toString())
                .member("reason", session.reason().name())
                .member("detail", session.detail())
                .endObject();
        }
        writer.endArray().name("totals").beginObject()
            .member("sessions", totals.sessions())
            .member("requestBytes", totals.requestBytes())
            .member("responseBytes", totals.responseBytes())
            .member("connections", totals.connections())
            .member("emptyConnections", totals.emptyConnections())
            .member("frames", totals.frames())
            .member("tcpSegments", totals.tcpSegments())
            .member("otherPortSegments", totals.otherPortSegments())
            .member("nonIpFrames", totals.nonIpFrames())
            .member("nonTcpPackets", totals.nonTcpPackets())
            .member("malformedFrames", totals.malformedFrames())
            .member("retransmittedBytes", totals.retransmittedBytes())
            .member("truncatedFrames", totals.truncatedFrames())
            .member("filteredFrames", totals.filteredFrames())
            .name("leftOut").beginObject();
        for (LeftOutReason reason : LeftOutReason.values()) {
            writer.member(reason.name(), totals.leftOut().count(reason));
        }
        writer.endObject().endObject().name("problems");
        problems(problems);
        writer.endObject();
        writer.flushTo(out);
        out.println();
    }

    private void problems(List<Problem> problems) {
        writer.beginArray();
        for (Problem problem : problems) {
            writer.beginObject()
                .member("kind", problem.kind().name())
                .member("side", problem.side().name())
                .member("occurrences", problem.occurrences())
                .member("bytes", problem.bytes())
                .member("detail", problem.detail())
                .endObject();
        }
        writer.endArray();
    }

    private static String kinds(List<Problem> problems) {
        if (problems.isEmpty()) {
            return "none";
        }
        StringBuilder text = new StringBuilder();
        for (Problem problem : problems) {
            if (text.length() > 0) {
                text.append(',');
            }
            text.append(problem.kind());
            if (problem.bytes() > 0) {
                text.append('(').append(problem.side()).append(':').append(problem.bytes()).append("B)");
            }
        }
        return text.toString();
    }
}
