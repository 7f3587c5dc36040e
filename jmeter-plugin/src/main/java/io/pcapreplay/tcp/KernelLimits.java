package io.pcapreplay.tcp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What bounds a {@link KernelReplayer} on this host: each open session holds one file descriptor (RLIMIT_NOFILE,
 * read from /proc/self/limits) and one ephemeral port (net.ipv4.ip_local_port_range) per local address; unbound
 * sockets share a port among different targets (the kernel picks it per destination), bound ones do not. Values the
 * host does not show are -1.
 *
 * @param openFilesSoft the soft open-files limit (Long.MAX_VALUE: unlimited), -1 unknown
 * @param openFilesHard the hard open-files limit, -1 unknown
 * @param openFilesInUse descriptors this process holds now, -1 unknown
 * @param portLow the first ephemeral port, -1 unknown
 * @param portHigh the last ephemeral port, -1 unknown
 * @param localAddresses local addresses sockets are bound to (0: the kernel chooses)
 * @param targets distinct target addresses
 * @param timeWaitReuse net.ipv4.tcp_tw_reuse (0 off, 1 on, 2 loopback only), -1 unknown
 */
public record KernelLimits(long openFilesSoft, long openFilesHard, int openFilesInUse, int portLow, int portHigh,
                           int localAddresses, int targets, int timeWaitReuse) {

    /** Descriptors kept for the rest of the process (JMeter's jars, logs, listeners, the selectors). */
    public static final int RESERVED_FILES = 64;
    /** How long Linux keeps a port in TIME_WAIT after this side closed first. */
    public static final int TIME_WAIT_SECONDS = 60;

    /**
     * Reads the limits of this process and host.
     *
     * @param localAddresses local addresses bound (0: none)
     * @param targets distinct target addresses (at least 1)
     * @return the limits
     */
    public static KernelLimits detect(int localAddresses, int targets) {
        return read(Path.of("/proc/self/limits"), Path.of("/proc/sys/net/ipv4/ip_local_port_range"),
            Path.of("/proc/sys/net/ipv4/tcp_tw_reuse"), Path.of("/proc/self/fd"), localAddresses, targets);
    }

    static KernelLimits read(Path limits, Path portRange, Path timeWaitReuse, Path descriptors, int localAddresses,
            int targets) {
        long soft = -1;
        long hard = -1;
        for (String line : lines(limits)) {
            if (line.startsWith("Max open files")) {
                String[] words = line.substring("Max open files".length()).trim().split("\\s+");
                if (words.length >= 2) {
                    soft = limit(words[0]);
                    hard = limit(words[1]);
                }
            }
        }
        int low = -1;
        int high = -1;
        String[] range = String.join(" ", lines(portRange)).trim().split("\\s+");
        if (range.length == 2) {
            low = (int) number(range[0]);
            high = (int) number(range[1]);
        }
        String reuse = String.join("", lines(timeWaitReuse)).trim();
        int inUse = -1;
        try (Stream<Path> files = Files.list(descriptors)) {
            inUse = (int) files.count();
        } catch (IOException | RuntimeException e) {
            // not Linux: unknown
        }
        return new KernelLimits(soft, hard, inUse, low, high, localAddresses, Math.max(1, targets),
            reuse.isEmpty() ? -1 : (int) number(reuse));
    }

    /** Returns the ephemeral ports per local address (and, unbound, per target): the count, -1 unknown. */
    public long ports() {
        return portLow < 0 || portHigh < portLow ? -1 : portHigh - portLow + 1L;
    }

    /** Returns the sessions the ports allow at once: ports x local addresses, or x targets when unbound; -1 unknown. */
    public long portCapacity() {
        return ports() < 0 ? -1 : ports() * (localAddresses > 0 ? localAddresses : targets);
    }

    /** Returns the sessions the descriptors allow at once: soft limit - in use - reserved; -1 unknown. */
    public long fileCapacity() {
        if (openFilesSoft < 0) {
            return -1;
        }
        if (openFilesSoft == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, openFilesSoft - Math.max(0, openFilesInUse) - RESERVED_FILES);
    }

    /** Returns the concurrent sessions (users) this host can hold: the smaller bound, -1 when neither is known. */
    public long capacity() {
        long ports = portCapacity();
        long files = fileCapacity();
        if (ports < 0) {
            return files;
        }
        return files < 0 ? ports : Math.min(ports, files);
    }

    /** Returns the sessions per second this host may close first (FIN) before TIME_WAIT holds every port; -1. */
    public long closesPerSecond() {
        return portCapacity() < 0 ? -1 : portCapacity() / TIME_WAIT_SECONDS;
    }

    /** Returns the whole statement, with every number: one line for the log. */
    public String describe() {
        long capacity = capacity();
        String files = openFilesSoft < 0 ? "open files: unknown" : String.format(Locale.ROOT,
            "open files: soft limit %s (hard %s), %d in use, %d kept for the rest of the process = %s",
            count(openFilesSoft), count(openFilesHard), openFilesInUse, RESERVED_FILES, count(fileCapacity()));
        String ports = ports() < 0 ? "ephemeral ports: unknown" : String.format(Locale.ROOT,
            "ephemeral ports %d-%d: %d x %s = %s", portLow, portHigh, ports(),
            localAddresses > 0 ? localAddresses + " bound local address(es)" : targets + " target address(es)",
            count(portCapacity()));
        String limit = capacity < 0 ? "unknown" : count(capacity);
        String bound = capacity < 0 ? "" : capacity == fileCapacity() ? " (the open-files limit: raise it with "
            + "ulimit -n)" : " (the ports: bind more local addresses, transport 'kernel ADDRESS ...')";
        String timeWait = closesPerSecond() < 0 ? "" : String.format(Locale.ROOT, "; sessions this host closes "
            + "first keep their port in TIME_WAIT for %d s: at most %d such closes/s%s", TIME_WAIT_SECONDS,
            closesPerSecond(), timeWaitReuse == 1 ? " (net.ipv4.tcp_tw_reuse=1 lets new connections reuse them)"
                : " (set net.ipv4.tcp_tw_reuse=1 to reuse them for new connections)");
        return "transport kernel: at most " + limit + " concurrent users on this host" + bound + ": " + files
            + "; " + ports + timeWait;
    }

    private static String count(long value) {
        return value == Long.MAX_VALUE ? "unlimited" : String.format(Locale.ROOT, "%,d", value);
    }

    private static long limit(String word) {
        return word.equals("unlimited") ? Long.MAX_VALUE : number(word);
    }

    private static long number(String word) {
        try {
            return Long.parseLong(word);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static java.util.List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException | RuntimeException e) {
            return java.util.List.of();
        }
    }
}
