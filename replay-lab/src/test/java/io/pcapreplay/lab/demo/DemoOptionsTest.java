package io.pcapreplay.lab.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

    @Test
    void shouldReplayTheEmbeddedCaptureWithSmallLoadWhenNoOptionIsGiven() {
        DemoOptions options = DemoOptions.parse(List.of("--project-root", "/p"));

        assertThat(options.target()).isEqualTo(DemoTarget.EMBEDDED);
        assertThat(options.capture()).isEqualTo(Path.of("/p/examples/pcaps/embedded-target.pcap"));
        assertThat(options.out()).isEqualTo(Path.of("/p/demo-results"));
        assertThat(options.jmeterHome()).isEqualTo(Path.of("/p/distribution/target/jmeter"));
        assertThat(options.agentJar()).isEqualTo(Path.of("/p/distribution/target/agent/intercept-agent.jar"));
        assertThat(List.of(options.users(), options.loops(), options.durationSeconds())).containsExactly(20, 3, 30);
    }

    @Test
    void shouldReplayTheNginxCaptureOnPort80WhenTheTargetIsNginx() {
        DemoOptions options = DemoOptions.parse(List.of("--project-root", "/p", "--target", "nginx", "--out",
            "/r", "--users", "5"));

        assertThat(options.capture()).isEqualTo(Path.of("/p/examples/pcaps/http-keepalive.pcap"));
        assertThat(options.target().port()).isEqualTo(80);
        assertThat(options.out()).isEqualTo(Path.of("/r"));
        assertThat(options.users()).isEqualTo(5);
    }

    @Test
    void shouldNameTheOptionAndTheRuleWhenAnArgumentIsWrong() {
        assertThatThrownBy(() -> DemoOptions.parse(List.of("--target", "apache")))
            .hasMessage("--target: apache (expected: embedded or nginx)");
        assertThatThrownBy(() -> DemoOptions.parse(List.of("--users", "0")))
            .hasMessage("--users: 0 (expected: a whole number from 1 to 250)");
        assertThatThrownBy(() -> DemoOptions.parse(List.of("--duration", "x")))
            .hasMessageStartingWith("--duration: x (expected: a whole number");
        assertThatThrownBy(() -> DemoOptions.parse(List.of("--out"))).hasMessageStartingWith("--out: no value");
        assertThatThrownBy(() -> DemoOptions.parse(List.of("--verbose", "1")))
            .hasMessageStartingWith("unknown option: --verbose");
    }

    @Test
    void shouldExitWithStatus2AndTheUsageWhenAnArgumentIsWrong() {
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(errors, true, StandardCharsets.UTF_8);

        int status = Demo.run(List.of("--loops", "-1"), new PrintStream(new ByteArrayOutputStream()), err);

        assertThat(status).isEqualTo(2);
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains("demo: --loops: -1", "usage: Demo");
    }

    @Test
    void shouldFailBeforeCreatingALabWhenTheBuildIsMissing() {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        Path root = Path.of(System.getProperty("project.root", "..")).toAbsolutePath();

        int status = Demo.run(List.of("--project-root", root.toString(), "--agent-jar", "/nonexistent/agent.jar"),
            new PrintStream(output, true, StandardCharsets.UTF_8), new PrintStream(errors, true,
                StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(1);
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains("/nonexistent/agent.jar not found");
        assertThat(output.toString(StandardCharsets.UTF_8)).doesNotContain("[lab]");
    }
}
