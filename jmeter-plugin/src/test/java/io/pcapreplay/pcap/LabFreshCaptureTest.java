package io.pcapreplay.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabCapture;
import io.pcapreplay.lab.LabHost;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.lab.NginxServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Captures fresh traffic in the lab, curl against nginx (two keep-alive GETs and a POST on one connection, then a
 * second connection), on both ends of the client–target link, and checks that the session model holds exactly the
 * bytes curl says it sent and received ({@code curl --trace}).
 */
@LabTest
class LabFreshCaptureTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern TRACE_HEADER = Pattern.compile("^(=>|<=) (Send|Recv) (header|data), (\\d+) bytes");
    private static final Pattern TRACE_LINE = Pattern.compile("^[0-9a-f]{4}: ((?:[0-9a-f]{2} ){1,16})");

    private static NginxServer nginx;

    @BeforeAll
    static void startNginx(Lab lab) {
        nginx = lab.target().startNginx(80);
    }

    @Test
    void shouldReproduceExactlyTheBytesCurlExchangedWhenCapturedOnEitherSide(Lab lab) throws Exception {
        LabHost client = lab.client();
        LabHost target = lab.target();
        String server = target.ipv4To(LabRole.CLIENT).getHostAddress();
        Path body = lab.workDir().resolve("post-body.txt");
        Files.writeString(body, "payload=" + "0123456789abcdef".repeat(400));
        Path trace = lab.workDir().resolve("curl-trace.txt");

        LabCapture clientSide = client.tcpdump(client.interfaceTo(LabRole.TARGET), "tcp port 80").awaitStarted(TIMEOUT);
        LabCapture targetSide = target.tcpdump(target.interfaceTo(LabRole.CLIENT), "tcp port 80").awaitStarted(TIMEOUT);
        client.exec(TIMEOUT, "curl", "-sS", "--trace", trace.toString(), "-H", "Expect:",
                "-o", "/dev/null", "http://" + server + "/",
                "-o", "/dev/null", "http://" + server + "/64k.bin",
                "--next", "-H", "Expect:", "-o", "/dev/null", "--data-binary", "@" + body, "http://" + server
                        + NginxServer.POST_PATH).orThrow();
        client.exec(TIMEOUT, "curl", "-sS", "-o", "/dev/null", "http://" + server + "/1k.bin").orThrow();
        nginx.awaitAccessLog(entry -> entry.request().startsWith("GET /1k.bin"), TIMEOUT);
        clientSide.awaitPackets("tcp[tcpflags] & tcp-fin != 0", 4, TIMEOUT);
        targetSide.awaitPackets("tcp[tcpflags] & tcp-fin != 0", 4, TIMEOUT);
        Path[] captures = {clientSide.stop(), targetSide.stop()};

        Traced traced = Traced.parse(trace);
        for (Path capture : captures) {
            List<RecordedSession> sessions = new CaptureReader().readSessions(capture,
                    CaptureOptions.defaults().withServerPort(80));
            assertThat(sessions).as("sessions in %s", capture).hasSize(2);
            RecordedSession keepAlive = sessions.get(0);
            assertThat(bytes(keepAlive.clientStream())).as("request bytes in %s", capture)
                    .isEqualTo(traced.sent());
            assertThat(bytes(keepAlive.serverStream())).as("response bytes in %s", capture)
                    .isEqualTo(traced.received());
            assertThat(keepAlive.exchangeCount()).isEqualTo(3);
            for (int i = 0; i < 3; i++) {
                assertThat(bytes(keepAlive.exchange(i).request())).isEqualTo(traced.requests().get(i));
                assertThat(ascii(keepAlive.exchange(i).response())).startsWith("HTTP/1.1 200 OK");
            }
            assertThat(ascii(keepAlive.exchange(2).request())).startsWith("POST /post HTTP/1.1")
                    .endsWith("0123456789abcdef");
            assertThat(keepAlive.synSeen()).isTrue();
            assertThat(keepAlive.problems()).isEmpty();
            assertThat(keepAlive.close().kind()).isEqualTo(CloseKind.FIN);
            assertThat(keepAlive.client().address()).isEqualTo(client.ipv4To(LabRole.TARGET));

            RecordedSession second = sessions.get(1);
            assertThat(second.exchangeCount()).isEqualTo(1);
            assertThat(ascii(second.exchange(0).request())).startsWith("GET /1k.bin HTTP/1.1\r\n");
            assertThat(second.exchange(0).responseLength()).isGreaterThan(1024);
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static String ascii(ByteBuffer buffer) {
        return new String(bytes(buffer), StandardCharsets.ISO_8859_1);
    }

    /** What {@code curl --trace} says went over the first connection: sent and received bytes, per request. */
    private record Traced(byte[] sent, byte[] received, List<byte[]> requests) {

        static Traced parse(Path trace) throws IOException {
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            List<byte[]> requests = new ArrayList<>();
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            ByteArrayOutputStream current = null;
            boolean lastWasReceive = false;
            for (String line : Files.readAllLines(trace, StandardCharsets.ISO_8859_1)) {
                Matcher header = TRACE_HEADER.matcher(line);
                if (header.find()) {
                    boolean send = header.group(2).equals("Send");
                    if (send && lastWasReceive && request.size() > 0) {
                        requests.add(request.toByteArray());
                        request.reset();
                    }
                    lastWasReceive = !send;
                    current = send ? sent : received;
                    continue;
                }
                Matcher data = TRACE_LINE.matcher(line);
                if (current != null && data.find()) {
                    for (String hex : data.group(1).trim().split(" ")) {
                        int value = Integer.parseInt(hex, 16);
                        current.write(value);
                        if (current == sent) {
                            request.write(value);
                        }
                    }
                } else if (!line.startsWith("0")) {
                    current = null;
                }
            }
            requests.add(request.toByteArray());
            return new Traced(sent.toByteArray(), received.toByteArray(), requests);
        }
    }
}
