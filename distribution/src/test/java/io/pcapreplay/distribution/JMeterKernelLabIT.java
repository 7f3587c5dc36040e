package io.pcapreplay.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.ExecResult;
import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.lab.demo.JtlRows;
import io.pcapreplay.lab.demo.ReplaySetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real JMeter 5.6.3 runs examples/plans/replay.jmx headless with {@code -Jtransport=kernel}: as user nobody
 * ({@code setpriv}: no root, no capabilities), with no agent anywhere and no route for fake clients, inside the
 * client namespace, against nginx serving what examples/pcaps/http-keepalive.pcap recorded in the target namespace.
 * Each run binds its own address of the client's interface, so nginx's access log shows exactly its requests.
 */
@LabTest
class JMeterKernelLabIT {

    private static final String NOBODY = "65534";
    private static Path nginxDirectory;
    private static Path jmeterHome;
    private static Path plan;
    private static Path pcap;

    @BeforeAll
    static void servers(Lab lab) throws Exception {
        nginxDirectory = JMeterLab.startRecordedNginx(lab);
        Path project = Path.of(System.getProperty("project.root"));
        jmeterHome = readableByNobody(lab, JMeterLab.jmeterHome());
        plan = readableByNobody(lab, project.resolve("examples/plans/replay.jmx"));
        pcap = readableByNobody(lab, project.resolve("examples/pcaps/http-keepalive.pcap"));
        assertThat(lab.client().exec(JMeterLab.WAIT, asNobody("test", "-x", ReplaySetup.java())).exitCode())
            .as("java executable by nobody: " + ReplaySetup.java()).isZero();
        String device = lab.client().interfaceTo(LabRole.TARGET);
        for (String address : List.of("198.19.1.131", "198.19.1.132")) {
            lab.client().exec(JMeterLab.WAIT, "ip", "address", "add", address + "/24", "dev", device).orThrow();
        }
    }

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void shouldWriteOneSuccessfulRowPerRecordedRequestWhenAnUnprivilegedJMeterReplaysOverKernelSockets(Lab lab)
            throws Exception {
        Path run = runDirectory(lab, "jmeter-kernel");

        ExecResult result = runAsNobody(lab, run, properties(lab, "kernel 198.19.1.131"));

        assertThat(result.exitCode()).as(describe(result, run)).isZero();
        Path jtl = run.resolve("results.jtl");
        assertThat(Files.getOwner(jtl).getName()).as("written by the unprivileged JMeter").isEqualTo("nobody");
        List<Map<String, String>> rows = JtlRows.read(jtl);
        assertThat(rows).as(describe(result, run)).hasSize(4).allSatisfy(row -> {
            assertThat(row.get("success")).as(row.toString()).isEqualTo("true");
            assertThat(row.get("responseCode")).as(row.toString()).isEqualTo("200");
        });
        assertThat(run.resolve("report/index.html")).as("the dashboard").isRegularFile();
        assertThat(rows).extracting(row -> row.get("label"))
            .containsExactlyInAnyOrder("GET /", "GET /page.txt", "POST /login", "GET /page.txt");
        assertThat(rows).filteredOn(row -> row.get("label").equals("GET /")).allSatisfy(row ->
            assertThat(Long.parseLong(row.get("Connect"))).as("connect time of a first exchange").isNotNegative());
        assertThat(rows).filteredOn(row -> row.get("label").equals("GET /page.txt"))
            .allSatisfy(row -> assertThat(Long.parseLong(row.get("bytes"))).isGreaterThan(3_000));
        assertThat(Files.readAllLines(nginxDirectory.resolve("access.log")))
            .filteredOn(line -> line.startsWith("198.19.1.131:")).hasSize(4);
        String log = Files.readString(run.resolve("jmeter.log"));
        log.lines().filter(line -> line.contains("kernel")).forEach(System.out::println);
        Path token = plan.toAbsolutePath().normalize().resolveSibling("agent.token"); // relative: the plan's folder
        assertThat(log).contains("transport kernel: at most", "concurrent users on this host",
            "transport kernel: agent '127.0.0.1', token file '" + token + "', client addresses '198.18.1.*' not used");
    }

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void shouldPublishEveryExchangeWhenEngineDrivenUsersReplayOverKernelSockets(Lab lab) throws Exception {
        Path run = runDirectory(lab, "jmeter-kernel-engine-driven");
        List<String> properties = new ArrayList<>(properties(lab, "kernel 198.19.1.132"));
        properties.addAll(List.of("userMode=engine-driven", "publishers=2"));

        ExecResult result = runAsNobody(lab, run, properties);

        assertThat(result.exitCode()).as(describe(result, run)).isZero();
        assertThat(JtlRows.read(run.resolve("results.jtl"))).as(describe(result, run)).hasSize(4)
            .allSatisfy(row -> assertThat(row.get("responseCode")).as(row.toString()).isEqualTo("200"));
        assertThat(Files.readAllLines(nginxDirectory.resolve("access.log")))
            .filteredOn(line -> line.startsWith("198.19.1.132:")).hasSize(4);
    }

    /** The path itself when nobody can read it, else a copy in the lab's work directory (e.g. a clone in /root). */
    private static Path readableByNobody(Lab lab, Path path) throws Exception {
        if (lab.client().exec(JMeterLab.WAIT, asNobody("test", "-r", path.toString())).exitCode() == 0) {
            return path;
        }
        Path copy = lab.workDir().resolve("for-nobody").resolve(path.getFileName());
        Files.createDirectories(copy.getParent());
        lab.client().exec(Duration.ofSeconds(60), "cp", "-a", path.toString(), copy.toString()).orThrow();
        return copy;
    }

    private static String[] asNobody(String... command) {
        List<String> full = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
            "--clear-groups", "--no-new-privs", "--"));
        full.addAll(List.of(command));
        return full.toArray(new String[0]);
    }

    private static Path runDirectory(Lab lab, String name) throws Exception {
        Path run = Files.createDirectories(lab.workDir().resolve(name));
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxrwxrwx"));
        return run;
    }

    /** {@code setpriv --reuid=nobody --regid=nogroup --clear-groups jmeter -n ...} in the client namespace. */
    private static ExecResult runAsNobody(Lab lab, Path run, List<String> properties) throws Exception {
        List<String> all = new ArrayList<>(properties);
        all.add("jmeter.reportgenerator.temp_dir=" + run.resolve("report-temp")); // nobody cannot write the default
        List<String> command = ReplaySetup.headlessCommand(ReplaySetup.java(), jmeterHome, plan, run, all);
        return lab.client().exec(Duration.ofSeconds(90), asNobody(command.toArray(new String[0])));
    }

    private static List<String> properties(Lab lab, String transport) {
        return List.of("pcap=" + pcap, "serverPort=80",
            "target=" + lab.target().ipv4To(LabRole.CLIENT).getHostAddress(), "targetPort=0",
            "transport=" + transport, "users=2", "loops=1", "duration=60", "speed=1", "responseTimeout=10000",
            "connectTimeout=3000");
    }

    private static String describe(ExecResult result, Path run) {
        String log;
        try {
            Path file = run.resolve("jmeter.log");
            log = Files.exists(file) ? Files.readString(file) : "(no jmeter.log)";
            Path jtl = run.resolve("results.jtl");
            log += Files.exists(jtl) ? "\nJTL:\n" + Files.readString(jtl) : "\n(no results.jtl)";
        } catch (java.io.IOException e) {
            log = e.toString();
        }
        return "exit " + result.exitCode() + "\nstdout:\n" + result.stdout() + "\nstderr:\n" + result.stderr()
            + "\njmeter.log:\n" + log;
    }
}
