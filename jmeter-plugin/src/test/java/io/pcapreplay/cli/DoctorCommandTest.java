package io.pcapreplay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DoctorCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void shouldExitTwoWithTheRuleWhenTheTargetIsMissingOrBad() {
        assertThat(run("doctor", "--agent", "10.0.0.3")).isEqualTo(Main.BAD_INPUT);
        assertThat(err()).isEqualTo("target: none (expected: --target HOST:PORT, the server under test); run with "
            + "--help\n");
        err.reset();
        assertThat(run("doctor", "--target", "10.0.0.5")).isEqualTo(Main.BAD_INPUT);
        assertThat(err()).startsWith("target port: none (expected: --target HOST:PORT or --target-port N)");
        err.reset();
        assertThat(run("doctor", "--target", "10.0.0.5:70000")).isEqualTo(Main.BAD_INPUT);
        assertThat(err()).startsWith("--target: 70000 (expected: a TCP port, 1 to 65535)");
        err.reset();
        assertThat(run("doctor", "--target=10.0.0.5:80", "--transport", "carrier-pigeon")).isEqualTo(Main.BAD_INPUT);
        assertThat(err()).startsWith("transport: 'carrier-pigeon' (expected: raw-ip, datalink");
        err.reset();
        assertThat(run("doctor", "--target", "10.0.0.5:80", "--bogus", "1")).isEqualTo(Main.BAD_INPUT);
        assertThat(err()).startsWith("option: --bogus (expected: --target, --target-port");
        assertThat(out.size()).isZero();
    }

    @Test
    void shouldPrintTheDoctorsOptionsWhenAskedForHelp() {
        assertThat(run("doctor", "--help")).isZero();

        assertThat(out()).contains("doctor   Checks a replay's three roles").contains("--token-file FILE")
            .contains("Exit status: 0 when no check failed (warnings allowed); 3 when a check failed");
    }

    @Test
    void shouldFailTheTargetCheckWithExitThreeWhenNothingListensForTheKernelTransport() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        int status = run("doctor", "--target", "127.0.0.1:" + closedPort, "--transport", "kernel");

        assertThat(status).isEqualTo(DoctorCommand.CHECK_FAILED);
        assertThat(out()).startsWith("pcap-replay doctor: target 127.0.0.1:" + closedPort + ", transport kernel\n")
            .contains("OK   raw socket: not needed: transport kernel")
            .contains("FAIL target: connection from this host's own address to 127.0.0.1:" + closedPort + " refused")
            .contains("kernel limits: transport kernel: at most ")
            .endsWith("FAIL, 0 SKIP\n");
    }

    @Test
    void shouldPassWithExitZeroWhenTheKernelTransportReachesTheTarget() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int status = run("doctor", "--target", "[::ffff:127.0.0.1]:" + server.getLocalPort(), "--transport",
                "kernel 127.0.0.1");

            assertThat(status).as(out()).isZero();
            assertThat(out()).contains("OK   target: this host (127.0.0.1) connects to 127.0.0.1:"
                + server.getLocalPort());
        }
    }

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
