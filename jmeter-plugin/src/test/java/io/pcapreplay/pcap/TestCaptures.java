package io.pcapreplay.pcap;

import io.pcapreplay.libpcap.LibpcapLocator;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Test helper: where the public captures (../shared/pcaps/public) and the fixtures (test resources) are. */
public final class TestCaptures {

    private TestCaptures() {
    }

    /**
     * Returns the shared directory: system property {@code shared.dir} (set by surefire), else {@code ../shared}
     * next to the project root.
     *
     * @return the directory
     */
    public static Path sharedDirectory() {
        String shared = System.getProperty("shared.dir");
        if (shared != null && Files.isDirectory(Paths.get(shared))) {
            return Paths.get(shared);
        }
        String root = System.getProperty("project.root");
        Path base = root != null ? Paths.get(root) : Paths.get("").toAbsolutePath();
        for (Path directory = base; directory != null; directory = directory.getParent()) {
            Path candidate = directory.resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("pcaps"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared directory: not found from " + base + " (expected: ../shared next to "
            + "the project root, or -Dshared.dir=...)");
    }

    /**
     * Skips the calling test class when libpcap is missing (a developer machine without it), fails when CI=true.
     */
    public static void requireLibpcap() {
        if (LibpcapLocator.configure().isEmpty()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(LibpcapLocator.notFoundMessage());
            }
            Assumptions.abort(LibpcapLocator.notFoundMessage());
        }
    }

    /**
     * Returns a public capture.
     *
     * @param name the file name in shared/pcaps/public
     * @return the path
     */
    public static Path publicCapture(String name) {
        return sharedDirectory().resolve("pcaps").resolve("public").resolve(name);
    }

    /**
     * Lists every capture file of shared/pcaps/public.
     *
     * @return the paths, sorted
     * @throws IOException when the directory cannot be listed
     */
    public static List<Path> allPublicCaptures() throws IOException {
        try (Stream<Path> files = Files.list(sharedDirectory().resolve("pcaps").resolve("public"))) {
            return files.filter(file -> file.getFileName().toString().matches(".*\\.pcap(ng)?$")).sorted()
                .collect(Collectors.toList());
        }
    }

    /**
     * Returns a fixture of src/test/resources/captures.
     *
     * @param name the file name
     * @return the path
     */
    public static Path fixture(String name) {
        URL url = TestCaptures.class.getResource("/captures/" + name);
        if (url == null) {
            throw new IllegalStateException("fixture: " + name + " (expected: in src/test/resources/captures)");
        }
        try {
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a public capture with default options.
     *
     * @param name the file name in shared/pcaps/public
     * @return the capture
     * @throws CaptureException when it cannot be read
     */
    public static Capture readPublic(String name) throws CaptureException {
        return new CaptureReader().read(publicCapture(name));
    }
}
