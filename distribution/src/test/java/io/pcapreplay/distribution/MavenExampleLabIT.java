package io.pcapreplay.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.ExecResult;
import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.lab.demo.JtlRows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * examples/jmeter-maven as a Jenkins job with a kept workspace runs it: twice in a row without "clean", through the
 * repository's Maven wrapper, in the client namespace as root, against nginx and the agent of the lab. This build's
 * snapshot artifacts go to a private Maven repository under target/ (the shared ~/.m2 is only read, as its tail);
 * the lab namespace has no network, so what the example needs is fetched once outside it and the runs are offline.
 */
@LabTest
class MavenExampleLabIT {

    private static final String CLIENTS = "198.18.29.*";

    private static Path root;
    private static Path privateRepository;
    private static Path example;
    private static Path nginxDirectory;
    private static Path tokenFile;

    @BeforeAll
    static void setUp(Lab lab) throws Exception {
        root = Path.of(System.getProperty("project.root"));
        example = root.resolve("examples/jmeter-maven/pom.xml");
        privateRepository = JMeterLab.jmeterHome().getParent().resolve("example-repository");
        nginxDirectory = JMeterLab.startRecordedNginx(lab);
        tokenFile = JMeterLab.startAgent(lab);
        installSnapshots();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldStopAtOnceNamingTheSettingWhenTheTargetIsNotGiven() throws Exception {
        Result result = maven(List.of("-DtokenFile=/tmp/x", "-Dagent=127.0.0.1", "validate"));

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("target: not set (expected: -Dtarget=HOST");
    }

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void shouldReplayTwiceInARowWithoutCleanWhenTheWorkspaceIsKept(Lab lab) throws Exception {
        List<String> settings = List.of("-Dtarget=" + lab.target().ipv4To(LabRole.CLIENT).getHostAddress(),
            "-Dagent=" + JMeterLab.agentAddress(lab), "-DtokenFile=" + tokenFile, "-DclientIps=" + CLIENTS,
            "-Dusers=2");
        List<String> prefetch = new ArrayList<>(settings);
        prefetch.addAll(List.of("validate", "com.lazerycode.jmeter:jmeter-maven-plugin:3.8.0:configure"));
        Result fetched = maven(prefetch); // online, outside the lab: the plugins, JMeter, the extension
        assertThat(fetched.exitCode()).as(fetched.output()).isZero();

        for (int run = 1; run <= 2; run++) {
            List<String> command = new ArrayList<>(mavenCommand());
            command.add("-o");
            command.addAll(settings);
            command.add("verify");
            ExecResult result = lab.client().exec(Duration.ofSeconds(240), command.toArray(new String[0]));

            String described = "run " + run + ":\n" + result.stdout() + result.stderr();
            assertThat(result.exitCode()).as(described).isZero();
            Path jmeter = example.resolveSibling("target/jmeter");
            List<Path> results = files(jmeter.resolve("results"), ".csv");
            assertThat(results).as("this run's results only: " + described).hasSize(1);
            List<Map<String, String>> rows = JtlRows.read(results.get(0));
            assertThat(rows).as(described).hasSize(4).allSatisfy(row -> assertThat(row.get("responseCode"))
                .as(row.toString()).isEqualTo("200"));
            assertThat(jmeter.resolve("reports/replay/index.html")).isRegularFile();
        }
        assertThat(Files.readAllLines(nginxDirectory.resolve("access.log")))
            .filteredOn(line -> line.startsWith("198.18.29.")).hasSize(8);
    }

    /** This build's jars and POMs (parent, replay-common, replay-netty, jmeter-plugin) into the private repository. */
    private static void installSnapshots() throws Exception {
        String[][] artifacts = {{"pom.xml", "pom.xml"},
            {"replay-common/target/replay-common-0.1.0-SNAPSHOT.jar", "replay-common/pom.xml"},
            {"replay-netty/target/replay-netty-0.1.0-SNAPSHOT.jar", "replay-netty/pom.xml"},
            {"jmeter-plugin/target/jmeter-plugin-0.1.0-SNAPSHOT.jar", "jmeter-plugin/pom.xml"}};
        for (String[] artifact : artifacts) {
            assertThat(root.resolve(artifact[0])).as("built by this reactor").isRegularFile();
            List<String> command = new ArrayList<>(List.of(root.resolve("mvnw").toString(), "-B", "-q", "-N",
                "-f", root.resolve("pom.xml").toString(), "-Dmaven.repo.local=" + privateRepository,
                "-Dmaven.repo.local.tail=" + sharedRepository(), "-Dcheckstyle.skip", "install:install-file",
                "-Dfile=" + root.resolve(artifact[0]), "-DpomFile=" + root.resolve(artifact[1])));
            Result result = run(command);
            assertThat(result.exitCode()).as(String.join(" ", command) + "\n" + result.output()).isZero();
        }
    }

    private static List<String> mavenCommand() {
        return List.of(root.resolve("mvnw").toString(), "-B", "-q", "-f", example.toString(),
            "-Dmaven.repo.local=" + privateRepository, "-Dmaven.repo.local.tail=" + sharedRepository());
    }

    private static Result maven(List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>(mavenCommand());
        command.addAll(arguments);
        return run(command);
    }

    private static Result run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static Path sharedRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null && !configured.isBlank() ? Path.of(configured)
            : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private static List<Path> files(Path folder, String suffix) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.toString().endsWith(suffix)).toList();
        }
    }

    private record Result(int exitCode, String output) {
    }
}
