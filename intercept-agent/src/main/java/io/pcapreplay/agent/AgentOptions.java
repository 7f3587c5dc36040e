package io.pcapreplay.agent;

import io.pcapreplay.agent.capture.CaptureMethod;
import io.pcapreplay.agent.capture.CaptureSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's command line, parsed without a library. Option letters follow tcpcopy's intercept ({@code -i},
 * {@code -F}, {@code -p}, {@code -b}).
 *
 * @param devices capture devices
 * @param filter BPF filter
 * @param port TCP port for replayers
 * @param bindAddress local address to listen on
 * @param tokenFile file holding the shared secret
 * @param snaplen capture snap length
 * @param statsInterval period of the stats line (zero: only at exit)
 * @param bufferBytes kernel capture buffer per device
 * @param queueBytes outbound queue bound per replayer
 * @param queueTotalBytes bound of all replayers' queues together
 * @param heartbeatTimeout silence after which a replayer is closed
 * @param maxRanges most ranges per replayer
 * @param maxReplayers most replayers connected at once
 * @param maxHandshakes most connections not yet authenticated, in all
 * @param maxHandshakesPerAddress most connections not yet authenticated from one source address
 * @param captureMethod how packets are read from the kernel
 * @param batchPause the capture thread's pause after each batch it hands over
 * @param warmUp the longest the relay warm-up runs before the agent says it listens (zero: none)
 */
