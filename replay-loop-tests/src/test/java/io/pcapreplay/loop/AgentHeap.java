package io.pcapreplay.loop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap of another JVM (the agent process) after a full GC, read with {@code jcmd}: {@code GC.run} then
 * {@code GC.heap_info} in one invocation; the sum of the generations' {@code used} figures.
 */
final class AgentHeap {

    private static final Pattern USED = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K");
    private static final long TIMEOUT_SECONDS = 30;

    private AgentHeap() {
    }

    /**
     * @param pid the JVM's process id
     * @return its heap in use after a full GC, MiB
     * @throws IOException when jcmd fails or prints no generation
     * @throws InterruptedException when interrupted while waiting for jcmd
     */
    static double afterGc(long pid) throws IOException, InterruptedException {
        Path commands = Files.createTempFile("agent-heap", ".jcmd");
        try {
            Files.writeString(commands, "GC.run\nGC.heap_info\n");
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), "-f", commands.toString()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("jcmd " + pid + ": no answer in " + TIMEOUT_SECONDS + " s");
            }
            long usedKib = 0;
            int generations = 0;
            Matcher matcher = USED.matcher(output);
            while (matcher.find()) {
                usedKib += Long.parseLong(matcher.group(1));
                generations++;
            }
            if (generations == 0) {
                throw new IOException("jcmd " + pid + " GC.heap_info: " + output.strip()
                    + " (expected: lines 'generation total <n>K, used <n>K')");
            }
            return usedKib / 1024.0;
        } finally {
            Files.deleteIfExists(commands);
        }
    }
}
