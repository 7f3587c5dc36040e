package io.pcapreplay.agent.capture;

import java.io.File;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Makes pcap4j find libpcap without the development package: pcap4j loads {@code libpcap.so} (only installed by
 * libpcap-dev) unless the system property {@value #PROPERTY} names the library. When that property is unset and
 * {@code libpcap.so} is absent, this points it at the versioned runtime library ({@code libpcap.so.0.8},
 * {@code libpcap.so.1.x}) found in the usual directories.
 */
public final class PcapLibrary {

    /** pcap4j's property naming the libpcap to load. */
    public static final String PROPERTY = "org.pcap4j.core.pcapLibName";

    /** Where Debian, Ubuntu, Fedora and Alpine keep libpcap. */
    public static final List<String> DIRECTORIES = List.of("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu",
            "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib",
            "/usr/local/lib");

    private PcapLibrary() {
    }

    /**
     * Sets {@value #PROPERTY} when needed.
     *
     * @return what pcap4j will load: the property's value, or "pcap" when {@code libpcap.so} is present
     * @throws CaptureException when no libpcap is found
     */
    public static String configure() throws CaptureException {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String found = locate(DIRECTORIES);
        if (found == null) {
            throw new CaptureException(CaptureException.Kind.NO_LIBPCAP, "libpcap: not found in " + DIRECTORIES
                    + " (expected: libpcap installed; Debian/Ubuntu: apt-get install libpcap0.8, or run with -D"
                    + PROPERTY + "=/path/to/libpcap.so.N)", null);
        }
        if (!found.endsWith("/libpcap.so")) {
            System.setProperty(PROPERTY, found);
            return found;
        }
        return "pcap";
    }

    /**
     * @param directories where to look, in order
     * @return the path of {@code libpcap.so} if some directory has it, else the newest versioned
     *         {@code libpcap.so.N} of the first directory holding one, else null
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
