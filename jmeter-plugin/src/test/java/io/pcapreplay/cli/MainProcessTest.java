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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the command line in its own JVM: real exit codes, and nothing on stderr but our messages. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MainProcessTest {

    @BeforeAll
    static void requireLibpcap() {
        TestCaptures.requireLibpcap();
    }

    @Test
    void shouldExitZeroWithQuietStderrWhenInspectingACapture() throws IOException, InterruptedException {
        Result result = run("inspect", TestCaptures.publicCapture("zeek__tls_irc-starttls.pcap").toString());

        assertThat(result.status).isZero();
        assertThat(result.stdout).contains("link type LINUX_SLL").contains("totals: sessions=1");
        assertThat(result.stderr).isEmpty();
    }

    @Test
    void shouldExitTwoWithOneLineMessageWhenFileIsGarbage() throws IOException, InterruptedException {
        Path garbage = TestCaptures.fixture("garbage.pcap");

        Result result = run("inspect", garbage.toString(), "--json");

        assertThat(result.status).isEqualTo(Main.BAD_INPUT);
        assertThat(result.stdout).isEmpty();
        assertThat(result.stderr.strip()).startsWith("capture file " + garbage + ": ").doesNotContain("\n")
            .doesNotContain("Exception");
    }

    private static Result run(String... args) throws IOException, InterruptedException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        if (Runtime.version().feature() >= 22) {
            // what the jar's manifest says (Enable-Native-Access): JNA loads libpcap without a warning
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        Path errors = Files.createTempFile("inspect", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("inspect: still running after 60 s (expected: done)");
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                Files.readString(errors, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    private record Result(int status, String stdout, String stderr) {
    }
}
