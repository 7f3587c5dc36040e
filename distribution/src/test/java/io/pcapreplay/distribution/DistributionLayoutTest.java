package io.pcapreplay.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JMeter the build assembles under target/jmeter is the official 5.6.3 binary distribution plus the plugin zip
 * unzipped into it: the same third-party jars (name and size) in lib/, every standard module in lib/ext, a
 * bin/jmeter launcher that starts it; and the zip does not bring a second copy of anything JMeter ships.
 */
class DistributionLayoutTest {

    /** The modules in lib/ext of the official distribution. */
    private static final List<String> MODULES = List.of("bolt", "components", "core", "ftp", "functions", "http",
        "java", "jdbc", "jms", "junit", "ldap", "mail", "mongodb", "native", "tcp");
    private static final Pattern VERSIONED_JAR = Pattern.compile("(.+?)-(\\d[^-]*(-[A-Za-z0-9.]+)?)\\.jar");

    @Test
    void shouldHoldTheThirdPartyJarsOfTheOfficialDistributionWhenTheZipsOwnAreLeftAside() throws IOException {
        Path home = JMeterLab.jmeterHome();
        Map<String, Long> expected = officialLibraries();
        List<String> fromZip = zipEntries("lib/");

        Map<String, Long> actual = new TreeMap<>();
        try (Stream<Path> files = Files.list(home.resolve("lib"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (!fromZip.contains(name) && !name.equals("jorphan.jar")) {
                    actual.put(name, Files.size(file));
                }
            }
        }

        assertThat(actual).as("lib/ (name -> size) against apache-jmeter-5.6.3/lib").isEqualTo(expected);
        assertThat(home.resolve("lib/jorphan.jar")).isRegularFile();
        assertThat(home.resolve("lib/junit")).isDirectory();
    }

    @Test
    void shouldHaveEveryStandardModuleInLibExtAndNoneInLib() throws IOException {
        Path home = JMeterLab.jmeterHome();

        for (String module : MODULES) {
            assertThat(home.resolve("lib/ext/ApacheJMeter_" + module + ".jar")).isRegularFile();
        }
        try (Stream<Path> files = Files.list(home.resolve("lib"))) {
            assertThat(files.map(file -> file.getFileName().toString()))
                .as("JMeter modules in lib/ break the GUI's menus").noneMatch(name -> name.startsWith("ApacheJMeter"));
        }
        assertThat(home.resolve("bin/ApacheJMeter.jar")).isRegularFile();
        assertThat(home.resolve("bin/jmeter.properties")).content().contains("# Apache JMeter Property file");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldPrintJMetersVersionWhenTheBinJmeterLauncherRuns() throws Exception {
        Path launcher = JMeterLab.jmeterHome().resolve("bin/jmeter");
        assertThat(launcher).isExecutable();

        Process process = new ProcessBuilder(launcher.toString(), "--version").redirectErrorStream(true)
            .directory(launcher.getParent().toFile()).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(50, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("5.6.3").doesNotContain("Exception");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldStartJMeterWithLittleC2InliningUnlessJitIsSetEmpty() throws Exception {
        assertThat(launcherFlags(null)).containsPattern("\\bMaxInlineLevel += 2\\b")
            .containsPattern("\\bInlineSmallCode += 300\\b");
        assertThat(launcherFlags("")).containsPattern("\\bMaxInlineLevel += 15\\b")
            .doesNotContainPattern("\\bInlineSmallCode += 300\\b");
    }

    /** The JVM flags bin/jmeter starts JMeter with (it prints its version and ends), JIT as given (null: unset). */
    private static String launcherFlags(String jit) throws Exception {
        Path launcher = JMeterLab.jmeterHome().resolve("bin/jmeter");
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "--version").redirectErrorStream(true)
            .directory(launcher.getParent().toFile());
        builder.environment().put("JVM_ARGS", "-XX:+PrintFlagsFinal");
        builder.environment().remove("JIT");
        if (jit != null) {
            builder.environment().put("JIT", jit);
        }
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(50, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldRunTheDoctorFromTheInstalledJarsWhenTheClassPathIsTheExtensionAndLib() throws Exception {
        Path home = JMeterLab.jmeterHome();
        String plugin = zipEntries("lib/ext/").get(0);
        int closedPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = free.getLocalPort();
        }

        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
            "lib/ext/" + plugin + ":lib/*", "io.pcapreplay.cli.Main", "doctor", "--target", "127.0.0.1:" + closedPort,
            "--transport", "kernel").redirectErrorStream(true).directory(home.toFile()).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(50, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(3);
        assertThat(output).contains("OK   raw socket: not needed: transport kernel")
            .contains("FAIL target: connection from this host's own address to 127.0.0.1:" + closedPort + " refused")
            .contains("on the target: ss -ltn 'sport = :" + closedPort + "' must list the server")
            .containsPattern("(OK  |WARN) kernel limits: ").doesNotContain("Exception");
    }

    @Test
    void shouldNotShipAJarJMeterAlreadyHasWhenThePluginZipIsUnzippedIntoJMeter() throws IOException {
        List<String> official = new ArrayList<>(officialLibraries().keySet().stream().map(DistributionLayoutTest::base)
            .toList());
        official.add("jorphan");

        List<String> libraries = zipEntries("lib/");
        List<String> extensions = zipEntries("lib/ext/");

        assertThat(extensions).singleElement().asString().matches("jmeter-plugin-.+\\.jar");
        assertThat(libraries).isNotEmpty().allSatisfy(name -> assertThat(base(name)).as(name)
            .isNotIn(official).doesNotStartWith("ApacheJMeter").isNotEqualTo("slf4j-api"));
        assertThat(libraries.stream().map(DistributionLayoutTest::base)).as("one version of each")
            .doesNotHaveDuplicates();
    }

    @Test
    void shouldListTheZipsLibrariesInTheMavenExample() throws IOException {
        String pom = Files.readString(Path.of(System.getProperty("project.root"), "examples", "jmeter-maven",
            "pom.xml"));
        String netty = pom.replaceAll("(?s).*<netty.version>([^<]+)</netty.version>.*", "$1");
        String version = pom.replaceAll("(?s).*<pcap-replay.version>([^<]+)</pcap-replay.version>.*", "$1");
        String libraries = pom.replaceAll("(?s).*<testPlanLibraries>(.*)</testPlanLibraries>.*", "$1");
        List<String> listed = new ArrayList<>();
        Matcher artifact = Pattern.compile("<artifact>[^:<]+:([^:<]+):([^<]+)</artifact>").matcher(libraries);
        while (artifact.find()) {
            listed.add(artifact.group(1) + "-" + artifact.group(2).replace("${netty.version}", netty)
                .replace("${pcap-replay.version}", version) + ".jar");
        }

        assertThat(listed).as("examples/jmeter-maven testPlanLibraries").containsExactlyInAnyOrderElementsOf(
            zipEntries("lib/"));
    }

    /** The official lib/ of JMeter 5.6.3: file name -> size (test resource, origin written in it). */
    static Map<String, Long> officialLibraries() throws IOException {
        Map<String, Long> libraries = new TreeMap<>();
        try (InputStream in = DistributionLayoutTest.class.getResourceAsStream("/jmeter-5.6.3-lib.txt")) {
            assertThat(in).as("jmeter-5.6.3-lib.txt").isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] fields = line.trim().split(" ");
                    libraries.put(fields[0], Long.parseLong(fields[1]));
                }
            }
        }
        return libraries;
    }

    /** The jar names directly under a folder of the plugin zip. */
    static List<String> zipEntries(String folder) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(pluginZip().toFile())) {
            for (ZipEntry entry : zip.stream().toList()) {
                String name = entry.getName();
                if (!entry.isDirectory() && name.startsWith(folder) && name.indexOf('/', folder.length()) < 0) {
                    names.add(name.substring(folder.length()));
                }
            }
        }
        return names;
    }

    /** The plugin zip the build made (target/pcap-replay-jmeter-VERSION.zip). */
    static Path pluginZip() throws IOException {
        Path target = JMeterLab.jmeterHome().getParent();
        try (Stream<Path> files = Files.list(target)) {
            List<Path> zips = files.filter(file -> file.getFileName().toString().matches("pcap-replay-jmeter-.+\\.zip"))
                .toList();
            assertThat(zips).as("the plugin zip in " + target).hasSize(1);
            return zips.get(0);
        }
    }

    /** "netty-common-4.2.18.Final.jar" -> "netty-common". */
    static String base(String jarName) {
        Matcher matcher = VERSIONED_JAR.matcher(jarName);
        return matcher.matches() ? matcher.group(1) : jarName.replaceAll("\\.jar$", "");
    }
}
