package io.pcapreplay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.pcap.TestCaptures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzing {@code inspect} with mutations of the test captures and of shared/pcaps/public ({@link FuzzDriver}),
 * seeded (-Dfuzz.seed, default below) and bounded: about {@value #SECONDS} s in a JVM of its own with a
 * {@value #HEAP} heap. Every input must give exit 0 or 2 with a message naming the rule, never a stack trace, an
 * internal error, an out-of-memory or a run over 10 s. A failing input is kept in target/fuzz-failures: turn it into
 * a reproducer of {@code io.pcapreplay.pcap.MalformedCaptureTest}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CaptureFuzzTest {

    static final int SECONDS = 45;
    static final String HEAP = "96m";
    static final long DEFAULT_SEED = 20_261_205L;

    @BeforeAll
    static void requireLibpcap() {
        TestCaptures.requireLibpcap();
    }

    @Test
    void shouldExitZeroOrTwoWithoutStackTraceWhenCapturesAreMutated() throws IOException, InterruptedException {
        long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
            .toString(), "-Xmx" + HEAP, "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
            FuzzDriver.class.getName(), Long.toString(seed), Integer.toString(SECONDS), "target/fuzz-failures",
            "target/fuzz-work"));
        for (Path file : seeds()) {
            command.add(file.toString());
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(SECONDS + 60, TimeUnit.SECONDS)).as("done in time").isTrue();
        System.out.println("fuzz seed " + seed + ": " + output);

        assertThat(output).as("seed " + seed).doesNotContain("FAIL ").doesNotContain("OutOfMemoryError")
            .containsPattern("inputs \\d+ exit0 \\d+ exit2 \\d+ failures 0");
        assertThat(process.exitValue()).as(output).isZero();
        long inputs = Long.parseLong(output.replaceAll("(?s).*inputs (\\d+) .*", "$1"));
        assertThat(inputs).as("mutated inputs inspected").isGreaterThan(300);
    }

    /** The test captures (fixtures and reproducers) and the public captures up to 300 KB. */
    private static List<Path> seeds() throws IOException {
        List<Path> seeds = new ArrayList<>();
        Path fixtures = TestCaptures.fixture("empty.pcap").getParent();
        try (Stream<Path> files = Files.walk(fixtures)) {
            files.filter(file -> file.toString().matches(".*\\.pcap(ng)?$")).filter(CaptureFuzzTest::small)
                .sorted().forEach(seeds::add);
        }
        TestCaptures.allPublicCaptures().stream().filter(CaptureFuzzTest::small).forEach(seeds::add);
        return seeds;
    }

    private static boolean small(Path file) {
        try {
            long size = Files.size(file);
            return size > 0 && size <= 300_000;
        } catch (IOException e) {
            return false;
        }
    }
}
