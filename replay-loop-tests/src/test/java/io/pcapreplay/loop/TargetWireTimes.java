package io.pcapreplay.loop;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ground truth of a replay's timing, as the target's kernel saw it: from a tcpdump on the target ({@code -i any},
 * so the SYNs from the client link and the answers leaving on the assistant link are in one capture, on one clock),
 * per fake client connection the time its SYN arrived, its SYN-ACK left, its first request byte arrived and its first
 * response byte left.
 */
final class TargetWireTimes {

    private static final Pattern LINE = Pattern.compile("^(\\d+)\\.(\\d{6}) .*?IP (\\d+\\.\\d+\\.\\d+\\.\\d+)\\.(\\d+)"
        + " > (\\d+\\.\\d+\\.\\d+\\.\\d+)\\.(\\d+): Flags \\[([^\\]]*)\\].*length (\\d+)");

    /**
     * One connection's events, nanoseconds since the epoch (microsecond resolution); -1 when not seen.
     *
     * @param client the fake client, address.port
     * @param synNanos the first SYN arrived
     * @param synAckNanos the first SYN-ACK left
     * @param requestNanos the first request byte arrived
     * @param firstDataNanos the first response byte left
     */
    record Connection(String client, long synNanos, long synAckNanos, long requestNanos, long firstDataNanos) {

        /** @return SYN to SYN-ACK, or -1 */
        long connectNanos() {
            return synNanos >= 0 && synAckNanos >= 0 ? synAckNanos - synNanos : -1;
        }

        /** @return SYN to first response byte, or -1 */
        long latencyNanos() {
            return synNanos >= 0 && firstDataNanos >= 0 ? firstDataNanos - synNanos : -1;
        }

        /**
         * @param thinkNanos the client's recorded time between the handshake and its request
         * @return SYN to first response byte without the client's delay beyond that think time (between SYN-ACK and
         *     request), or -1
         */
        long serverLatencyNanos(long thinkNanos) {
            if (latencyNanos() < 0 || synAckNanos < 0 || requestNanos < 0) {
                return -1;
            }
            return latencyNanos() - Math.max(0, requestNanos - synAckNanos - thinkNanos);
        }
    }

    private TargetWireTimes() {
    }

    /**
     * @param lab the lab
     * @param capture a stopped capture on the target
     * @param serverPort the server's port
     * @param clientPrefix the fake clients' address prefix, e.g. "198.18.41."
     * @return one entry per connection from those clients, in order of their SYN
     */
    static List<Connection> read(Lab lab, LabCapture capture, int serverPort, String clientPrefix) {
        List<String> lines = List.of(lab.target().exec(Duration.ofSeconds(60), "tcpdump", "-nn", "-tt", "-r",
            capture.file().toString(), "tcp port " + serverPort).orThrow().stdout().split("\n"));
        Map<String, long[]> events = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher match = LINE.matcher(line);
            if (!match.find()) {
                continue;
            }
            long nanos = Long.parseLong(match.group(1)) * 1_000_000_000L + Long.parseLong(match.group(2)) * 1_000L;
            String source = match.group(3) + "." + match.group(4);
            String destination = match.group(5) + "." + match.group(6);
            String flags = match.group(7);
            int length = Integer.parseInt(match.group(8));
            boolean fromClient = source.startsWith(clientPrefix) && match.group(6).equals(Integer.toString(serverPort));
            boolean toClient = destination.startsWith(clientPrefix);
            if (fromClient && flags.startsWith("S") && !flags.contains(".")) {
                events.computeIfAbsent(source, key -> new long[] {-1, -1, -1, -1});
                set(events.get(source), 0, nanos);
            } else if (fromClient && length > 0 && events.containsKey(source)) {
                set(events.get(source), 2, nanos);
            } else if (toClient && events.containsKey(destination)) {
                long[] times = events.get(destination);
                if (flags.startsWith("S") && flags.contains(".")) {
                    set(times, 1, nanos);
                } else if (length > 0) {
                    set(times, 3, nanos);
                }
            }
        }
        List<Connection> connections = new ArrayList<>();
        events.forEach((client, times) -> connections.add(new Connection(client, times[0], times[1], times[2],
            times[3])));
        return connections;
    }

    private static void set(long[] times, int index, long nanos) {
        if (times[index] < 0) {
            times[index] = nanos;
        }
    }
}
