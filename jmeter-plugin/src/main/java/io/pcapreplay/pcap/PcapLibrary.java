package io.pcapreplay.pcap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Makes sure pcap4j finds libpcap. pcap4j loads the library named by the system property
 * {@value #LIBRARY_PROPERTY} (default "pcap", i.e. {@code libpcap.so}, which only the -dev package installs). When
 * the property is not set, this looks for {@code libpcap.so}, then {@code libpcap.so.1} and {@code libpcap.so.0.8}
 * in the usual library directories and sets the property to the first one found.
 */
public final class PcapLibrary {

    /** The system property pcap4j reads (org.pcap4j.core.NativeMappings: package name + ".pcapLibName"). */
    public static final String LIBRARY_PROPERTY = "org.pcap4j.core.pcapLibName";

    private static final List<String> NAMES = List.of("libpcap.so", "libpcap.so.1", "libpcap.so.0.8",
        "libpcap.dylib", "libpcap.A.dylib");
    private static final List<String> DIRECTORIES = List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
        "/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib",
        "/usr/local/lib", "/opt/homebrew/lib", "/opt/local/lib");

    private PcapLibrary() {
    }

    /**
     * Sets {@value #LIBRARY_PROPERTY} unless already set.
     *
     * @return the library name or path pcap4j will load
     * @throws CaptureException when no libpcap is found
     */
    public static synchronized String configure() throws CaptureException {
        String configured = System.getProperty(LIBRARY_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        Path found = find(DIRECTORIES);
        if (found == null) {
            throw new CaptureException("libpcap not found: none of " + NAMES + " in " + DIRECTORIES
                + " (expected: libpcap installed; run: apt-get install libpcap0.8, or set -D" + LIBRARY_PROPERTY
                + "=/path/to/libpcap.so)");
        }
        System.setProperty(LIBRARY_PROPERTY, found.toString());
        return found.toString();
    }

    /**
     * Finds the first libpcap in the given directories.
     *
     * @param directories where to look, in order
     * @return the library path, or null
     */
    static Path find(List<String> directories) {
        for (String name : NAMES) {
            for (String directory : directories) {
                Path candidate = Paths.get(directory, name);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
