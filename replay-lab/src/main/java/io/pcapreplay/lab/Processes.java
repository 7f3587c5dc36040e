package io.pcapreplay.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs commands with a timeout and stops whole process trees by PID. */
final class Processes {
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Duration EXIT_POLL = Duration.ofMillis(10);

    private Processes() {
    }

    /**
     * Runs a command to its end (standard input empty), output collected through files in {@code workDir}.
     *
     * @throws LabException when it cannot start or does not end within the timeout (then its tree is killed)
     */
    static ExecResult run(Path workDir, Duration timeout, List<String> command) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile(workDir, "exec-", ".out");
            err = Files.createTempFile(workDir, "exec-", ".err");
            Process process = builder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stopTree(process.toHandle(), Duration.ZERO);
                throw new LabException("command " + String.join(" ", command) + ": still running after " + timeout
                        + " (expected: to end within the timeout; killed it); stdout so far: " + read(out).strip()
                        + "; stderr so far: " + read(err).strip());
            }
            return new ExecResult(command, process.exitValue(), read(out), read(err));
        } catch (IOException e) {
            throw new LabException("command " + String.join(" ", command) + ": cannot run: " + e.getMessage()
                    + " (expected: the program installed; see scripts/prerequisites.sh)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("command " + String.join(" ", command) + ": interrupted", e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /**
     * A process builder for a command whose program is looked up in PATH and the sbin directories (ip, tc, nginx
     * live in /usr/sbin, often missing from a non-login PATH); the child gets that PATH too (for ip netns exec).
     */
    static ProcessBuilder builder(List<String> command) {
        List<String> resolved = new ArrayList<>(command);
        String path = searchPath();
        if (!resolved.get(0).contains("/")) {
            for (String directory : path.split(":")) {
                Path candidate = Path.of(directory.isEmpty() ? "." : directory, resolved.get(0));
                if (!directory.isEmpty() && Files.isExecutable(candidate)) {
                    resolved.set(0, candidate.toString());
                    break;
                }
            }
        }
        ProcessBuilder builder = new ProcessBuilder(resolved);
        builder.environment().put("PATH", path);
        return builder;
    }

    /** PATH followed by the usual sbin and bin directories. */
    static String searchPath() {
        String path = System.getenv("PATH");
        String extra = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        return path == null || path.isBlank() ? extra : path + ":" + extra;
    }

    /**
     * Stops a process and all its descendants: SIGTERM, then SIGKILL for whatever still runs after {@code grace}
     * (zero: SIGKILL at once). The process comes first in each step, so that a supervisor such as nginx's master
     * cannot replace a child killed before it.
     *
     * @return true when every process of the tree has ended
     */
    static boolean stopTree(ProcessHandle root, Duration grace) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        if (!grace.isZero()) {
            tree.forEach(ProcessHandle::destroy);
            awaitExit(tree, grace);
        }
        tree.stream().filter(Processes::running).forEach(ProcessHandle::destroyForcibly);
        return awaitExit(tree, STOP_GRACE);
    }

    /**
     * Waits until every process has ended, at most {@code timeout}. A zombie counts as ended: its files are closed,
     * and an orphan's zombie waits for this machine's init to reap it (about 2 s here).
     */
    static boolean awaitExit(List<ProcessHandle> processes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (processes.stream().anyMatch(Processes::running)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(EXIT_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Whether a process still runs: alive, and not a zombie (state Z or X in /proc/PID/stat). */
    static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"),
                StandardCharsets.US_ASCII);
            int afterName = stat.lastIndexOf(')') + 2;
            char state = afterName < stat.length() ? stat.charAt(afterName) : 'X';
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false; // /proc/PID is gone: ended
        }
    }

    /** Kills (SIGKILL) a process by PID, ignoring processes that are gone already. */
    static void killPid(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    static String read(Path file) {
        try {
            return file == null ? "" : Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // left in the lab's work directory, removed with it
        }
    }
}
