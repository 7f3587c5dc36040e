package io.pcapreplay.jmeter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.pcap.SyntheticCapture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Capture reading in bounded memory, each case in a JVM of its own with a small heap ({@link BoundedMemoryDriver})
 * on a capture generated into target/bounded-memory (deleted afterwards): the two cases that ran out of a 256 MB
 * heap before (150,000 SYN-only connections; one 195 MB session), and a capture whose payload is several times the
 * heap, replayed twice through the thread group's {@link SessionSource}.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BoundedMemoryTest {

    private static final Path DIRECTORY = Paths.get("target", "bounded-memory");

    @BeforeAll
    static void createDirectory() throws IOException {
        Files.createDirectories(DIRECTORY);
    }

    @AfterAll
    static void deleteCaptures() throws IOException {
        try (var files = Files.list(DIRECTORY)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
    }

    @Test
    void shouldExplainWithoutRunningOutOfMemoryWhen150000ConnectionsAreSynOnly() throws Exception {
        Path file = DIRECTORY.resolve("syn-only.pcap");
        new SyntheticCapture().synOnly(true).sessions(150_000).concurrent(150_000).write(file);

        Map<String, String> result = run("64m", "inspect", file.toString());

        assertThat(result.get("status")).as(result.toString()).isEqualTo("2");
        assertThat(result.get("stderr")).contains("TCP sessions in " + file + ": none; 150000 TCP connection(s) "
            + "without payload");
    }

    @Test
    void shouldLeaveOutAndNameTheLimitWithoutRunningOutOfMemoryWhenOneSessionHolds195Megabytes() throws Exception {
        // the default limit, 64 MiB, is an eighth of the heap on a heap under 512 MiB: 16 MiB here
        Path file = DIRECTORY.resolve("one-large-session.pcap");
        new SyntheticCapture().sessions(1).concurrent(1).responseBytes(195L << 20).packetGapNanos(1000).write(file);

        Map<String, String> result = run("128m", "inspect", file.toString());

        assertThat(result.get("status")).as(result.toString()).isEqualTo("2");
        assertThat(result.get("stderr")).contains("none to replay; 1 left out: 1 larger than the session limit")
            .contains("session 10.1.0.1:1024 -> 10.0.0.1:80 left out: holds more than maxSessionMiB = 16 MiB of "
                + "payload; raise the limit (inspect --max-session-mib, JMeter -Jpcapreplay.maxSessionMiB)");
    }

    @Test
    void shouldReplayACaptureSeveralTimesLargerThanTheHeapWhenStreaming() throws Exception {
        Path file = DIRECTORY.resolve("larger-than-heap.pcap");
        SyntheticCapture.Result written = new SyntheticCapture().sessions(40_000).concurrent(100).exchanges(1)
            .responseBytes(4000).write(file);

        Map<String, String> result = run("48m", "replay", file.toString(), "2");

        assertThat(written.bytes()).as("the file").isGreaterThan(150L << 20);
        assertThat(result.get("sessions-per-pass")).as(result.toString()).isEqualTo("40000");
        assertThat(result.get("handed-out")).isEqualTo("80000");
        assertThat(result.get("in-memory")).as("read again for the second pass").isEqualTo("false");
        assertThat(Double.parseDouble(result.get("heap-after-gc-mib"))).isLessThan(40);
    }

    /** Runs the driver with a heap limit: its output lines as "name value". */
    private static Map<String, String> run(String heap, String... args) throws IOException, InterruptedException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError", "-cp",
            System.getProperty("java.class.path"), BoundedMemoryDriver.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(240, TimeUnit.SECONDS)).as("done in time").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("OutOfMemoryError").doesNotContain("\tat ");
        Map<String, String> values = new HashMap<>();
        for (String line : output.split("\\R")) {
            int space = line.indexOf(' ');
            if (space > 0) {
                values.put(line.substring(0, space), line.substring(space + 1));
            }
        }
        values.put("output", output);
        System.out.println(String.join(" ", args) + " with -Xmx" + heap + ":\n" + output);
        return values;
    }
}
