package io.pcapreplay.tcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A main class of the test class path in its own JVM (optionally under a command prefix such as prlimit). */
final class ForkedJava implements AutoCloseable {

    private final Process process;
    private final BufferedReader output;

    private ForkedJava(Process process) {
        this.process = process;
        this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts {@code prefix... java -Xmx256m -cp <this class path> mainClass arguments...}; stderr goes into the output.
     */
    static ForkedJava start(List<String> prefix, String mainClass, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(arguments));
        return new ForkedJava(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Returns the next output line starting with {@code prefix} (earlier lines are skipped), or fails. */
    String awaitLine(String prefix) throws IOException {
        List<String> skipped = new ArrayList<>();
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            if (line.startsWith(prefix)) {
                return line;
            }
            skipped.add(line);
        }
        throw new IOException("forked JVM ended without a line '" + prefix + "...': " + String.join("\n", skipped));
    }

    /** Returns every remaining output line (waits for the end, at most {@code seconds}). */
    List<String> rest(long seconds) throws IOException, InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("forked JVM still running after " + seconds + " s");
        }
        List<String> lines = new ArrayList<>();
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            lines.add(line);
        }
        return lines;
    }

    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
