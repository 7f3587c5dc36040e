package io.pcapreplay.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the plugin's layers pointing one way: {@code pcap -> tcp -> http -> net -> jmeter} (each may use the ones
 * before it, never the ones after), only {@code jmeter} imports JMeter, and the shared module stays pure Java.
 */
class LayeringTest {

    private static final Path ROOT = Path.of(System.getProperty("project.root", ".."));
    private static final Path PLUGIN = ROOT.resolve("jmeter-plugin/src/main/java/io/pcapreplay");
    private static final Path COMMON = ROOT.resolve("replay-common/src/main/java/io/pcapreplay");

    /** Package -> imports it must not have. */
    private static final Map<String, List<String>> FORBIDDEN = Map.of(
            "pcap", List.of("io.pcapreplay.http.", "io.pcapreplay.tcp.", "io.pcapreplay.net.", "io.pcapreplay.jmeter.",
                "org.apache.jmeter."),
            "tcp", List.of("io.pcapreplay.http.", "io.pcapreplay.net.", "io.pcapreplay.jmeter.", "org.apache.jmeter."),
            "http", List.of("io.pcapreplay.net.", "io.pcapreplay.jmeter.", "org.apache.jmeter."),
            "net", List.of("io.pcapreplay.jmeter.", "org.apache.jmeter."),
            "cli", List.of("io.pcapreplay.jmeter.", "org.apache.jmeter."));

    @Test
    void shouldImportOnlyEarlierLayersWhenInAPluginPackage() {
        List<String> violations = new ArrayList<>();
        FORBIDDEN.forEach((layer, forbidden) -> {
            for (Path file : javaFiles(PLUGIN.resolve(layer))) {
                for (String line : imports(file)) {
                    for (String prefix : forbidden) {
                        if (line.startsWith("import " + prefix) || line.startsWith("import static " + prefix)) {
                            violations.add(PLUGIN.relativize(file) + ": " + line);
                        }
                    }
                }
            }
        });
        assertThat(violations).as("imports against the layering pcap -> tcp -> net -> jmeter").isEmpty();
    }

    @Test
    void shouldImportOnlyTheJdkWhenInTheSharedModule() {
        List<String> violations = new ArrayList<>();
        for (Path file : javaFiles(COMMON)) {
            for (String line : imports(file)) {
                String name = line.replace("import static ", "").replace("import ", "");
                if (!name.startsWith("java.") && !name.startsWith("io.pcapreplay.")) {
                    violations.add(COMMON.relativize(file) + ": " + line);
                }
            }
        }
        assertThat(javaFiles(COMMON)).isNotEmpty();
        assertThat(violations).as("replay-common must stay pure Java").isEmpty();
    }

    private static List<Path> javaFiles(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(file -> file.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> imports(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.map(String::trim).filter(line -> line.startsWith("import ")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
