package io.pcapreplay.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Entry point of the command line: {@code inspect} and {@code doctor}. Exit codes: 0 success, 2 bad input or usage
 * (message on stderr, no stack trace), 1 internal error, 3 a {@code doctor} check failed.
 */
public final class Main {

    /** Exit code: success. */
    public static final int OK = 0;
    /** Exit code: internal error. */
    public static final int INTERNAL_ERROR = 1;
    /** Exit code: bad input or usage. */
    public static final int BAD_INPUT = 2;

    static final String USAGE = String.join(System.lineSeparator(),
        "Usage: java -jar jmeter-plugin.jar inspect FILE [--port N] [--filter BPF] [--json] [limits]",
        "       java -jar jmeter-plugin.jar doctor --target HOST:PORT --agent HOST[:PORT] --token-file FILE \\",
        "           [--client-ips SPEC] [--transport SPEC] [--connect-timeout MS] [--pcap FILE [--server-port N]]",
        "",
        "inspect  Reads a capture (pcap or pcapng) and lists its TCP sessions as a replay would see them: client,",
        "         server, request/response exchanges, bytes, duration, close, problems; and the sessions left out",
        "         (request cut by the snapshot length, too large, open too long) with what to do.",
        "  FILE          the capture file",
        "  --port N      keep only sessions whose server port is N (like tcpburn -x)",
        "  --filter BPF  apply a libpcap filter first, e.g. --filter 'host 10.0.0.1 and tcp'",
        "  --json        print one JSON document instead of text",
        "  --help        print this help",
        "Limits (memory stays bounded whatever the file's size; the same as the JMeter properties pcapreplay.*):",
        "  --max-session-mib N    most MiB held for one session; a larger one is left out (default 64)",
        "  --max-open-sessions N  most sessions started and not yet complete; beyond, the oldest still open is left",
        "                         out (default 100000)",
        "  --max-window-mib N     most MiB held by those sessions, with the same rule (default 256)",
        "  --idle-seconds N       capture time after which a silent connection is complete (default 300)",
        "",
        "Exit status: 0 when sessions were found; 2 on bad input (missing or unreadable file, malformed record,",
        "unsupported link type, bad filter, no session to replay), with a message naming the file, the record and",
        "the field; 1 on an internal error.",
        "",
        DoctorCommand.usage());

    private Main() {
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err));
    }

    /**
     * Runs the command line.
     *
     * @param args the arguments
     * @param out standard output
     * @param err standard error
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("command: none (expected: inspect FILE ... or doctor --target HOST:PORT ...; run with --help)");
            return BAD_INPUT;
        }
        String command = args[0];
        if ("--help".equals(command) || "-h".equals(command) || "help".equals(command)) {
            out.println(USAGE);
            return OK;
        }
        if (!"inspect".equals(command) && !"doctor".equals(command)) {
            err.println("command: " + command + " (expected: inspect or doctor; run with --help)");
            return BAD_INPUT;
        }
        quietLogging();
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        try {
            return "doctor".equals(command) ? new DoctorCommand(out, err).run(rest)
                : new InspectCommand(out, err).run(rest);
        } catch (RuntimeException | LinkageError e) {
            err.println("internal error: " + e + " while running: " + String.join(" ", args) + " (expected: none; "
                + "please report it" + ("inspect".equals(command) ? " with the capture file)" : ")"));
            return INTERNAL_ERROR;
        }
    }

    /**
     * pcap4j logs through SLF4J 1.7, which prints a warning to stderr when no binding is on the class path (the
     * command line has none; JMeter has its own). Initialize SLF4J with stderr muted in that case.
     */
    static synchronized void quietLogging() {
        if (Main.class.getClassLoader().getResource("org/slf4j/impl/StaticLoggerBinder.class") != null) {
            return;
        }
        PrintStream original = System.err;
        System.setErr(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        try {
            org.slf4j.LoggerFactory.getILoggerFactory();
        } finally {
            System.setErr(original);
        }
    }
}
