package io.pcapreplay.cli;

import io.pcapreplay.net.CheckResult;
import io.pcapreplay.net.CheckStatus;
import io.pcapreplay.net.Preflight;
import io.pcapreplay.net.PreflightSettings;
import io.pcapreplay.net.TransportSpec;
import io.pcapreplay.pcap.Capture;
import io.pcapreplay.pcap.CaptureException;
import io.pcapreplay.pcap.CaptureOptions;
import io.pcapreplay.pcap.CaptureReader;
import io.pcapreplay.pcap.RecordedSession;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code doctor} command: the pre-flight checks of a replay's three roles ({@link Preflight}), one line per
 * check, the fixes of each warning and failure below it. Options are named like the sampler's properties.
 */
final class DoctorCommand {

    /** Exit code: a check failed. */
    static final int CHECK_FAILED = 3;

    private final PrintStream out;
    private final PrintStream err;
    private String target;
    private int targetPort;
    private String agent = "";
    private Path tokenFile;
    private String clientAddresses = "198.18.1.*";
    private TransportSpec transport = TransportSpec.RAW_IP;
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Path pcap;
    private int serverPort;

    DoctorCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        String problem;
        try {
            problem = parse(args);
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        if ("help".equals(problem)) {
            out.println(Main.USAGE);
            return Main.OK;
        }
        if (problem != null) {
            err.println(problem + "; run with --help");
            return Main.BAD_INPUT;
        }
        int recordedMss;
        try {
            recordedMss = recordedMss();
        } catch (CaptureException e) {
            err.println(e.getMessage());
            return Main.BAD_INPUT;
        }
        out.println("pcap-replay doctor: target " + target + ":" + targetPort + ", transport " + transport
            + (transport.kernel() ? "" : ", agent " + (agent.isBlank() ? "(none)" : agent) + ", client addresses "
                + clientAddresses));
        List<CheckResult> results = Preflight.run(new PreflightSettings(target, targetPort, agent, tokenFile,
            clientAddresses, transport, connectTimeout, recordedMss));
        Map<CheckStatus, Integer> counts = new EnumMap<>(CheckStatus.class);
        for (CheckResult result : results) {
            result.lines().forEach(out::println);
            counts.merge(result.status(), 1, Integer::sum);
        }
        out.println(String.format("%d OK, %d WARN, %d FAIL, %d SKIP", counts.getOrDefault(CheckStatus.OK, 0),
            counts.getOrDefault(CheckStatus.WARN, 0), counts.getOrDefault(CheckStatus.FAIL, 0),
            counts.getOrDefault(CheckStatus.SKIP, 0)));
        return Preflight.anyFailed(results) ? CHECK_FAILED : Main.OK;
    }

    /** Returns null when fine, "help" for --help, else an error message. */
    private String parse(String[] args) {
        for (int index = 0; index < args.length; index++) {
            String arg = args[index];
            if ("--help".equals(arg) || "-h".equals(arg)) {
                return "help";
            }
            String name = arg;
            String value;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            } else if (index + 1 < args.length) {
                value = args[++index];
            } else {
                return "argument " + arg + ": no value (expected: " + arg + " VALUE)";
            }
            String error = option(name, value);
            if (error != null) {
                return error;
            }
        }
        if (target == null) {
            return "target: none (expected: --target HOST:PORT, the server under test)";
        }
        if (targetPort == 0) {
            return "target port: none (expected: --target HOST:PORT or --target-port N)";
        }
        return null;
    }

    private String option(String name, String value) {
        switch (name) {
            case "--target" -> target(value);
            case "--target-port" -> targetPort = port("--target-port", value);
            case "--agent" -> agent = value.trim();
            case "--token-file" -> tokenFile = Path.of(value);
            case "--client-ips" -> clientAddresses = value.trim();
            case "--transport" -> transport = TransportSpec.parse(value);
            case "--connect-timeout" -> connectTimeout = Duration.ofMillis(milliseconds(value));
            case "--pcap" -> pcap = Path.of(value);
            case "--server-port" -> serverPort = port("--server-port", value);
            default -> {
                return "option: " + name + " (expected: --target, --target-port, --agent, --token-file, --client-ips, "
                    + "--transport, --connect-timeout, --pcap, --server-port or --help)";
            }
        }
        return null;
    }

    private void target(String value) {
        String text = value.trim();
        int colon = text.lastIndexOf(':');
        boolean bracketed = text.startsWith("[");
        if (bracketed) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("--target: " + value + " (expected: HOST:PORT or [IPV6]:PORT)");
            }
            target = text.substring(1, close);
            if (close + 1 < text.length()) {
                targetPort = port("--target", text.substring(close + 2));
            }
        } else if (colon > 0 && text.indexOf(':') == colon) {
            target = text.substring(0, colon);
            targetPort = port("--target", text.substring(colon + 1));
        } else {
            target = text;
        }
        if (target.isEmpty()) {
            throw new IllegalArgumentException("--target: " + value + " (expected: HOST:PORT)");
        }
    }

    private static int port(String option, String value) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + ": " + value + " (expected: a TCP port, 1 to 65535)");
    }

    private static long milliseconds(String value) {
        try {
            long millis = Long.parseLong(value.trim());
            if (millis >= 1 && millis <= 60_000) {
                return millis;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--connect-timeout: " + value + " (expected: milliseconds, 1 to 60000)");
    }

    /** Returns the largest MSS the recorded clients announced in their SYNs, -1 without a capture or SYN. */
    private int recordedMss() throws CaptureException {
        if (pcap == null) {
            return -1;
        }
        CaptureOptions options = CaptureOptions.defaults().withServerPort(serverPort > 0 ? serverPort : targetPort);
        Capture capture = new CaptureReader().read(pcap, options);
        capture.requireSessions(options);
        int mss = -1;
        for (RecordedSession session : capture.sessions()) {
            if (session.clientOptions() != null) {
                mss = Math.max(mss, session.clientOptions().mss());
            }
        }
        return mss;
    }

    /** Returns the usage text of this command. */
    static String usage() {
        return String.join(System.lineSeparator(),
            "doctor   Checks a replay's three roles before a test, one line per check (OK, WARN, FAIL, SKIP), with",
            "         what to run for each failure: raw socket permission, the agent (reachable, protocol version,",
            "         token), the assistant (forwarding off, what it captures), the target from this host, one probe",
            "         session (a SYN from a fake client, its SYN-ACK back through the agent), conntrack, MTU/MSS;",
            "         for transport kernel: the target and the host's limits (ports, open files). Run it on the",
            "         replayer host, as JMeter would run (root or CAP_NET_RAW for raw-ip and datalink).",
            "  --target HOST:PORT     the server under test ([IPV6]:PORT; or --target-port N)",
            "  --agent HOST[:PORT]    the intercept agent (port 36524 by default)",
            "  --token-file FILE      the agent's token file",
            "  --client-ips SPEC      the fake client addresses, as the sampler's (198.18.1.*)",
            "  --transport SPEC       raw-ip (default), datalink IFACE [NEXT_HOP_MAC [SOURCE_MAC]],",
            "                         kernel [ADDRESS ...]",
            "  --connect-timeout MS   how long the probe waits for the target's answer (2000)",
            "  --pcap FILE            a capture, for its recorded MSS (with --server-port N, else the target port)",
            "",
            "Exit status: 0 when no check failed (warnings allowed); 3 when a check failed; 2 on bad usage;",
            "1 on an internal error.");
    }
}
