package io.pcapreplay.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class MainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void shouldExplainOptionsAndRoutingWhenHelpIsAsked() {
        assertThat(run("--help")).isEqualTo(ExitCode.OK);

        assertThat(out.toString()).contains("-i, --interface", "-F, --filter", "-p, --port", "-b, --bind",
                "--token-file", "--snaplen", "--stats-interval", "ip route add 198.18.0.0/15 via ASSISTANT_IP",
                "rp_filter=0", "ip_forward=0");
    }

    @Test
    void shouldExitWithUsageWhenOptionIsUnknown() {
        assertThat(run("-i", "lo", "--token-file", "x", "--bogus", "1")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("error: option: '--bogus' is unknown");
    }

    @Test
    void shouldExitWithTokenFileWhenTokenFileIsUnreadable() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.token"));

        assertThat(run("-i", "lo", "--token-file", dir.resolve("missing.token").toString()))
                .isEqualTo(ExitCode.TOKEN_FILE);
        assertThat(err.toString()).contains("token file " + dir.resolve("missing.token") + ": cannot be read");
        assertThat(run("-i", "lo", "--token-file", empty.toString())).isEqualTo(ExitCode.TOKEN_FILE);
        assertThat(err.toString()).contains("token of 0 bytes (expected: 1..256 bytes)");
    }

    @Test
    void shouldRefuseToStartAndPrintChmodWhenTokenFileIsReadableByOthers() throws IOException {
        Path file = dir.resolve("open.token");
        Files.writeString(file, "s3cret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(run("-i", "lo", "--token-file", file.toString())).isEqualTo(ExitCode.TOKEN_FILE);
        assertThat(err.toString()).contains("token file " + file + ": mode rw-r--r-- is readable by group and "
                + "others", "chmod 600 " + file);

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        err.reset();
        assertThat(run("-i", "lo", "--token-file", file.toString())).isEqualTo(ExitCode.TOKEN_FILE);
        assertThat(err.toString()).contains("is readable by its group");
    }

    @Test
    void shouldRefuseToStartWhenHeapCannotHoldTheQueues() throws IOException {
        long heapMib = Runtime.getRuntime().maxMemory() >> 20;

        assertThat(run("-i", "lo", "--token-file", token(), "--queue-total-mib", Long.toString(heapMib)))
                .isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("error: heap: " + heapMib + " MiB (expected: at least",
                "-Xmx", "or lower --queue-total-mib");
    }

    @Test
    void shouldReportUnknownNotMissingValueWhenUnknownFlagComesLast() {
        assertThat(run("-i", "lo", "--token-file", "x", "--bogus")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("option: '--bogus' is unknown").doesNotContain("missing value");
    }

    @Test
    void shouldExitWithBadFilterAndShowLibpcapMessageWhenFilterIsInvalid() throws IOException {
        assumeTrue(Privileges.canCapture(), "needs root or CAP_NET_RAW");

        assertThat(run("-i", "lo", "-F", "tcp and bogus", "--token-file", token(), "--queue-total-mib", "32"))
                .isEqualTo(ExitCode.BAD_FILTER);
        assertThat(err.toString()).contains("capture filter 'tcp and bogus'", "bogus", "pcap-filter(7)");
    }

    @Test
    void shouldExitWithNoSuchInterfaceWhenDeviceIsMissing() throws IOException {
        assumeTrue(Privileges.canCapture(), "needs root or CAP_NET_RAW");

        assertThat(run("-i", "nosuchdev0", "--token-file", token(), "--queue-total-mib", "32"))
                .isEqualTo(ExitCode.NO_SUCH_INTERFACE);
        assertThat(err.toString()).contains("capture device: 'nosuchdev0' does not exist (expected: one of [");
    }

    @Test
    void shouldExitWithPortInUseWhenAnotherProcessListens() throws IOException {
        assumeTrue(Privileges.canCapture(), "needs root or CAP_NET_RAW");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(run("-i", "lo", "-b", "127.0.0.1", "-p", Integer.toString(taken.getLocalPort()),
                    "--token-file", token(), "--queue-total-mib", "32")).isEqualTo(ExitCode.PORT_IN_USE);
        }
        assertThat(err.toString()).contains("listen on /127.0.0.1:", "is another agent running?");
    }

    @Test
    void shouldTellMissingCapabilityWhenProcStatusLacksNetRaw() {
        assertThat(Privileges.canCapture("Name:\tjava\nCapEff:\t0000000000000000\n")).isFalse();
        assertThat(Privileges.canCapture("CapEff:\t0000000000002000\n")).isTrue();
        assertThat(Privileges.canCapture("CapEff:\t000001ffffffffff\n")).isTrue();
        assertThat(Privileges.canCapture("no such line")).isTrue();
    }

    private String token() throws IOException {
        Path file = dir.resolve("agent.token");
        Files.writeString(file, "s3cret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file.toString();
    }

    private ExitCode run(String... args) {
        CountDownLatch stop = new CountDownLatch(1);
        stop.countDown();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), stop);
        for (ExitCode exit : ExitCode.values()) {
            if (exit.code() == code) {
                return exit;
            }
        }
        throw new AssertionError("exit code " + code + "; stderr: " + err);
    }
}
