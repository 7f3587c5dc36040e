package io.pcapreplay.protocol.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each case runs {@link NettyDefaultsProbe} in a fresh JVM, where Netty's settings are still unread. */
@Timeout(60)
class NettyDefaultsTest {

    /**
     * Loaded when the recorder starts its machinery (event types, ASM rewriting); Netty's check whether a recorder
     * exists at all ({@code FlightRecorder.isAvailable()}) loads a dozen small classes only, before the setting is
     * read.
     */
    private static final String RECORDER_METADATA = "jdk.jfr.internal.MetadataRepository ";

    @Test
    void shouldNotStartFlightRecorderWhenBuffersAreAllocatedWithTheDefaults() throws Exception {
        String classes = probe("defaults");

        assertThat(classes).contains("relayed 1000 messages").doesNotContain(RECORDER_METADATA);
    }

    @Test
    void shouldStartFlightRecorderWhenNettyIsLeftToItself() throws Exception {
        String classes = probe("netty-alone"); // what the defaults prevent: the probe can see it

        assertThat(classes).contains("relayed 1000 messages").contains(RECORDER_METADATA);
    }

    @Test
    void shouldKeepWhatTheJvmWasGivenWhenDefaultsApplied() {
        String before = System.getProperty(NettyDefaults.JFR_EVENTS);
        try {
            System.setProperty(NettyDefaults.JFR_EVENTS, "true");
            NettyDefaults.apply();
            assertThat(System.getProperty(NettyDefaults.JFR_EVENTS)).isEqualTo("true");
        } finally {
            if (before == null) {
                System.clearProperty(NettyDefaults.JFR_EVENTS);
            } else {
                System.setProperty(NettyDefaults.JFR_EVENTS, before);
            }
        }
    }

    /** The probe's output with every class it loaded ({@code -Xlog:class+load}); the probe is stopped in any case. */
    private static String probe(String mode) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path output = Files.createTempFile("netty-defaults-probe", ".txt");
        Process process = new ProcessBuilder(List.of(java.toString(), "-Xlog:class+load=info", "-cp",
            System.getProperty("java.class.path"), NettyDefaultsProbe.class.getName(), mode))
            .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("probe ended within 30 s").isTrue();
            assertThat(process.exitValue()).as("probe's exit code").isZero();
            return Files.readString(output, StandardCharsets.UTF_8);
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }
}
