package io.pcapreplay.lab.demo;

import io.pcapreplay.lab.ExecResult;
import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabRole;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The demo (run by scripts/demo.sh, as root): builds the three-namespace lab, starts a target (the embedded Java
 * target, or nginx as recorded) and the intercept agent jar, runs JMeter headless with examples/plans/replay.jmx in
 * the client namespace on a bundled capture, prints a summary of the JTL, and removes the lab (also on failure; on
 * Ctrl-C the lab's shutdown hook does). Exit status 0 when samples were written and none failed, 1 on a failure,
 * 2 on a bad argument.
 */
public final class Demo {

    private static final String TOKEN = "demo-token-0123456789abcdef";
    private static final String CLIENT_IPS = "198.18.1.*";

    private final DemoOptions options;
    private final PrintStream out;

    private Demo(DemoOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the demo; exits with its status. */
    public static void main(String[] arguments) {
        System.exit(run(List.of(arguments), System.out, System.err));
    }

    /**
     * Runs the demo.
     *
     * @param arguments the command line (see {@link DemoOptions#USAGE})
     * @param out progress and summary
     * @param err error messages
     * @return 0 when samples were written and none failed, 1 on a failure, 2 on a bad argument
     */
    public static int run(List<String> arguments, PrintStream out, PrintStream err) {
        if (arguments.contains("--help") || arguments.contains("-h")) {
            out.println(DemoOptions.USAGE);
            return 0;
        }
        DemoOptions options;
        try {
            options = DemoOptions.parse(arguments);
        } catch (IllegalArgumentException e) {
            err.println("demo: " + e.getMessage());
            err.println(DemoOptions.USAGE);
            return 2;
        }
        AtomicBoolean ending = new AtomicBoolean();
        AtomicBoolean stopping = new AtomicBoolean();
        Thread interrupted = new Thread(() -> {
            stopping.set(true);
            if (!ending.get()) {
                err.println("demo interrupted: removing the lab (namespaces and processes)");
            }
        }, "demo-interrupted");
        Runtime.getRuntime().addShutdownHook(interrupted);
        try {
            return new Demo(options, out).run();
        } catch (IOException | RuntimeException e) {
            err.println(stopping.get() ? "demo interrupted" : "demo failed: " + e.getMessage());
            return 1;
        } finally {
            ending.set(true);
            removeHook(interrupted);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down (Ctrl-C): the hook runs
        }
    }

    private int run() throws IOException {
        checkInputs();
        prepareOut();
        out.println("[lab] creating the lab: network namespaces client, target, assistant");
        JtlSummary summary;
        Lab lab = Lab.create();
        try {
            out.println("[lab] created " + lab.id() + ": namespaces " + namespaces(lab));
            startTarget(lab);
            Path tokenFile = ReplaySetup.startAgent(lab, options.agentJar(), TOKEN);
            out.println("[agent] intercept agent in " + lab.assistant().namespace() + ", capturing on "
                + lab.assistant().interfaceTo(LabRole.TARGET) + ", replayers connect to "
                + ReplaySetup.agentAddress(lab));
            summary = runJMeter(lab, tokenFile);
        } finally {
            out.println("[lab] removing " + lab.id() + " (processes, namespaces, work directory)");
            lab.close();
        }
        out.println("[lab] removed");
        out.println();
        out.println("== summary (" + options.capture().getFileName() + " against "
            + options.target().description() + ") ==");
        summary.print(out);
        out.println("results: " + options.out().resolve("results.jtl"));
        out.println("report:  " + options.out().resolve("report/index.html"));
        out.println("log:     " + options.out().resolve("jmeter.log"));
        if (summary.samples() == 0) {
            out.println("demo failed: no samples (expected: at least one); see " + options.out().resolve("jmeter.log"));
            return 1;
        }
        if (summary.errors() > 0) {
            out.println("demo failed: " + summary.errors() + " failed sample(s) (expected: none); see the report");
            return 1;
        }
        out.println("demo ok");
        return 0;
    }

    private void checkInputs() {
        for (Path file : List.of(options.capture(), options.plan())) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("file: " + file + " not found (expected: the project's examples; "
                    + "give --project-root)");
            }
        }
        for (Path file : List.of(options.agentJar(), options.jmeterHome().resolve("bin/ApacheJMeter.jar"))) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("file: " + file + " not found (expected: built; run ./mvnw -q -pl "
                    + "distribution -am package -DskipTests, or give --agent-jar / --jmeter-home)");
            }
        }
    }

    private void prepareOut() throws IOException {
        Files.createDirectories(options.out());
        Files.deleteIfExists(options.out().resolve("results.jtl")); // JMeter appends to an existing one
        Files.deleteIfExists(options.out().resolve("jmeter.log"));
        deleteTree(options.out().resolve("report")); // JMeter wants an empty report folder
    }

    private void startTarget(Lab lab) throws IOException {
        String address = lab.target().ipv4To(LabRole.CLIENT).getHostAddress() + ":" + options.target().port();
        if (options.target() == DemoTarget.NGINX) {
            Path directory = ReplaySetup.startRecordedNginx(lab);
            out.println("[target] nginx in " + lab.target().namespace() + " on " + address + " (config "
                + directory.resolve("nginx.conf") + ")");
        } else {
            lab.target().startEmbeddedTarget(options.target().port(), 0);
            out.println("[target] embedded Java target in " + lab.target().namespace() + " on " + address);
        }
    }

    private JtlSummary runJMeter(Lab lab, Path tokenFile) throws IOException {
        List<String> properties = List.of("pcap=" + options.capture(), "serverPort=" + options.target().port(),
            "target=" + lab.target().ipv4To(LabRole.CLIENT).getHostAddress(), "targetPort=0",
            "agent=" + ReplaySetup.agentAddress(lab), "tokenFile=" + tokenFile, "clientIps=" + CLIENT_IPS,
            "users=" + options.users(), "rampUp=1", "loops=" + options.loops(),
            "duration=" + options.durationSeconds(), "speed=1", "connectTimeout=3000", "responseTimeout=10000");
        List<String> command = ReplaySetup.headlessCommand(ReplaySetup.java(), options.jmeterHome(), options.plan(),
            options.out(), properties);
        out.println("[jmeter] " + options.users() + " users x " + options.loops() + " sessions (at most "
            + options.durationSeconds() + " s) from " + CLIENT_IPS + " in " + lab.client().namespace() + ":");
        out.println("[jmeter] " + String.join(" ", command));
        long started = System.nanoTime();
        ExecResult result = lab.client().exec(Duration.ofSeconds(options.durationSeconds() + 90L),
            command.toArray(new String[0]));
        out.printf("[jmeter] finished in %.1f s, exit status %d%n", (System.nanoTime() - started) / 1e9,
            result.exitCode());
        Path jtl = options.out().resolve("results.jtl");
        if (result.exitCode() != 0 || !Files.isRegularFile(jtl)) {
            throw new IllegalStateException("JMeter: exit status " + result.exitCode() + ", results.jtl "
                + (Files.isRegularFile(jtl) ? "written" : "missing") + " (expected: 0 and written); see "
                + options.out().resolve("jmeter.log") + "\n" + result.stderr());
        }
        return JtlSummary.read(jtl);
    }

    private static String namespaces(Lab lab) {
        StringBuilder names = new StringBuilder();
        for (LabRole role : LabRole.values()) {
            names.append(names.length() == 0 ? "" : ", ").append(lab.host(role).namespace());
        }
        return names.toString() + " (client 198.19.1.1 -> target 198.19.1.2, routes via the assistant)";
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
