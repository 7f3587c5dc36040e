package io.pcapreplay.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabCapture;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.pcap.CaptureOptions;
import io.pcapreplay.pcap.CaptureReader;
import io.pcapreplay.pcap.RecordedSession;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A redis session recorded in the lab: a socket in the client namespace sends SET two keys, INCR a counter, GET,
 * against a recording redis on port 6379, captured by tcpdump on the target; and {@code redis-cli} in the target to
 * check what a replay left.
 */
final class RecordedRedis {

    static final int RECORDING_PORT = 6379;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** Inline commands (RESP's plain-text form), each answered before the next goes out. */
    private static final List<String> COMMANDS = List.of("SET replay:key1 value-one", "SET replay:key2 value-two",
        "INCR replay:counter", "GET replay:key1");

    private RecordedRedis() {
    }

    /**
     * Records one session (4 commands on one connection) against the redis on {@link #RECORDING_PORT} (started by
     * the caller) and reads it back.
     */
    static List<RecordedSession> record(Lab lab) throws Exception {
        LabCapture capture = lab.target().tcpdump(lab.target().interfaceTo(LabRole.CLIENT),
            "tcp port " + RECORDING_PORT).awaitStarted(TIMEOUT);
        InetAddress target = lab.target().ipv4To(LabRole.CLIENT);
        lab.client().call(() -> {
            try (Socket socket = new Socket(target, RECORDING_PORT)) {
                socket.setSoTimeout((int) TIMEOUT.toMillis());
                for (String command : COMMANDS) {
                    socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    readReply(socket.getInputStream());
                }
            }
            return null;
        });
        Path pcap = capture.stop();
        CaptureOptions options = CaptureOptions.defaults().withServerPort(RECORDING_PORT);
        List<RecordedSession> recorded = new CaptureReader().read(pcap, options).requireSessions(options);
        assertThat(recorded).hasSize(1);
        assertThat(recorded.get(0).exchangeCount()).as(recorded.toString()).isEqualTo(COMMANDS.size());
        assertThat(redis(lab, RECORDING_PORT, "GET", "replay:counter")).isEqualTo("1");
        return recorded;
    }

    /** Reads one reply: a line, or for a bulk string ({@code $n}) its header line and its data line. */
    private static void readReply(InputStream in) throws IOException {
        int lines = 0;
        int first = -1;
        int previous = -1;
        while (true) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("redis reply: connection closed (expected: a reply ending in CRLF)");
            }
            if (first < 0) {
                first = next;
            }
            if (previous == '\r' && next == '\n') {
                lines++;
                if (first != '$' || lines == 2) {
                    return;
                }
            }
            previous = next;
        }
    }

    /** Runs {@code redis-cli -p PORT --no-raw COMMAND...} in the target; the reply without quotes or type. */
    static String redis(Lab lab, int port, String... command) {
        String[] full = new String[4 + command.length];
        full[0] = "redis-cli";
        full[1] = "-p";
        full[2] = Integer.toString(port);
        full[3] = "--no-raw";
        System.arraycopy(command, 0, full, 4, command.length);
        String output = lab.target().exec(TIMEOUT, full).orThrow().stdout().strip();
        return output.replaceAll("^\\(integer\\) ", "").replaceAll("^\"(.*)\"$", "$1");
    }
}
