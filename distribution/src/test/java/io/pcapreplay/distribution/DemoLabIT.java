package io.pcapreplay.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.pcapreplay.lab.LabPrerequisites;
import io.pcapreplay.lab.demo.Demo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's Java entry point (what scripts/demo.sh runs after the build) end to end against the embedded target:
 * it builds its own lab, replays examples/pcaps/embedded-target.pcap through real JMeter, prints the summary, leaves
 * the results and removes the lab.
 */
@Tag("lab")
class DemoLabIT {

    private static final Pattern LAB_ID = Pattern.compile("\\[lab] created (prl\\w+):");
    private static final Pattern SAMPLES = Pattern.compile("(?m)^samples (\\d+), errors (\\d+) ");

    @BeforeAll
    static void prerequisites() {
        LabPrerequisites.Decision decision = LabPrerequisites.decide();
        if (decision.outcome() == LabPrerequisites.Outcome.FAIL) {
            fail(decision.reason());
        }
        Assumptions.assumeTrue(decision.outcome() == LabPrerequisites.Outcome.RUN, decision.reason());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldPrintASummaryWithoutErrorsAndRemoveTheLabWhenTheDemoRunsAgainstTheEmbeddedTarget(@TempDir Path out)
            throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();

        int status = Demo.run(List.of("--project-root", System.getProperty("project.root"),
            "--jmeter-home", System.getProperty("jmeter.home"), "--agent-jar", System.getProperty("agent.jar"),
            "--out", out.toString(), "--users", "4", "--loops", "2", "--duration", "20"),
            new PrintStream(output, true, StandardCharsets.UTF_8),
            new PrintStream(errors, true, StandardCharsets.UTF_8));

        String printed = output.toString(StandardCharsets.UTF_8);
        String described = "stdout:\n" + printed + "\nstderr:\n" + errors.toString(StandardCharsets.UTF_8);
        assertThat(status).as(described).isZero();
        Matcher samples = SAMPLES.matcher(printed);
        assertThat(samples.find()).as("summary line in " + described).isTrue();
        assertThat(Integer.parseInt(samples.group(1))).as(described).isPositive();
        assertThat(Integer.parseInt(samples.group(2))).as(described).isZero();
        assertThat(printed).contains("GET /bytes/20000", "POST /echo");
        assertThat(out.resolve("results.jtl")).isRegularFile();
        assertThat(out.resolve("report/index.html")).isRegularFile();
        Matcher lab = LAB_ID.matcher(printed);
        assertThat(lab.find()).as("lab id in " + described).isTrue();
        assertThat(namespaces()).as("ip netns list after the demo").doesNotContain(lab.group(1) + "-");
    }

    private static String namespaces() throws Exception {
        Process process = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("ip netns list ended").isTrue();
        assertThat(process.exitValue()).as("ip netns list: " + text).isZero();
        return text;
    }
}
