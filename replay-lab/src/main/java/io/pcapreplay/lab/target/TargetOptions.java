package io.pcapreplay.lab.target;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Command line options of {@link EmbeddedTarget#main}.
 *
 * @param httpPort the HTTP port (0: any free port)
 * @param echoPort the echo port (0: any free port)
 * @param bind the address to listen on (default: every address)
 * @param statsSeconds seconds between statistics lines
 */
record TargetOptions(int httpPort, int echoPort, InetAddress bind, int statsSeconds) {
    static final String USAGE = "usage: EmbeddedTarget --http-port N --echo-port N [--bind ADDR] [--stats-seconds N]";

    static TargetOptions parse(String... args) {
        int httpPort = 8080;
        int echoPort = 7007;
        InetAddress bind = null;
        int statsSeconds = 10;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + ": no value (expected: a value after it)");
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--http-port" -> httpPort = number(args[i], value, 0, 65535);
                case "--echo-port" -> echoPort = number(args[i], value, 0, 65535);
                case "--stats-seconds" -> statsSeconds = number(args[i], value, 1, 86400);
                case "--bind" -> bind = address(value);
                default -> throw new IllegalArgumentException("option: " + args[i]
                        + " (expected: --http-port, --echo-port, --bind or --stats-seconds)");
            }
        }
        return new TargetOptions(httpPort, echoPort, bind == null ? wildcard() : bind, statsSeconds);
    }

    private static int number(String option, String value, int min, int max) {
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("option " + option + ": " + value + " (expected: " + min + ".." + max + ")");
    }

    private static InetAddress address(String value) {
        if (!value.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("option --bind: " + value + " (expected: an IP address literal)");
        }
        try {
            return InetAddress.getByName(value);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("option --bind: " + value + " (expected: an IP address literal)", e);
        }
    }

    private static InetAddress wildcard() {
        return new java.net.InetSocketAddress(0).getAddress();
    }
}
