package io.pcapreplay.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process may capture: root or CAP_NET_RAW in its effective capability set (Linux). */
public final class Privileges {

    private static final int CAP_NET_RAW = 13;

    private Privileges() {
    }

    /**
     * @param procStatus the text of /proc/self/status
     * @return true when CapEff has CAP_NET_RAW, or when the text has no CapEff line (not Linux: let libpcap tell)
     */
    static boolean canCapture(String procStatus) {
        for (String line : procStatus.split("\n")) {
            if (line.startsWith("CapEff:")) {
                long effective = Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
                return (effective & (1L << CAP_NET_RAW)) != 0;
            }
        }
        return true;
    }

    /** @return true when this process may open capture devices (or when that cannot be told) */
    public static boolean canCapture() {
        try {
            return canCapture(Files.readString(Path.of("/proc/self/status")));
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }
}
