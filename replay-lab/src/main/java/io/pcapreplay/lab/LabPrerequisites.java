package io.pcapreplay.lab;

import com.sun.jna.NativeLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides whether lab tests run, are skipped or fail: they need root, the tools and libpcap. Missing prerequisites
 * skip the tests, except under {@code CI=true} where they fail; {@code -Dlab.skip=true} always skips them.
 */
public final class LabPrerequisites {
    /** The command that installs what the lab needs on Debian/Ubuntu. */
    public static final String INSTALL_HINT = "install with: sudo apt-get install -y libpcap0.8 libpcap-dev iproute2 "
            + "tcpdump curl nginx-light redis-server procps nftables (scripts/prerequisites.sh, LAB_PACKAGES), and run "
            + "as root (sudo scripts/test.sh)";
    private static final List<String> TOOLS = List.of("ip", "tc", "tcpdump", "nginx", "redis-server", "redis-cli",
            "curl", "nft");

    /** What to do with the lab tests. */
    public enum Outcome {
        RUN,
        SKIP,
        FAIL
    }

    /**
     * A decision and its reason.
     *
     * @param outcome run, skip or fail
     * @param reason why, with what is missing and how to install it (empty when running)
     */
    public record Decision(Outcome outcome, String reason) {
    }

    private LabPrerequisites() {
    }

    /**
     * The decision for this JVM: system property {@code lab.skip}, environment variable {@code CI}, and what is
     * missing on this machine.
     */
    public static Decision decide() {
        boolean skipRequested = Boolean.parseBoolean(System.getProperty("lab.skip", "false"));
        if (skipRequested) {
            return decide(true, false, List.of());
        }
        return decide(false, isCi(System.getenv()), missing());
    }

    /**
     * The decision function.
     *
     * @param skipRequested {@code -Dlab.skip=true} was given
     * @param ci the environment variable CI is "true"
     * @param missing the missing prerequisites, each a short phrase
     */
    public static Decision decide(boolean skipRequested, boolean ci, List<String> missing) {
        if (skipRequested) {
            return new Decision(Outcome.SKIP, "lab tests skipped on purpose: system property lab.skip=true "
                    + "(unit tests only; this skips them even when CI=true)");
        }
        if (missing.isEmpty()) {
            return new Decision(Outcome.RUN, "");
        }
        String what = "lab prerequisites missing: " + String.join(", ", missing) + " (expected: root, ip, tc, "
                + "tcpdump, nginx, redis-server, redis-cli, curl, nft, libpcap); " + INSTALL_HINT;
        if (ci) {
            return new Decision(Outcome.FAIL, what + "; failing because CI=true (set -Dlab.skip=true to skip "
                    + "lab tests on purpose)");
        }
        return new Decision(Outcome.SKIP, what + "; skipped (they would fail under CI=true)");
    }

    static boolean isCi(Map<String, String> environment) {
        return "true".equalsIgnoreCase(environment.getOrDefault("CI", "").trim());
    }

    /** The missing prerequisites of this machine and JVM. */
    public static List<String> missing() {
        List<String> missing = new ArrayList<>();
        if (!isRoot()) {
            missing.add("root (effective uid 0; run with sudo)");
        }
        for (String tool : TOOLS) {
            if (!onPath(tool)) {
                missing.add("command " + tool);
            }
        }
        if (!hasLibpcap()) {
            missing.add("libpcap (libpcap.so)");
        }
        return missing;
    }

    static boolean isRoot() {
        try {
            return Libc.geteuid() == 0;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return false;
        }
    }

    static boolean onPath(String tool) {
        for (String directory : Processes.searchPath().split(":")) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, tool))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasLibpcap() {
        try {
            NativeLibrary.getInstance("pcap");
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }
}
