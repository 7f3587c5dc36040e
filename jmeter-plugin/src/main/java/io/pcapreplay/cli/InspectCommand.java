package io.pcapreplay.cli;

import io.pcapreplay.pcap.Capture;
import io.pcapreplay.pcap.CaptureException;
import io.pcapreplay.pcap.CaptureOptions;
import io.pcapreplay.pcap.CaptureReader;
import io.pcapreplay.pcap.CaptureTotals;
import io.pcapreplay.pcap.Problem;
import io.pcapreplay.pcap.RecordedSession;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

/** The {@code inspect} command: lists the sessions of a capture, as text or JSON. */
final class InspectCommand {

    private final PrintStream out;
    private final PrintStream err;
    private String file;
    private int port;
    private String filter;
    private boolean json;

    InspectCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        String problem = parse(args);
        if ("help".equals(problem)) {
            out.println(Main.USAGE);
            return Main.OK;
        }
        if (problem != null) {
            err.println(problem + "; run with --help");
            return Main.BAD_INPUT;
        }
        CaptureOptions options = CaptureOptions.defaults().withServerPort(port).withFilter(filter);
        Path path = Paths.get(file);
        Capture capture;
        try {
            capture = new CaptureReader().read(path, options);
            capture.requireSessions(options);
        } catch (CaptureException e) {
            err.println(e.getMessage());
            return Main.BAD_INPUT;
        }
        out.println(json ? toJson(capture) : toText(capture));
        return Main.OK;
    }

    /** Returns null when fine, "help" for --help, else an error message. */
    private String parse(String[] args) {
        for (int index = 0; index < args.length; index++) {
            String arg = args[index];
            if ("--help".equals(arg) || "-h".equals(arg)) {
                return "help";
            } else if ("--json".equals(arg)) {
                json = true;
            } else if ("--port".equals(arg) || "--filter".equals(arg)) {
                if (index + 1 >= args.length) {
                    return "argument " + arg + ": no value (expected: " + arg + " VALUE)";
                }
                String error = option(arg, args[++index]);
                if (error != null) {
                    return error;
                }
            } else if (arg.startsWith("--port=") || arg.startsWith("--filter=")) {
                int equals = arg.indexOf('=');
                String error = option(arg.substring(0, equals), arg.substring(equals + 1));
                if (error != null) {
                    return error;
                }
            } else if (arg.startsWith("-") && arg.length() > 1) {
                return "option: " + arg + " (expected: --port, --filter, --json or --help)";
            } else if (file == null) {
                file = arg;
            } else {
                return "argument: " + arg + " (expected: one capture file, already given: " + file + ")";
            }
        }
        return file == null ? "capture file: none (expected: inspect FILE)" : null;
    }

    private String option(String name, String value) {
        if ("--filter".equals(name)) {
            filter = value;
            return null;
        }
        try {
            port = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            port = -1;
        }
        return port >= 1 && port <= 0xFFFF ? null : "--port: " + value + " (expected: a TCP port, 1 to 65535)";
    }

    static String toText(Capture capture) {
        StringBuilder text = new StringBuilder();
        text.append("file ").append(capture.file()).append(", link type ").append(capture.linkType().displayName())
            .append(System.lineSeparator());
        int number = 0;
        for (RecordedSession session : capture.sessions()) {
            number++;
            text.append(String.format(Locale.ROOT, "%d %s -> %s exchanges=%d request=%d response=%d "
                    + "duration=%.3fms syn=%s close=%s problems=%s%n", number, session.client(), session.server(),
                session.exchangeCount(), session.requestBytes(), session.responseBytes(),
                session.durationNanos() / 1e6, session.synSeen() ? "yes" : "no",
                session.close().toString().replace(' ', '_'), kinds(session.problems())));
        }
        CaptureTotals totals = capture.totals();
        text.append(String.format(Locale.ROOT, "totals: sessions=%d request=%d response=%d connections=%d "
                + "emptyConnections=%d frames=%d tcpSegments=%d retransmittedBytes=%d truncatedFrames=%d",
            totals.sessions(), totals.requestBytes(), totals.responseBytes(), totals.connections(),
            totals.emptyConnections(), totals.frames(), totals.tcpSegments(), totals.retransmittedBytes(),
            totals.truncatedFrames()));
        for (Problem problem : capture.problems()) {
            text.append(System.lineSeparator()).append("problem: ").append(problem);
        }
        return text.toString();
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

    static String toJson(Capture capture) {
        JsonWriter json = new JsonWriter().beginObject()
            .member("file", capture.file().toString())
            .member("linkType", capture.linkType().displayName())
            .name("sessions").beginArray();
        for (RecordedSession session : capture.sessions()) {
            json.beginObject()
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
            problems(json, session.problems());
            json.endObject();
        }
        CaptureTotals totals = capture.totals();
        json.endArray().name("totals").beginObject()
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
            .endObject()
            .name("problems");
        problems(json, capture.problems());
        return json.endObject().toString();
    }

    private static void problems(JsonWriter json, List<Problem> problems) {
        json.beginArray();
        for (Problem problem : problems) {
            json.beginObject()
                .member("kind", problem.kind().name())
                .member("side", problem.side().name())
                .member("occurrences", problem.occurrences())
                .member("bytes", problem.bytes())
                .member("detail", problem.detail())
                .endObject();
        }
        json.endArray();
    }
}
