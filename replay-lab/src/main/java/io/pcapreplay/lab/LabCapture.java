package io.pcapreplay.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A running tcpdump in a lab host ({@link LabHost#tcpdump}): {@code -U -s 0 -n}, written to a pcap file.
 * Call {@link #awaitStarted} before sending, then {@link #stop()} for the flushed file.
 */
public final class LabCapture {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final long SETTLE_QUIET_MILLIS = 150;
    private static final long SETTLE_MAX_MILLIS = 3000;

    private final LabProcess process;
    private final Path file;

    LabCapture(LabProcess process, Path file) {
        this.process = process;
        this.file = file;
    }

    /** The tcpdump process. */
    public LabProcess process() {
        return process;
    }

    /** The pcap file being written (complete only after {@link #stop()}). */
    public Path file() {
        return file;
    }

    /**
     * Waits until tcpdump has opened the interface ("listening on" in its output), so no packet sent later is
     * missed.
     */
    public LabCapture awaitStarted(Duration timeout) {
        process.awaitOutput("listening on", timeout);
        return this;
    }

    /**
     * Stops tcpdump with SIGINT and waits for its end, so the file is complete. Before, it waits (at most
     * {@value #SETTLE_MAX_MILLIS} ms) until the file has not grown for {@value #SETTLE_QUIET_MILLIS} ms, so packets
     * still on their way are written.
     *
     * @return the pcap file
     */
    public Path stop() {
        if (process.isAlive()) {
            settle();
            Libc.signal(process.pid(), Libc.SIGINT);
            if (!Processes.awaitExit(List.of(process.process().toHandle()), STOP_TIMEOUT)) {
                process.stop();
                throw new LabException(process.describe() + ": did not end within " + STOP_TIMEOUT
                        + " of SIGINT (expected: tcpdump flushes and exits; killed it); file " + file);
            }
        }
        process.host().lab().forget(process);
        if (!Files.exists(file)) {
            throw new LabException("capture file " + file + ": missing (expected: written by tcpdump); output: "
                    + process.output().strip());
        }
        return file;
    }

    /**
     * Waits until the capture holds at least {@code count} packets matching a filter (read with tcpdump while it
     * is still being written).
     *
     * @return the matching packets, one line each
     * @throws LabException when the timeout passes first, listing what was captured
     */
    public List<String> awaitPackets(String bpf, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            lines = packetsSoFar(bpf);
            if (lines.size() >= count) {
                return lines;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new LabException("capture " + file + " in " + process.host().namespace() + ": " + lines.size()
                + " packets matching \"" + bpf + "\" after " + timeout + " (expected: at least " + count
                + "); all packets so far: " + packetsSoFar(""));
    }

    /**
     * Decodes this capture with tcpdump ({@code -nn -r}) in the host's namespace, so interface names of
     * {@code any} captures are the host's: one line per packet matching the filter. Call after {@link #stop()}.
     *
     * @param bpf a tcpdump filter expression, empty for every packet
     */
    public List<String> packets(String bpf) {
        return lines(process.host().exec(READ_TIMEOUT, readCommand(file, bpf).toArray(new String[0])).orThrow()
                .stdout());
    }

    private List<String> packetsSoFar(String bpf) {
        return lines(process.host().exec(READ_TIMEOUT, readCommand(file, bpf).toArray(new String[0])).stdout());
    }

    private static List<String> readCommand(Path pcap, String bpf) {
        List<String> command = new ArrayList<>(Arrays.asList("tcpdump", "-nn", "-r", pcap.toString()));
        if (!bpf.isBlank()) {
            command.add(bpf);
        }
        return command;
    }

    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                lines.add(line);
            }
        }
        return lines;
    }

    private void settle() {
        long deadline = System.nanoTime() + SETTLE_MAX_MILLIS * 1_000_000;
        long size = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = file.toFile().length();
            if (now != size) {
                size = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= SETTLE_QUIET_MILLIS * 1_000_000) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Decodes a pcap file with tcpdump ({@code -nn -r}) in the current namespace: one line per packet matching the
     * filter.
     *
     * @param pcap the capture file
     * @param bpf a tcpdump filter expression, empty for every packet
     */
    public static List<String> packets(Path pcap, String bpf) {
        Path workDir = pcap.toAbsolutePath().getParent();
        ExecResult result = Processes.run(workDir, READ_TIMEOUT, readCommand(pcap, bpf)).orThrow();
        return lines(result.stdout());
    }
}
