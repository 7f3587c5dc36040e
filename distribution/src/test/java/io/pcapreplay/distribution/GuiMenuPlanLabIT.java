package io.pcapreplay.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.pcapreplay.distribution.gui.GuiDriver;
import io.pcapreplay.lab.ExecResult;
import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.lab.demo.JtlRows;
import io.pcapreplay.lab.demo.ReplaySetup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The JMeter GUI as a user meets it: the bundled JMeter 5.6.3 started with bin/jmeter on an Xvfb display (started
 * and stopped by this test), driven with real mouse and keyboard events by {@link GuiDriver}. A plan is made only
 * through the Add menus and the keyboard, saved, reopened, checked unchanged, and then replayed headless in the lab
 * from another working directory (its capture path is relative to the plan's folder). Screenshots, the driver's log
 * and JMeter's log stay in target/gui.
 */
@LabTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GuiMenuPlanLabIT {

    private static final String CLIENTS = "198.18.28.*";

    private static Path output;
    private static Path plan;
    private static Path nginxDirectory;
    private static Path tokenFile;

    @BeforeAll
    static void servers(Lab lab) throws Exception {
        if ("true".equals(System.getenv("CI"))) {
            assertThat(XvfbDisplay.available()).as("Xvfb (Debian package xvfb, installed by scripts/test.sh)")
                .isTrue();
        }
        Assumptions.assumeTrue(XvfbDisplay.available(), "Xvfb not installed (apt-get install xvfb)");
        output = JMeterLab.jmeterHome().getParent().resolve("gui");
        if (Files.exists(output)) {
            try (Stream<Path> files = Files.walk(output)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(file -> file.toFile().delete());
            }
        }
        Files.createDirectories(output.resolve("plans"));
        Files.createDirectories(output.resolve("pcaps"));
        Files.copy(Path.of(System.getProperty("project.root"), "examples", "pcaps", "http-keepalive.pcap"),
            output.resolve("pcaps/http-keepalive.pcap"));
        plan = output.resolve("plans/menu-plan.jmx");
        nginxDirectory = JMeterLab.startRecordedNginx(lab);
        tokenFile = JMeterLab.startAgent(lab);
    }

    @Test
    @Order(1)
    @Timeout(value = 360, unit = TimeUnit.SECONDS)
    void shouldMakeSaveAndReopenAPlanThroughTheMenusWhenAUserDrivesTheGui(Lab lab) throws Exception {
        Properties settings = new Properties();
        settings.setProperty("output", output.toString());
        settings.setProperty("plan", plan.toString());
        settings.setProperty("resaved", resaved().toString());
        settings.setProperty("users", "3");
        settings.setProperty("captureFiles", "../pcaps/http-keepalive.pcap");
        settings.setProperty("serverPorts", "80");
        settings.setProperty("targetHost", lab.target().ipv4To(LabRole.CLIENT).getHostAddress());
        settings.setProperty("agentAddress", JMeterLab.agentAddress(lab));
        settings.setProperty("tokenFile", "agent.token");
        settings.setProperty("clientAddresses", CLIENTS);
        Path settingsFile = output.resolve("driver.properties");
        try (OutputStream out = Files.newOutputStream(settingsFile)) {
            settings.store(out, "GuiMenuPlanLabIT");
        }

        int exit;
        try (XvfbDisplay display = XvfbDisplay.start(output.resolve("xvfb.log"))) {
            exit = runGui(display, driverJar(), settingsFile);
        }

        Properties result = new Properties();
        Path resultFile = output.resolve("result.properties");
        assertThat(resultFile).as("the driver's result (see target/gui/driver.log)").exists();
        try (InputStream in = Files.newInputStream(resultFile)) {
            result.load(in);
        }
        String described = "exit " + exit + ", result " + result + "\ndriver.log:\n" + read("driver.log")
            + "\njmeter.log:\n" + read("jmeter.log");
        assertThat(result.getProperty("status")).as(described).isEqualTo("ok");
        assertThat(exit).as(described).isZero();
        assertThat(result).as("defaults of a group added from the menu: " + described)
            .containsEntry("added.users", "1").containsEntry("added.rampUp", "1")
            .containsEntry("added.captureFiles", "")
            .containsEntry("added.handOut", "round-robin").containsEntry("added.mode", "thread-per-user")
            .containsEntry("added.publishersEnabled", "false").containsEntry("added.virtualThreads", "true");
        assertThat(result).as("defaults of a sampler added from the menu").containsEntry("added.targetPort", "0")
            .containsEntry("added.clientAddresses", "198.18.1.*").containsEntry("added.transport", "raw-ip")
            .containsEntry("added.speedFactor", "1");
        assertThat(result).as("what was typed, after saving and reopening")
            .containsEntry("reloaded.users", "3").containsEntry("reloaded.captureFiles", "../pcaps/http-keepalive.pcap")
            .containsEntry("reloaded.serverPorts", "80").containsEntry("reloaded.targetHost",
                settings.getProperty("targetHost")).containsEntry("reloaded.tokenFile", "agent.token")
            .containsEntry("reloaded.clientAddresses", CLIENTS);
        assertThat(result).as("JMeter asks to save only a changed plan")
            .containsEntry("askedToSave.afterSave", "false").containsEntry("askedToSave.afterResave", "false");
        for (String element : List.of("io.pcapreplay.jmeter.PcapReplayThreadGroup",
                "io.pcapreplay.jmeter.PcapSessionSampler")) {
            assertThat(xml(resaved(), element)).as(element + " opened, shown in its form, saved again: unchanged")
                .isEqualTo(xml(plan, element)).contains("<" + element);
        }
        assertThat(result).as("a second group starts from the defaults, not from the plan shown before")
            .containsEntry("second.users", "1").containsEntry("second.captureFiles", "");
        assertThat(read("jmeter.log").lines().filter(line -> line.contains(" ERROR ") || line.contains("Exception")))
            .as("errors in jmeter.log").isEmpty();
        for (String screenshot : List.of("01-jmeter-started.png", "pcap-replay-thread-group.png",
                "pcap-session-sampler.png", "04-reloaded-thread-group.png", "05-reloaded-sampler.png")) {
            assertThat(output.resolve(screenshot)).isNotEmptyFile();
        }
        assertThat(plan).content().contains("io.pcapreplay.jmeter.PcapReplayThreadGroup",
            "io.pcapreplay.jmeter.PcapSessionSampler");
    }

    @Test
    @Order(2)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldReplayWithTheUsersOfThePlanWhenThePlanMadeInTheGuiRunsHeadlessFromAnotherDirectory(Lab lab)
            throws Exception {
        if (!Files.exists(plan)) {
            fail("no plan from the GUI test at " + plan);
        }
        Files.copy(tokenFile, plan.resolveSibling("agent.token"), StandardCopyOption.REPLACE_EXISTING);
        Path run = Files.createDirectories(lab.workDir().resolve("gui-plan"));

        // docs/setup.md: the fake clients' SYNs seen on the target's data interface
        io.pcapreplay.lab.LabProcess syns = lab.target().start("tcpdump", "-ni", lab.target().interfaceTo(
            LabRole.CLIENT), "-c", "3", "tcp[tcpflags] & tcp-syn != 0 and src net 198.18.0.0/15");
        syns.awaitOutput("listening on", JMeterLab.WAIT);

        // the working directory is the lab's (not the plan's folder): the plan's relative paths resolve from its folder
        ExecResult result = lab.client().exec(java.time.Duration.ofSeconds(90),
            ReplaySetup.headlessCommand(ReplaySetup.java(), JMeterLab.jmeterHome(), plan, run, List.of())
                .toArray(new String[0]));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (syns.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        String synOutput = syns.output();
        if (syns.isAlive()) {
            syns.stop();
        }
        assertThat(synOutput).as("tcpdump of the fake SYNs on the target").contains("3 packets captured")
            .contains(" > " + lab.target().ipv4To(LabRole.CLIENT).getHostAddress() + ".80: Flags [S]");

        String log = Files.exists(run.resolve("jmeter.log")) ? Files.readString(run.resolve("jmeter.log")) : "";
        assertThat(result.exitCode()).as(result.stdout() + result.stderr() + log).isZero();
        List<Map<String, String>> rows = JtlRows.read(run.resolve("results.jtl"));
        assertThat(rows).as("3 users, 1 session each (round-robin over a 3-request and a 1-request session)\n" + log)
            .hasSize(7).allSatisfy(row -> {
                assertThat(row.get("success")).as(row.toString()).isEqualTo("true");
                assertThat(row.get("responseCode")).as(row.toString()).isEqualTo("200");
            });
        assertThat(rows.stream().map(row -> row.get("threadName")).distinct()).as("users").hasSize(3);
        assertThat(Files.readAllLines(nginxDirectory.resolve("access.log")))
            .filteredOn(line -> line.startsWith("198.18.28.")).hasSize(7);
    }

    /** Starts JMeter's GUI with bin/jmeter and the driver as a Java agent; returns its exit status. */
    private static int runGui(XvfbDisplay display, Path driverJar, Path settingsFile) throws Exception {
        Path home = JMeterLab.jmeterHome();
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/jmeter").toString(),
            "-j", output.resolve("jmeter.log").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(output.toFile()).redirectErrorStream(true)
            .redirectOutput(output.resolve("jmeter-stdout.txt").toFile());
        builder.environment().put("DISPLAY", display.display());
        builder.environment().put("HEAP", "-Xms128m -Xmx512m");
        builder.environment().put("JVM_ARGS", "-javaagent:" + driverJar + "=" + settingsFile
            + " -Duser.language=en -Duser.region=US");
        Process jmeter = builder.start();
        if (!jmeter.waitFor(300, TimeUnit.SECONDS)) {
            jmeter.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return -1;
        }
        return jmeter.exitValue();
    }

    /** The driver classes (test-classes/.../gui) in a jar whose manifest names GuiDriver as the agent. */
    private static Path driverJar() throws IOException {
        Path classes = Path.of(GuiDriver.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path folder = classes.resolve("io/pcapreplay/distribution/gui");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", GuiDriver.class.getName());
        Path jar = output.resolve("gui-driver.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(file -> file.toString().endsWith(".class")).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString()));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static Path resaved() {
        return output.resolve("plans/menu-plan-resaved.jmx");
    }

    /** The XML of the one element of that class in a saved plan, from its start tag to its end tag. */
    private static String xml(Path file, String element) throws IOException {
        String text = Files.readString(file);
        int start = text.indexOf("<" + element + " ");
        int end = text.indexOf("</" + element + ">");
        return start < 0 || end < 0 ? "(no " + element + " in " + file + ")" : text.substring(start, end);
    }

    private static String read(String name) throws IOException {
        Path file = output.resolve(name);
        return Files.exists(file) ? Files.readString(file) : "(no " + name + ")";
    }
}
