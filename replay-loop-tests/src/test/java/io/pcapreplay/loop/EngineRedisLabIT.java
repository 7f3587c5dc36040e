package io.pcapreplay.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabCapture;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.pcap.CaptureOptions;
import io.pcapreplay.pcap.CaptureReader;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.EngineConfig;
import io.pcapreplay.tcp.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A redis session recorded in the lab (a socket in the client namespace: SET two keys, INCR a counter, GET, against
 * a recording redis on port 6379, captured by tcpdump on the target), replayed by many users against a fresh redis
 * (port 6380): afterwards the keys hold the recorded values and the counter counts every user.
 */
@LabTest
class EngineRedisLabIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** Inline commands (RESP's plain-text form), each answered before the next goes out. */
    private static final List<String> COMMANDS = List.of("SET replay:key1 value-one", "SET replay:key2 value-two",
        "INCR replay:counter", "GET replay:key1");
    private static final int FRESH_PORT = 6380;
    private static LabAgent agent;
    private static List<RecordedSession> sessions;

    @BeforeAll
    static void start(Lab lab) throws Exception {
        lab.target().startRedis(6379);
        lab.target().startRedis(FRESH_PORT);
        agent = LabAgent.start(lab);
        sessions = record(lab);
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void shouldLeaveTheRecordedKeysWhenReplayedAgainstAFreshRedis(Lab lab) throws Exception {
        assertThat(redis(lab, FRESH_PORT, "DBSIZE")).isEqualTo("0");
        int copies = 50;
        EngineConfig config = EngineLab.config(lab, "198.18.90.0/24", FRESH_PORT)
            .response(TIMEOUT, Duration.ofMillis(300)).build();
        EngineLab.Run run;
        try (EngineLab engineLab = EngineLab.start(lab, agent, config, 0)) {
            run = engineLab.start(sessions, copies).await(TIMEOUT.multipliedBy(2));
        }

        System.out.println("redis: " + run);
        assertThat(run.finished()).as(run.toString()).isTrue();
        assertThat(run.results()).hasSize(4 * copies);
        assertThat(run.outcomes()).as(run.toString()).containsOnlyKeys(Outcome.OK);
        assertThat(redis(lab, FRESH_PORT, "GET", "replay:key1")).isEqualTo("value-one");
        assertThat(redis(lab, FRESH_PORT, "GET", "replay:key2")).isEqualTo("value-two");
        assertThat(redis(lab, FRESH_PORT, "GET", "replay:counter")).isEqualTo(Integer.toString(copies));
        assertThat(redis(lab, FRESH_PORT, "DBSIZE")).isEqualTo("3");
    }

    /** Records one redis-cli session (4 commands on one connection) and reads it back. */
    private static List<RecordedSession> record(Lab lab) throws Exception {
        LabCapture capture = lab.target().tcpdump(lab.target().interfaceTo(LabRole.CLIENT), "tcp port 6379")
            .awaitStarted(TIMEOUT);
        InetAddress target = lab.target().ipv4To(LabRole.CLIENT);
        lab.client().call(() -> {
            try (Socket socket = new Socket(target, 6379)) {
                socket.setSoTimeout((int) TIMEOUT.toMillis());
                for (String command : COMMANDS) {
                    socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    readReply(socket.getInputStream());
                }
            }
            return null;
        });
        Path pcap = capture.stop();
        CaptureOptions options = CaptureOptions.defaults().withServerPort(6379);
        List<RecordedSession> recorded = new CaptureReader().read(pcap, options).requireSessions(options);
        assertThat(recorded).hasSize(1);
        assertThat(recorded.get(0).exchangeCount()).as(recorded.toString()).isEqualTo(4);
        assertThat(redis(lab, 6379, "GET", "replay:counter")).isEqualTo("1");
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

    private static String redis(Lab lab, int port, String... command) {
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
