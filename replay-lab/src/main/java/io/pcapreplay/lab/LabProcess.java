package io.pcapreplay.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A long-running process started in a lab host's namespace ({@link LabHost#start}). Its standard output and error
 * go to {@link #outputFile()}. The lab stops it (with its whole process tree, by PID) when the test class ends.
 */
public class LabProcess {
    private static final Duration POLL = Duration.ofMillis(20);
    private static final int TCP_LISTEN_STATE = 0x0A;

    private final LabHost host;
    private final Process process;
    private final Path outputFile;
    private final List<String> command;

    LabProcess(LabHost host, Process process, Path outputFile, List<String> command) {
        this.host = host;
        this.process = process;
        this.outputFile = outputFile;
        this.command = List.copyOf(command);
    }

    /** The PID of the started program (ip netns exec replaces itself with it). */
    public long pid() {
        return process.pid();
    }

    public LabHost host() {
        return host;
    }

    public List<String> command() {
        return command;
    }

    /** The file with the merged standard output and error of the process. */
    public Path outputFile() {
        return outputFile;
    }

    /** Everything the process wrote so far. */
    public String output() {
        return Processes.read(outputFile);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until the process listens on a TCP port (IPv4 or IPv6, any address) in its namespace.
     *
     * @throws LabException when the process ends first or the timeout passes
     */
    public LabProcess awaitPort(int port, Duration timeout) {
        await(() -> listens(port), timeout, "listening on TCP port " + port);
        return this;
    }

    /**
     * Waits until the output of the process contains a text.
     *
     * @throws LabException when the process ends first or the timeout passes
     */
    public LabProcess awaitOutput(String text, Duration timeout) {
        await(() -> output().contains(text), timeout, "output containing \"" + text + "\"");
        return this;
    }

    /**
     * Stops the process and its descendants (SIGTERM, SIGKILL after a grace period).
     *
     * @return the exit code of the process
     */
    public int stop() {
        if (!Processes.stopTree(process.toHandle(), Duration.ofSeconds(5))) {
            throw new LabException(describe() + ": still running after SIGKILL (expected: to end)");
        }
        host.lab().forget(this);
        return waitExitCode();
    }

    /**
     * Kills (SIGKILL) the process, then its descendants, and waits for all of them to end: a fault injected mid-run.
     * The process goes first, so that a supervisor such as nginx's master cannot replace a killed child before it
     * dies itself.
     *
     * @throws LabException when a process of the tree still runs after the wait
     */
    public void kill() {
        if (!Processes.stopTree(process.toHandle(), Duration.ZERO)) {
            throw new LabException(describe() + ": a process of its tree still runs after SIGKILL (expected: to end)");
        }
        waitExitCode();
        host.lab().forget(this);
    }

    int waitExitCode() {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException(describe() + ": interrupted while waiting for its end", e);
        }
    }

    Process process() {
        return process;
    }

    String describe() {
        return "process " + pid() + " (" + String.join(" ", command) + ") in " + host.namespace();
    }

    void await(java.util.function.BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new LabException(describe() + ": ended with exit code " + process.exitValue()
                        + " before " + what + " (expected: to keep running); output: " + output().strip());
            }
            if (System.nanoTime() > deadline) {
                throw new LabException(describe() + ": no " + what + " after " + timeout
                        + " (expected: within the timeout); output: " + output().strip());
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException(describe() + ": interrupted while waiting for " + what, e);
            }
        }
    }

    /** Reads /proc/PID/net/tcp{,6}: they show the sockets of the namespace the process is in. */
    private boolean listens(int port) {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc", Long.toString(pid()), "net", table);
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length > 3 && fields[1].endsWith(hexPort)
                            && fields[3].equals(String.format(Locale.ROOT, "%02X", TCP_LISTEN_STATE))) {
                        return true;
                    }
                }
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }
}