public record AgentOptions(List<String> devices, String filter, int port, InetAddress bindAddress, Path tokenFile,
        int snaplen, Duration statsInterval, int bufferBytes, long queueBytes, long queueTotalBytes,
        Duration heartbeatTimeout, int maxRanges, int maxReplayers, int maxHandshakes, int maxHandshakesPerAddress,
        CaptureMethod captureMethod, Duration batchPause, Duration warmUp) {

    /** The default capture filter: TCP to the conventional fake client ranges, IPv4 and IPv6. */
    public static final String DEFAULT_FILTER = "tcp and (dst net 198.18.0.0/15 or dst net 2001:2::/48)";

    /** intercept's default port. */
    public static final int DEFAULT_PORT = 36524;

    private static final int MIB = 1 << 20;
    private static final List<String> KNOWN = List.of("-i", "--interface", "-F", "--filter", "-p", "--port", "-b",
            "--bind", "--token-file", "--snaplen", "--stats-interval", "--buffer-mib", "--queue-mib",
            "--queue-total-mib", "--heartbeat-timeout", "--max-ranges", "--max-replayers", "--max-handshakes",
            "--max-handshakes-per-address", "--capture", "--batch-pause-us", "--warm-up-ms");
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])";

    /** @return the address and port to listen on */
    public InetSocketAddress listenAddress() {
        return new InetSocketAddress(bindAddress, port);
    }

    /**
     * @param args the command line
     * @return the options
     * @throws UsageException on a bad or missing option, with what is wrong and the expected form
     */
    public static AgentOptions parse(String... args) throws UsageException {
        Builder builder = new Builder();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                value = arg.substring(equals + 1);
                arg = arg.substring(0, equals);
            }
            if (arg.equals("-h") || arg.equals("--help") || arg.equals("-v") || arg.equals("--version")) {
                throw new UsageException(arg, "");
            }
            Builder.requireKnown(arg);
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(null, "option " + arg + ": missing value (expected: " + arg
                            + " VALUE; see --help)");
                }
                value = args[++i];
            }
            builder.set(arg, value);
        }
        return builder.build();
    }

    /** Collects option values. */
    private static final class Builder {
        private List<String> devices;
        private String filter = DEFAULT_FILTER;
        private int port = DEFAULT_PORT;
        private InetAddress bindAddress;
        private Path tokenFile;
        private int snaplen = 65_535;
        private int statsSeconds = 10;
        private int bufferMib = 32;
        private int queueMib = 64;
        private int queueTotalMib = 256;
        private int heartbeatSeconds = 30;
        private int maxRanges = 1024;
        private int maxReplayers = 64;
        private int maxHandshakes = 64;
        private int maxHandshakesPerAddress = 8;
        private CaptureMethod captureMethod = CaptureMethod.RING;
        private Duration batchPause = CaptureSettings.DEFAULT_BATCH_PAUSE;
        private Duration warmUp = Duration.ofMillis(3_000);

        static void requireKnown(String option) throws UsageException {
            if (!KNOWN.contains(option)) {
                throw new UsageException(null, "option: '" + option + "' is unknown (expected: one of -i -F -p -b "
                        + "--token-file --snaplen --stats-interval --buffer-mib --queue-mib --queue-total-mib "
                        + "--heartbeat-timeout --max-ranges --max-replayers --max-handshakes "
                        + "--max-handshakes-per-address --capture --batch-pause-us --warm-up-ms --help)");
            }
        }

        void set(String option, String value) throws UsageException {
            switch (option) {
                case "-i", "--interface" -> devices = devices(value);
                case "-F", "--filter" -> filter = nonBlank(option, value);
                case "-p", "--port" -> port = number(option, value, 1, 65_535);
                case "-b", "--bind" -> bindAddress = address(option, value);
                case "--token-file" -> tokenFile = Path.of(nonBlank(option, value));
                case "--snaplen" -> snaplen = number(option, value, 68, 262_144);
                case "--stats-interval" -> statsSeconds = number(option, value, 0, 86_400);
                case "--buffer-mib" -> bufferMib = number(option, value, 1, 2047);
                case "--queue-mib" -> queueMib = number(option, value, 1, 65_536);
                case "--queue-total-mib" -> queueTotalMib = number(option, value, 1, 65_536);
                case "--heartbeat-timeout" -> heartbeatSeconds = number(option, value, 1, 3600);
                case "--max-ranges" -> maxRanges = number(option, value, 1, 1_000_000);
                case "--max-replayers" -> maxReplayers = number(option, value, 1, 10_000);
                case "--max-handshakes" -> maxHandshakes = number(option, value, 1, 100_000);
                case "--max-handshakes-per-address" -> maxHandshakesPerAddress = number(option, value, 1, 100_000);
                case "--capture" -> captureMethod = captureMethod(value);
                case "--batch-pause-us" -> batchPause = Duration.ofNanos(number(option, value, 0, 10_000) * 1000L);
                case "--warm-up-ms" -> warmUp = Duration.ofMillis(number(option, value, 0, 60_000));
                default -> requireKnown(option);
            }
        }

        AgentOptions build() throws UsageException {
            if (devices == null) {
                throw new UsageException(null, "option -i: missing (expected: -i DEV[,DEV], e.g. -i eth0 or -i any)");
            }
            if (tokenFile == null) {
                throw new UsageException(null, "option --token-file: missing (expected: --token-file FILE holding "
                        + "the secret the replayers present)");
            }
            InetAddress bind = bindAddress != null ? bindAddress : address("-b", "0.0.0.0");
            return new AgentOptions(devices, filter, port, bind, tokenFile, snaplen,
                    Duration.ofSeconds(statsSeconds), bufferMib * MIB, (long) queueMib * MIB,
                    (long) Math.max(queueMib, queueTotalMib) * MIB, Duration.ofSeconds(heartbeatSeconds), maxRanges,
                    maxReplayers, maxHandshakes,
                    Math.min(maxHandshakes, maxHandshakesPerAddress), captureMethod, batchPause, warmUp);
        }

        private static List<String> devices(String value) throws UsageException {
            List<String> names = new ArrayList<>();
            for (String name : value.split(",", -1)) {
                if (!name.matches("[A-Za-z0-9_.:@-]{1,64}")) {
                    throw new UsageException(null, "option -i: device '" + name + "' (expected: DEV[,DEV] with "
                            + "interface names such as eth0, veth-a or any)");
                }
                if (names.contains(name)) {
                    throw new UsageException(null, "option -i: device '" + name + "' listed twice (expected: each "
                            + "device once; two captures of one device would deliver every packet twice)");
                }
                names.add(name);
            }
            if (names.size() > 1 && names.contains("any")) {
                throw new UsageException(null, "option -i: 'any' with other devices " + names + " (expected: 'any' "
                        + "alone, it already captures on every device, or a list of devices without it)");
            }
            return List.copyOf(names);
        }

        private static CaptureMethod captureMethod(String value) throws UsageException {
            CaptureMethod method = CaptureMethod.parse(value);
            if (method == null) {
                throw new UsageException(null, "option --capture: '" + value + "' (expected: ring or pcap)");
            }
            return method;
        }

        private static String nonBlank(String option, String value) throws UsageException {
            if (value.isBlank()) {
                throw new UsageException(null, "option " + option + ": empty (expected: a value)");
            }
            return value;
        }

        private static int number(String option, String value, int min, int max) throws UsageException {
            try {
                int number = Integer.parseInt(value.trim());
                if (number >= min && number <= max) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new UsageException(null, "option " + option + ": '" + value + "' (expected: a number " + min + ".."
                    + max + ")");
        }

        private static InetAddress address(String option, String value) throws UsageException {
            boolean ipv4 = value.matches(OCTET + "(\\." + OCTET + "){3}");
            boolean ipv6 = value.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
            if (ipv4 || ipv6) {
                try {
                    return InetAddress.getByName(value);
                } catch (UnknownHostException e) {
                    // reported below
                }
            }
            throw new UsageException(null, "option " + option + ": '" + value + "' (expected: a literal local IP "
                    + "address, e.g. 0.0.0.0, 198.19.0.2 or ::)");
        }
    }

    /** The command line is wrong, or asks for help/version ({@link #request()} non-null). */
    public static final class UsageException extends Exception {

        private static final long serialVersionUID = 1L;

        private final String request;

        UsageException(String request, String message) {
            super(message);
            this.request = request;
        }

        /** @return "-h"/"--help"/"-v"/"--version" when help or version was asked for, else null */
        public String request() {
            return request;
        }
    }
}
