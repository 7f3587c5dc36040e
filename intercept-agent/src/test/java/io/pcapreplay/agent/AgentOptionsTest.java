package io.pcapreplay.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pcapreplay.agent.capture.CaptureMethod;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {

    @Test
    void shouldParseInterceptStyleLettersWhenAllOptionsAreGiven() throws Exception {
        AgentOptions options = AgentOptions.parse("-i", "veth0,veth1", "-F", "tcp and src port 80", "-p", "4000", "-b",
                "198.19.0.2", "--token-file", "/etc/agent.token", "--snaplen=128", "--stats-interval", "0");

        assertThat(options.devices()).containsExactly("veth0", "veth1");
        assertThat(options.filter()).isEqualTo("tcp and src port 80");
        assertThat(options.port()).isEqualTo(4000);
        assertThat(options.bindAddress().getHostAddress()).isEqualTo("198.19.0.2");
        assertThat(options.tokenFile()).isEqualTo(Path.of("/etc/agent.token"));
        assertThat(options.snaplen()).isEqualTo(128);
        assertThat(options.statsInterval()).isEqualTo(Duration.ZERO);
    }

    @Test
    void shouldUseDefaultsWhenOnlyRequiredOptionsAreGiven() throws Exception {
        AgentOptions options = AgentOptions.parse("-i", "eth0", "--token-file", "t");

        assertThat(options.port()).isEqualTo(36524);
        assertThat(options.filter()).isEqualTo("tcp and (dst net 198.18.0.0/15 or dst net 2001:2::/48)");
        assertThat(options.maxReplayers()).isEqualTo(64);
        assertThat(options.bindAddress().isAnyLocalAddress()).isTrue();
        assertThat(options.snaplen()).isEqualTo(65_535);
        assertThat(options.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void shouldExplainWhenAnOptionIsWrongOrMissing() {
        assertThatThrownBy(() -> AgentOptions.parse("--token-file", "t"))
                .hasMessageContaining("option -i: missing (expected: -i DEV[,DEV]");
        assertThatThrownBy(() -> AgentOptions.parse("-i", "eth0"))
                .hasMessageContaining("option --token-file: missing");
        assertThatThrownBy(() -> AgentOptions.parse("-i", "eth0", "--token-file", "t", "-p", "70000"))
                .hasMessageContaining("option -p: '70000' (expected: a number 1..65535)");
        assertThatThrownBy(() -> AgentOptions.parse("-i", "eth0", "--token-file", "t", "-b", "example.org"))
                .hasMessageContaining("option -b: 'example.org' (expected: a literal local IP address");
        assertThatThrownBy(() -> AgentOptions.parse("-i", "eth0;rm", "--token-file", "t"))
                .hasMessageContaining("device 'eth0;rm'");
        assertThatThrownBy(() -> AgentOptions.parse("-x", "1")).hasMessageContaining("option: '-x' is unknown");
        assertThatThrownBy(() -> AgentOptions.parse("-i")).hasMessageContaining("option -i: missing value");
    }

    @Test
    void shouldRefuseWhenDeviceIsListedTwiceOrAnyIsCombined() {
        assertThatThrownBy(() -> AgentOptions.parse("-i", "lo,lo", "--token-file", "t"))
                .hasMessageContaining("option -i: device 'lo' listed twice");
        assertThatThrownBy(() -> AgentOptions.parse("-i", "eth0,any", "--token-file", "t"))
                .hasMessageContaining("'any' with other devices [eth0, any]");
    }

    @Test
    void shouldSayUnknownWhenUnknownFlagIsLast() {
        assertThatThrownBy(() -> AgentOptions.parse("-i", "eth0", "--token-file", "t", "--verbose"))
                .hasMessageContaining("option: '--verbose' is unknown");
        assertThatThrownBy(() -> AgentOptions.parse("-i", "eth0", "--token-file", "t", "--snaplen"))
                .hasMessageContaining("option --snaplen: missing value");
    }

    @Test
    void shouldParseLimitsAndCaptureMethodWhenGiven() throws Exception {
        AgentOptions options = AgentOptions.parse("-i", "eth0", "--token-file", "t", "--max-handshakes", "10",
                "--max-handshakes-per-address", "20", "--capture", "pcap", "--queue-mib", "8",
                "--queue-total-mib", "32");

        assertThat(options.maxHandshakes()).isEqualTo(10);
        assertThat(options.maxHandshakesPerAddress()).isEqualTo(10);
        assertThat(options.captureMethod()).isEqualTo(CaptureMethod.PCAP);
        assertThat(options.queueBytes()).isEqualTo(8L << 20);
        assertThat(options.queueTotalBytes()).isEqualTo(32L << 20);
        assertThatThrownBy(() -> AgentOptions.parse("-i", "eth0", "--token-file", "t", "--capture", "v3"))
                .hasMessageContaining("option --capture: 'v3' (expected: ring or pcap)");
    }

    @Test
    void shouldPauseFiveHundredMicrosecondsAfterABatchUnlessToldOtherwise() throws Exception {
        assertThat(AgentOptions.parse("-i", "eth0", "--token-file", "t").batchPause())
                .isEqualTo(java.time.Duration.ofNanos(500_000));
        assertThat(AgentOptions.parse("-i", "eth0", "--token-file", "t", "--batch-pause-us", "0").batchPause())
                .isZero();
        assertThatThrownBy(() -> AgentOptions.parse("-i", "eth0", "--token-file", "t", "--batch-pause-us", "20000"))
                .hasMessageContaining("option --batch-pause-us: '20000'");
    }

    @Test
    void shouldWarmUpAtMostThreeSecondsUnlessToldOtherwise() throws Exception {
        assertThat(AgentOptions.parse("-i", "eth0", "--token-file", "t").warmUp())
                .isEqualTo(java.time.Duration.ofSeconds(3));
        assertThat(AgentOptions.parse("-i", "eth0", "--token-file", "t", "--warm-up-ms", "0").warmUp()).isZero();
        assertThatThrownBy(() -> AgentOptions.parse("-i", "eth0", "--token-file", "t", "--warm-up-ms", "-1"))
                .hasMessageContaining("option --warm-up-ms: '-1' (expected: a number 0..60000)");
    }

    @Test
    void shouldSignalHelpWhenAsked() {
        assertThatThrownBy(() -> AgentOptions.parse("-i", "eth0", "--help"))
                .isInstanceOfSatisfying(AgentOptions.UsageException.class,
                        e -> assertThat(e.request()).isEqualTo("--help"));
    }
}
