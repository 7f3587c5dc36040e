package io.pcapreplay.loop;

import io.pcapreplay.agent.AgentOptions;
import io.pcapreplay.agent.InterceptAgent;
import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabProcess;
import io.pcapreplay.lab.LabRole;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The intercept agent running in a lab's assistant namespace: the real shaded jar as a process ({@code java -jar},
 * when the system property {@code agent.jar} names a built jar, as failsafe sets it after {@code package}), else
 * in-process on the assistant's namespace thread. Captures on the assistant's link to the target.
 */
final class LabAgent implements AutoCloseable {

    static final String TOKEN = "lab-token-0123456789";
    /** The JVM options of intercept-agent/bin/intercept-agent (keep in sync). */
    static final List<String> JVM_OPTIONS = List.of("-Xms16m", "-Xmx320m", "-XX:MaxDirectMemorySize=256m",
            "-XX:+UseSerialGC", "-XX:MaxMetaspaceSize=64m", "-XX:ReservedCodeCacheSize=64m", "-Xss512k");
    static final int PORT = 36524;

    private final Lab lab;
    private final LabProcess process;
    private final InterceptAgent inProcess;

    private LabAgent(Lab lab, LabProcess process, InterceptAgent inProcess) {
        this.lab = lab;
        this.process = process;
        this.inProcess = inProcess;
    }

    /**
     * @param lab the lab
     * @param extra more agent options
     * @return the running agent, listening on the assistant's client-link address
     * @throws IOException when the token file cannot be written
     */
    static LabAgent start(Lab lab, String... extra) throws IOException {
        return start(lab, JVM_OPTIONS, extra);
    }

    /**
     * @param lab the lab
     * @param jvmOptions options of the agent's JVM (process only)
     * @param extra more agent options
     * @return the running agent, listening on the assistant's client-link address
     * @throws IOException when the token file cannot be written
     */
    static LabAgent start(Lab lab, List<String> jvmOptions, String... extra) throws IOException {
        return start(lab, lab.assistant().interfaceTo(LabRole.TARGET), jvmOptions, extra);
    }

    /**
     * @param lab the lab
     * @param devices the assistant's devices to capture on, comma-separated (-i)
     * @param jvmOptions options of the agent's JVM (process only)
     * @param extra more agent options
     * @return the running agent, listening on the assistant's client-link address
     * @throws IOException when the token file cannot be written
     */
    static LabAgent start(Lab lab, String devices, List<String> jvmOptions, String... extra) throws IOException {
        Path token = lab.workDir().resolve("agent.token");
        Files.writeString(token, TOKEN + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        List<String> args = new ArrayList<>(List.of("-i", devices,
                "-F", "tcp and (dst net " + lab.fakeClientRange() + " or dst net " + lab.fakeClientRangeIpv6() + ")",
                "-p", Integer.toString(PORT),
                "-b", lab.assistant().ipv4To(LabRole.CLIENT).getHostAddress(), "--token-file", token.toString()));
        args.addAll(List.of(extra));
        String jar = System.getProperty("agent.jar");
        if (jar != null && Files.isRegularFile(Path.of(jar))) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString()));
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", jar));
            command.addAll(args);
            LabProcess process = lab.assistant().start(command.toArray(new String[0]));
            process.awaitOutput("listening for replayers", Duration.ofSeconds(30));
            return new LabAgent(lab, process, null);
        }
        if (jvmOptions.stream().anyMatch(option -> option.startsWith("-D"))) {
            throw new IllegalStateException("agent JVM options " + jvmOptions + ": need the agent jar as a process "
                    + "(expected: -Dagent.jar=intercept-agent/target/intercept-agent-*.jar, as failsafe sets it)");
        }
        AgentOptions options;
        try {
            options = AgentOptions.parse(args.toArray(new String[0]));
        } catch (AgentOptions.UsageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        InterceptAgent agent = new InterceptAgent(options, TOKEN);
        lab.assistant().call(() -> agent.start());
        return new LabAgent(lab, null, agent);
    }

    /** @return where replayers connect (from the client namespace) */
    InetSocketAddress address() {
        return new InetSocketAddress(lab.assistant().ipv4To(LabRole.CLIENT), PORT);
    }

    /** @return the process id of the agent (process only; -1 in-process) */
    long pid() {
        return process != null ? process.pid() : -1;
    }

    /** @return true when the real jar runs as a process */
    boolean isProcess() {
        return process != null;
    }

    /** @return the agent's log so far (process only; empty in-process) */
    String output() {
        return process != null ? process.output() : "";
    }

    /**
     * Stops the agent (SIGTERM for the process).
     *
     * @return the process's exit code, or 0 in-process
     */
    int stop() {
        if (process != null) {
            return process.stop();
        }
        inProcess.close();
        return 0;
    }

    /**
     * Kills the agent process with SIGKILL, by PID (no goodbye to its replayers: as a crash or an OOM kill), and
     * waits for its end.
     *
     * @throws IllegalStateException when the agent runs in-process, or outlives the kill by 10 s
     */
    void kill() {
        if (process == null) {
            throw new IllegalStateException("agent kill: the agent runs in-process (expected: the jar as a process; "
                + "-Dagent.jar=intercept-agent/target/intercept-agent-*.jar, as failsafe sets it)");
        }
        ProcessHandle handle = ProcessHandle.of(process.pid()).orElse(null);
        if (handle == null) {
            return;
        }
        handle.destroyForcibly();
        try {
            handle.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("agent process " + process.pid() + ": alive 10 s after SIGKILL", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("agent kill: interrupted", e);
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.stop();
        } else if (inProcess != null) {
            inProcess.close();
        }
    }
}
