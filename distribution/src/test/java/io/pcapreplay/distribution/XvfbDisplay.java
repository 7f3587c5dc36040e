package io.pcapreplay.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A virtual X display for GUI tests: Debian's Xvfb started on a free display number (1280x1024, no TCP, no key
 * auto-repeat), stopped by its PID on {@link #close()}.
 */
final class XvfbDisplay implements AutoCloseable {

    private static final Path SOCKETS = Path.of("/tmp/.X11-unix");

    private final Process process;
    private final int number;

    private XvfbDisplay(Process process, int number) {
        this.process = process;
        this.number = number;
    }

    /** Whether Xvfb is installed (package xvfb). */
    static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/Xvfb"));
    }

    /**
     * Starts Xvfb on the first free display from :90 and waits for its socket.
     *
     * @param log where Xvfb's output goes
     * @return the running display
     */
    static XvfbDisplay start(Path log) throws IOException, InterruptedException {
        for (int number = 90; number < 140; number++) {
            if (Files.exists(SOCKETS.resolve("X" + number)) || Files.exists(Path.of("/tmp/.X" + number + "-lock"))) {
                continue;
            }
            // -r: no key auto-repeat (on a busy machine a key held a little long repeats)
            Process process = new ProcessBuilder("/usr/bin/Xvfb", ":" + number, "-screen", "0", "1280x1024x24",
                "-nolisten", "tcp", "-noreset", "-r").redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (process.isAlive() && System.nanoTime() < deadline) {
                if (Files.exists(SOCKETS.resolve("X" + number))) {
                    return new XvfbDisplay(process, number);
                }
                Thread.sleep(50);
            }
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS); // display taken meanwhile, or Xvfb failed: try the next
        }
        throw new IOException("Xvfb: no display could be started on :90 to :139 (see " + log + ")");
    }

    /** The DISPLAY value, e.g. ":90". */
    String display() {
        return ":" + number;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
