package io.pcapreplay.lab.demo;

import java.nio.file.Path;
import java.util.List;

/**
 * The demo's command line.
 *
 * @param target what to replay against
 * @param out where results.jtl, report/ and jmeter.log go
 * @param projectRoot the project (examples/plans, examples/pcaps)
 * @param jmeterHome the JMeter home the build assembled
 * @param agentJar the intercept agent jar the build copied
 * @param users concurrent users
 * @param loops sessions per user
 * @param durationSeconds the run's upper bound
 */
public record DemoOptions(DemoTarget target, Path out, Path projectRoot, Path jmeterHome, Path agentJar, int users,
        int loops, int durationSeconds) {

    /** The usage text. */
    public static final String USAGE = String.join("\n",
        "usage: Demo [--target embedded|nginx] [--out DIR] [--users N] [--loops N] [--duration SECONDS]",
        "            [--project-root DIR] [--jmeter-home DIR] [--agent-jar FILE]",
        "  --target      embedded (default: the embedded Java target, examples/pcaps/embedded-target.pcap)",
        "                or nginx (examples/pcaps/http-keepalive.pcap against nginx as recorded)",
        "  --out         results folder (default: demo-results under the project root): results.jtl, report/,",
        "                jmeter.log; an earlier results.jtl and report/ there are replaced",
        "  --users       concurrent users (default 20, at most 250)",
        "  --loops       sessions each user replays (default 3)",
        "  --duration    upper bound of the run in seconds (default 30, at most 600)",
        "  --project-root, --jmeter-home, --agent-jar: where the build put things (default: ., then",
        "                distribution/target/jmeter and distribution/target/agent/intercept-agent.jar under it)");

    /**
     * Parses the arguments; relative paths are resolved against the working directory.
     *
     * @throws IllegalArgumentException with the option and the rule when an argument is wrong
     */
    public static DemoOptions parse(List<String> arguments) {
        DemoTarget target = DemoTarget.EMBEDDED;
        Path out = null;
        Path root = Path.of("").toAbsolutePath();
        Path jmeterHome = null;
        Path agentJar = null;
        int users = 20;
        int loops = 3;
        int duration = 30;
        for (int i = 0; i < arguments.size(); i += 2) {
            String option = arguments.get(i);
            if (i + 1 >= arguments.size()) {
                throw new IllegalArgumentException(option + ": no value (expected: " + option + " VALUE)");
            }
            String value = arguments.get(i + 1);
            switch (option) {
                case "--target" -> target = DemoTarget.fromOption(value);
                case "--out" -> out = Path.of(value).toAbsolutePath();
                case "--project-root" -> root = Path.of(value).toAbsolutePath();
                case "--jmeter-home" -> jmeterHome = Path.of(value).toAbsolutePath();
                case "--agent-jar" -> agentJar = Path.of(value).toAbsolutePath();
                case "--users" -> users = number(option, value, 250);
                case "--loops" -> loops = number(option, value, 1_000);
                case "--duration" -> duration = number(option, value, 600);
                default -> throw new IllegalArgumentException("unknown option: " + option + " (expected: one of "
                    + "--target, --out, --users, --loops, --duration, --project-root, --jmeter-home, --agent-jar)");
            }
        }
        return new DemoOptions(target, out != null ? out : root.resolve("demo-results"), root,
            jmeterHome != null ? jmeterHome : root.resolve("distribution/target/jmeter"),
            agentJar != null ? agentJar : root.resolve("distribution/target/agent/intercept-agent.jar"),
            users, loops, duration);
    }

    /** The capture replayed. */
    public Path capture() {
        return projectRoot.resolve("examples/pcaps").resolve(target.capture());
    }

    /** The test plan run. */
    public Path plan() {
        return projectRoot.resolve("examples/plans/replay.jmx");
    }

    private static int number(String option, String value, int maximum) {
        int number;
        try {
            number = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            number = 0;
        }
        if (number < 1 || number > maximum) {
            throw new IllegalArgumentException(option + ": " + value + " (expected: a whole number from 1 to "
                + maximum + ")");
        }
        return number;
    }
}
