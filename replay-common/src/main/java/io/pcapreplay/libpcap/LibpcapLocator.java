package io.pcapreplay.libpcap;

import java.io.File;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Makes pcap4j find libpcap without the development package. pcap4j loads the library named by the system property
 * {@value #LIBRARY_PROPERTY}, by default "pcap", i.e. {@code libpcap.so}, which only libpcap-dev installs. When the
 * property is unset, this looks in the usual library directories for {@code libpcap.so}, then for the newest
 * versioned runtime library ({@code libpcap.so.1.x}, {@code libpcap.so.0.8}), and sets the property to it.
 */
public final class LibpcapLocator {

    /** The system property pcap4j reads. */
    public static final String LIBRARY_PROPERTY = "org.pcap4j.core.pcapLibName";

    /** Where Debian, Ubuntu, Fedora, Alpine and macOS package managers keep libpcap. */
    public static final List<String> DIRECTORIES = List.of("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu",
            "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib",
            "/usr/local/lib", "/opt/homebrew/lib", "/opt/local/lib");

    private LibpcapLocator() {
    }

    /**
     * Sets {@value #LIBRARY_PROPERTY} unless already set.
     *
     * @return the library name or path pcap4j will load, or empty when no libpcap is installed (then say
     *     {@link #notFoundMessage()})
     */
    public static synchronized Optional<String> configure() {
        String configured = System.getProperty(LIBRARY_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(configured);
        }
        String found = locate(DIRECTORIES);
        if (found != null) {
            System.setProperty(LIBRARY_PROPERTY, found);
        }
        return Optional.ofNullable(found);
    }

    /** What to tell a user whose machine has no libpcap. */
    public static String notFoundMessage() {
        return "libpcap not found: no libpcap.so or libpcap.so.N in " + DIRECTORIES
                + " (expected: libpcap installed; run: apt-get install libpcap0.8, or set -D" + LIBRARY_PROPERTY
                + "=/path/to/libpcap.so.N)";
    }

    /**
     * Finds a libpcap.
     *
     * @param directories where to look, in order
     * @return {@code libpcap.so} if some directory has it, else the newest {@code libpcap.so.N} of the first
     *     directory holding one, else null
     */
    static String locate(List<String> directories) {
        for (String directory : directories) {
            File plain = new File(directory, "libpcap.so");
            if (plain.canRead()) {
                return plain.getPath();
            }
        }
        for (String directory : directories) {
            File[] versioned = new File(directory).listFiles((dir, name) -> name.startsWith("libpcap.so."));
            if (versioned != null && versioned.length > 0) {
                return Arrays.stream(versioned).map(File::getPath).max(Comparator.naturalOrder()).orElseThrow();
            }
        }
        return null;
    }
}
