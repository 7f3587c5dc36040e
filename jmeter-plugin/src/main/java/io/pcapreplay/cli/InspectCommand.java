package io.pcapreplay.cli;

import io.pcapreplay.pcap.CaptureException;
import io.pcapreplay.pcap.CaptureOptions;
import io.pcapreplay.pcap.CaptureReader;
import io.pcapreplay.pcap.CaptureSessionStream;
import io.pcapreplay.pcap.LeftOutSession;
import io.pcapreplay.pcap.RecordedSession;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code inspect} command: lists the sessions of a capture, as text or JSON, as they are read (bounded memory
 * whatever the file's size). Sessions left out (client payload cut by the snaplen, too large ...) are listed with
 * the reason and what to do; a capture that leaves nothing to replay is bad input (exit 2).
 */
final class InspectCommand {

    /** Left-out sessions held before the first session is printed (the rest are counted only). */
    private static final int HELD_LEFT_OUT = 1000;

    private final PrintStream out;
    private final PrintStream err;
    private String file;
    private int port;
    private String filter;
    private boolean json;
    private CaptureOptions limits = CaptureOptions.defaults();

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
        CaptureOptions options = limits.withServerPort(port).withFilter(filter);
        Path path = Paths.get(file);
        InspectOutput output = new InspectOutput(out, json);
        List<LeftOutSession> held = new ArrayList<>();
        boolean[] begun = {false};
        try (CaptureSessionStream stream = new CaptureReader().open(path, options, session -> {
            if (begun[0]) {
                output.leftOut(session);
            } else if (held.size() < HELD_LEFT_OUT) {
                held.add(session);
            }
        })) {
            for (RecordedSession session = stream.next(); session != null; session = stream.next()) {
                if (!begun[0]) {
                    begun[0] = true;
                    output.begin(stream);
                    held.forEach(output::leftOut);
                    held.clear();
                }
                output.session(session);
            }
            if (!begun[0]) {
                err.println(stream.explainNoSession());
                return Main.BAD_INPUT;
            }
            output.end(stream.totals(), stream.problems());
            return Main.OK;
        } catch (CaptureException e) {
            out.flush();
            err.println(e.getMessage());
            return Main.BAD_INPUT;
        }
    }

    /** Returns null when fine, "help" for --help, else an error message. */
    private String parse(String[] args) {
        for (int index = 0; index < args.length; index++) {
            String arg = args[index];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if ("--help".equals(arg) || "-h".equals(arg)) {
                return "help";
            } else if ("--json".equals(arg)) {
                json = true;
            } else if (takesValue(name)) {
                String value;
                if (arg.contains("=")) {
                    value = arg.substring(arg.indexOf('=') + 1);
                } else if (index + 1 >= args.length) {
                    return "argument " + arg + ": no value (expected: " + arg + " VALUE)";
                } else {
                    value = args[++index];
                }
                String error = option(name, value);
                if (error != null) {
                    return error;
                }
            } else if (arg.startsWith("-") && arg.length() > 1) {
                return "option: " + arg + " (expected: --port, --filter, --json, --max-session-mib, "
                    + "--max-open-sessions, --max-window-mib, --idle-seconds or --help)";
            } else if (file == null) {
                file = arg;
            } else {
                return "argument: " + arg + " (expected: one capture file, already given: " + file + ")";
            }
        }
        return file == null ? "capture file: none (expected: inspect FILE)" : null;
    }

    private static boolean takesValue(String name) {
        return List.of("--port", "--filter", "--max-session-mib", "--max-open-sessions", "--max-window-mib",
            "--idle-seconds").contains(name);
    }

    private String option(String name, String value) {
        if ("--filter".equals(name)) {
            filter = value;
            return null;
        }
        long number;
        try {
            number = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            number = -1;
        }
        switch (name) {
            case "--port":
                port = (int) Math.max(-1, Math.min(number, Integer.MAX_VALUE));
                return number >= 1 && number <= 0xFFFF ? null : "--port: " + value + " (expected: a TCP port, 1 to "
                    + "65535)";
            case "--max-open-sessions":
                if (number < 1 || number > Integer.MAX_VALUE) {
                    return name + ": " + value + " (expected: a whole number from 1 to " + Integer.MAX_VALUE + ")";
                }
                limits = limits.withLimits(limits.maxSessionBytes(), (int) number, limits.maxWindowBytes());
                return null;
            case "--idle-seconds":
                if (number < 1 || number > 1L << 30) {
                    return name + ": " + value + " (expected: a whole number of seconds from 1 to " + (1L << 30) + ")";
                }
                limits = limits.withIdleTimeout(Duration.ofSeconds(number));
                return null;
            default:
                long most = "--max-session-mib".equals(name) ? CaptureOptions.MOST_SESSION_BYTES >> 20 : 1 << 20;
                if (number < 1 || number > most) {
                    return name + ": " + value + " (expected: a whole number of MiB from 1 to " + most + ")";
                }
                limits = "--max-session-mib".equals(name)
                    ? limits.withLimits(number << 20, limits.maxOpenSessions(), limits.maxWindowBytes())
                    : limits.withLimits(limits.maxSessionBytes(), limits.maxOpenSessions(), number << 20);
                return null;
        }
    }
}
