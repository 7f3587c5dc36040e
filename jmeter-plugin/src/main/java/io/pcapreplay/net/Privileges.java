package io.pcapreplay.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Who this process is, as the kernel sees it for raw sockets: its user id and whether CAP_NET_RAW is in its effective
 * capabilities ({@code /proc/self/status}, lines {@code Uid:} and {@code CapEff:}).
 *
 * @param uid the effective user id, -1 unknown
 * @param effectiveCapabilities the effective capability bits, -1 unknown
 */
record Privileges(long uid, long effectiveCapabilities) {

    /** The bit of CAP_NET_RAW (linux/capability.h). */
    static final int CAP_NET_RAW = 13;

    /** Returns this process's privileges (unknown ones as -1). */
    static Privileges current() {
        return read(Path.of("/proc/self/status"));
    }

    static Privileges read(Path status) {
        List<String> lines;
        try {
            lines = Files.readAllLines(status);
        } catch (IOException | RuntimeException e) {
            return new Privileges(-1, -1);
        }
        long uid = -1;
        long capabilities = -1;
        for (String line : lines) {
            String[] words = line.trim().split("\\s+");
            try {
                if (words[0].equals("Uid:") && words.length >= 3) {
                    uid = Long.parseLong(words[2]);
                } else if (words[0].equals("CapEff:") && words.length >= 2) {
                    capabilities = Long.parseUnsignedLong(words[1], 16);
                }
            } catch (NumberFormatException e) {
                // left unknown
            }
        }
        return new Privileges(uid, capabilities);
    }

    /**
     * Tells whether raw sockets are allowed: CAP_NET_RAW in the effective set (root has it unless a container or
     * {@code setpriv --bounding-set -net_raw} took it away); when the capabilities are unknown, whether this is root.
     */
    boolean mayUseRawSockets() {
        return effectiveCapabilities >= 0 ? netRaw() : uid == 0;
    }

    /**
     * Returns who this is, for a person: "root", "root without CAP_NET_RAW", "uid 1000 with CAP_NET_RAW",
     * "uid 1000 without CAP_NET_RAW".
     */
    String describe() {
        String user = uid == 0 ? "root" : uid < 0 ? "an unknown user" : "uid " + uid;
        if (effectiveCapabilities < 0 || uid == 0 && netRaw()) {
            return user;
        }
        return user + (netRaw() ? " with" : " without") + " CAP_NET_RAW";
    }

    private boolean netRaw() {
        return (effectiveCapabilities >> CAP_NET_RAW & 1) == 1;
    }
}
