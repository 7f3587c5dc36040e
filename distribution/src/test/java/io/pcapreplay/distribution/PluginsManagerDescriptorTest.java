package io.pcapreplay.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.apache.jmeter.gui.JMeterGUIComponent;
import org.apache.jmeter.testelement.TestElement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JMeter Plugins Manager descriptor (distribution/src/main/plugins-manager/pcap-replay.json, the format of the
 * jmeter-plugins.org repository) against the plugin zip of this build: the release's jar and libraries are exactly
 * what the zip installs, named by their Maven Central addresses, and its classes are the zip's JMeter elements.
 */
class PluginsManagerDescriptorTest {

    private static final Pattern CENTRAL = Pattern.compile(
        "https://repo1\\.maven\\.org/maven2/(.+)/([^/]+)/([^/]+)/\\2-\\3\\.jar");
    private static final String PROJECT_HOME = "https://github.com/pcap-replay/pcap-replay";

    private static JsonNode plugin;
    private static String version;

    @BeforeAll
    static void descriptor() throws IOException {
        Path file = Path.of(System.getProperty("project.root"), "distribution", "src", "main", "plugins-manager",
            "pcap-replay.json");
        JsonNode repository = new ObjectMapper().readTree(file.toFile());
        assertThat(repository.isArray()).as("a repository file is a JSON array of plugins").isTrue();
        assertThat(repository).hasSize(1);
        plugin = repository.get(0);
        String zip = DistributionLayoutTest.pluginZip().getFileName().toString();
        version = zip.replaceAll("^pcap-replay-jmeter-(.+?)(-SNAPSHOT)?\\.zip$", "$1");
    }

    @Test
    void shouldHaveEveryFieldThePluginsManagerReads() {
        for (String field : List.of("id", "name", "description", "screenshotUrl", "helpUrl", "vendor", "markerClass")) {
            assertThat(plugin.path(field).asText()).as(field).isNotBlank();
        }
        assertThat(plugin.path("id").asText()).matches("[a-z0-9-]+");
        assertThat(plugin.path("componentClasses").isArray()).isTrue();
        assertThat(plugin.path("versions").has(version)).as("a release entry for version " + version).isTrue();
        JsonNode release = plugin.path("versions").path(version);
        assertThat(release.path("downloadUrl").asText()).isNotBlank();
        assertThat(release.path("libs").isObject()).isTrue();
    }

    @Test
    void shouldDownloadExactlyTheJarsThePluginZipInstalls() throws IOException {
        JsonNode release = plugin.path("versions").path(version);
        Map<String, String> libraries = new TreeMap<>();
        release.path("libs").fields().forEachRemaining(entry -> libraries.put(entry.getKey(),
            entry.getValue().asText()));

        List<String> downloaded = new ArrayList<>();
        for (Map.Entry<String, String> library : libraries.entrySet()) {
            Matcher url = CENTRAL.matcher(library.getValue());
            assertThat(url.matches()).as("a Maven Central address: " + library.getValue()).isTrue();
            assertThat(library.getKey()).as("name>=version of " + library.getValue())
                .isEqualTo(url.group(2) + ">=" + url.group(3));
            Path artifact = url.group(1).equals("io/pcapreplay")
                ? Path.of(System.getProperty("project.root"), url.group(2)) // our module, published with a release
                : localRepository().resolve(url.group(1)).resolve(url.group(2)); // resolved by this build
            assertThat(artifact).as("group path of " + library.getValue()).isDirectory();
            downloaded.add(url.group(2) + "-" + url.group(3) + ".jar");
        }
        List<String> zipped = DistributionLayoutTest.zipEntries("lib/").stream()
            .map(name -> name.replace("-SNAPSHOT.jar", ".jar")).toList();
        assertThat(downloaded).as("libs against the zip's lib/").containsExactlyInAnyOrderElementsOf(zipped);

        Matcher jar = CENTRAL.matcher(release.path("downloadUrl").asText());
        assertThat(jar.matches()).isTrue();
        assertThat(jar.group(1) + ":" + jar.group(2)).isEqualTo("io/pcapreplay:jmeter-plugin");
        assertThat(DistributionLayoutTest.zipEntries("lib/ext/")).singleElement().asString()
            .startsWith(jar.group(2) + "-" + jar.group(3));
    }

    @Test
    void shouldNameClassesOfThePluginJarThatAreJMeterElements() throws Exception {
        List<String> classes = new ArrayList<>();
        plugin.path("componentClasses").forEach(name -> classes.add(name.asText()));
        classes.add(plugin.path("markerClass").asText());
        String jarName = DistributionLayoutTest.zipEntries("lib/ext/").get(0);
        Path jar = JMeterLab.jmeterHome().resolve("lib/ext").resolve(jarName);

        try (ZipFile entries = new ZipFile(jar.toFile())) {
            for (String name : classes) {
                assertThat(entries.getEntry(name.replace('.', '/') + ".class")).as(name + " in " + jarName)
                    .isNotNull();
                Class<?> type = Class.forName(name);
                assertThat(TestElement.class.isAssignableFrom(type) || JMeterGUIComponent.class.isAssignableFrom(type))
                    .as(name + " is a JMeter element or form").isTrue();
            }
        }
        assertThat(classes).contains("io.pcapreplay.jmeter.PcapReplayThreadGroup",
            "io.pcapreplay.jmeter.PcapReplayThreadGroupGui", "io.pcapreplay.jmeter.PcapSessionSampler");
    }

    @Test
    void shouldPointAtTheProjectsReadmeAndAScreenshotInTheRepository() {
        String screenshot = plugin.path("screenshotUrl").asText();
        assertThat(screenshot).startsWith(PROJECT_HOME + "/raw/main/");
        assertThat(Path.of(System.getProperty("project.root"), screenshot.substring((PROJECT_HOME + "/raw/main/")
            .length()))).isRegularFile();
        assertThat(plugin.path("helpUrl").asText()).isEqualTo(PROJECT_HOME + "/blob/main/README.md");
    }

    private static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null && !configured.isBlank() ? Path.of(configured)
            : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }
}
