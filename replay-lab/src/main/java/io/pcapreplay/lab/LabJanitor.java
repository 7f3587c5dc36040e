package io.pcapreplay.lab;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Cleans up: the labs of this JVM at shutdown (a shutdown hook), and at the first lab of a JVM the namespaces,
 * their processes and work directories left by lab owners (JVMs) that are gone.
 */
final class LabJanitor {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicBoolean STALE_REMOVED = new AtomicBoolean();
    private static final AtomicBoolean HOOK_ADDED = new AtomicBoolean();
    private static final Set<Lab> OPEN = ConcurrentHashMap.newKeySet();

    private LabJanitor() {
    }

    static void register(Lab lab) {
        OPEN.add(lab);
        if (HOOK_ADDED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(LabJanitor::closeAll, "lab-shutdown"));
        }
    }

    static void unregister(Lab lab) {
        OPEN.remove(lab);
    }

    static void removeStaleOnce() {
        if (STALE_REMOVED.compareAndSet(false, true)) {
            removeStale();
        }
    }

    /**
     * Removes lab namespaces and work directories whose owner PID (in the name) has no /proc entry, or is this
     * JVM's PID but no lab of this JVM uses them (an earlier process with the same PID, as in containers).
     *
     * @return the namespaces removed
     */
    static List<String> removeStale() {
        List<String> removed = new ArrayList<>();
        List<Throwable> problems = new ArrayList<>();
        for (String namespace : namespaces()) {
            if (ownerGone(namespace)) {
                removeNamespace(namespace, problems);
                removed.add(namespace);
            }
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp, LabNames.PREFIX + "*")) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry) && ownerGone(entry.getFileName().toString())) {
                    deleteTree(entry);
                }
            }
        } catch (IOException e) {
            problems.add(e);
        }
        if (!problems.isEmpty()) {
            System.err.println("lab: cleaning leftovers of dead owners: " + problems.get(0).getMessage());
        }
        return removed;
    }

    /** The names in {@code ip netns list}. */
    static List<String> namespaces() {
        ExecResult result = Processes.run(Path.of(System.getProperty("java.io.tmpdir")), TIMEOUT,
                List.of("ip", "netns", "list")).orThrow();
        List<String> names = new ArrayList<>();
        for (String line : result.stdout().split("\n")) {
            String trimmed = line.trim();
            if (!trimmed.isEmpty()) {
                names.add(trimmed.split("\\s+")[0]);
            }
        }
        return names;
    }

    /** Kills (SIGKILL) every process in a namespace, then deletes it; problems are added to the list. */
    static void removeNamespace(String namespace, List<Throwable> problems) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try {
            ExecResult pids = Processes.run(tmp, TIMEOUT, List.of("ip", "netns", "pids", namespace));
            if (pids.succeeded()) {
                List<ProcessHandle> killed = new ArrayList<>();
                for (String pid : pids.stdout().trim().split("\\s+")) {
                    if (!pid.isEmpty() && !pid.equals(Long.toString(ProcessHandle.current().pid()))) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(killed::add);
                        Processes.killPid(Long.parseLong(pid));
                    }
                }
                Processes.awaitExit(killed, Duration.ofSeconds(5));
            }
            if (Files.exists(Path.of("/run/netns", namespace))) {
                Processes.run(tmp, TIMEOUT, List.of("ip", "netns", "del", namespace)).orThrow();
            }
        } catch (LabException | NumberFormatException e) {
            problems.add(e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(Processes::deleteQuietly);
        } catch (IOException e) {
            System.err.println("lab: cannot delete " + root + ": " + e.getMessage());
        }
    }

    private static boolean ownerGone(String name) {
        OptionalLong owner = LabNames.ownerPid(name);
        if (owner.isEmpty()) {
            return false;
        }
        if (owner.getAsLong() == ProcessHandle.current().pid()) {
            return OPEN.stream().noneMatch(lab -> name.startsWith(lab.id() + "-"));
        }
        return !Files.exists(Path.of("/proc", Long.toString(owner.getAsLong())));
    }

    private static void closeAll() {
        for (Lab lab : new ArrayList<>(OPEN)) {
            try {
                lab.close();
            } catch (RuntimeException e) {
                System.err.println("lab " + lab.id() + ": cleanup at shutdown: " + e.getMessage());
            }
        }
    }
}
