package io.pcapreplay.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabProcess;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.lab.demo.ReplaySetup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmarks through real JMeter (run by scripts/bench-engine.sh, never by a plain build), against nginx in the lab
 * with the intercept agent jar, each against a reference measured in the same run. {@code bench.mode}:
 * <ul>
 *   <li>{@code throughput}: wrk -c100 with {@code Connection: close}, then JMeter replaying a curl-recorded
 *   one-GET-per-connection session as {@code bench.users} engine-driven users (loops 1, no ramp-up, a CSV JTL),
 *   unpaced (the default start pacing) and paced at twice wrk's rate: sessions per second from the JTL, the ratio to
 *   wrk, completion, and the agent's kernel drops;</li>
 *   <li>{@code comet}: {@code bench.users} comet sessions held {@code bench.hold} seconds against nginx with many
 *   workers: held sessions (established at the server), RSS, heap after GC and bytes per session, idle CPU.</li>
 * </ul>
 * Bounded: every JMeter run has a duration and a wall-clock limit; the lab removes everything.
 */
@LabTest
@EnabledIfSystemProperty(named = "bench", matches = "true")
class JMeterBenchmarkIT {

    private static final String MODE = System.getProperty("bench.mode", "throughput");
    private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    static final int HOLD_SECONDS = Integer.getInteger("bench.hold", 30);
    static final String ENGINE_DRIVEN = "engine-driven";
    private static final int WRK_CONNECTIONS = 100;
    static final int COMET_BASELINE = 1_000;
    private static final boolean PACED = Boolean.parseBoolean(System.getProperty("bench.paced", "true"));
    static final String JAVA = System.getProperty("bench.java", ReplaySetup.java());
    static final String[] CLIENT_RANGES = {"198.18.0.0/18", "198.18.64.0/18", "198.18.128.0/18",
        "198.18.192.0/18"};

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES) // every JMeter run and wait inside is bounded on its own
    void shouldMeasureJMeterAgainstTheReferenceOfTheMode(Lab lab) throws Exception {
        List<String> report = new ArrayList<>();
        report.add(String.format(Locale.ROOT, "%d cores, %s, JMeter on %s", Runtime.getRuntime()
            .availableProcessors(), System.getProperty("os.version"), JAVA));
        switch (MODE) {
            case "throughput" -> throughput(lab, report);
            case "comet" -> comet(lab, report);
            case "threads" -> threads(lab, report);
            default -> throw new IllegalArgumentException("bench.mode: " + MODE + " (expected: throughput, comet, "
                + "threads)");
        }
        Path out = Path.of(System.getProperty("bench.out", "target/bench-jmeter.txt"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, report, StandardCharsets.UTF_8);
        report.forEach(System.out::println);
    }

    /** nginx's error log in the throughput runs: what it logged during each run goes in the report. */
    private Path nginxErrors;

    private void throughput(Lab lab, List<String> report) throws Exception {
        nginxErrors = BenchmarkLab.startNginx(lab, 2).resolve("error.log");
        LabProcess agent = BenchmarkLab.startAgent(lab);
        Path capture = recordServerClosingFirst(lab, report);
        double wrk = BenchmarkLab.wrk(lab, WRK_CONNECTIONS, SECONDS, report);
        agent.output().lines().filter(line -> line.contains("capturing on")).findFirst()
            .ifPresent(line -> report.add("agent: " + line.substring(line.indexOf("capturing on"))));
        int range = 0;
        List<Rates> runs = new ArrayList<>();
        for (String users : System.getProperty("bench.users", "50000,200000").split(",")) {
            int count = Integer.parseInt(users.trim());
            runs.add(replay(lab, agent, capture, count, 0, CLIENT_RANGES[range++ % CLIENT_RANGES.length], wrk,
                report));
            if (PACED) {
                runs.add(replay(lab, agent, capture, count, 2 * wrk, CLIENT_RANGES[range++ % CLIENT_RANGES.length],
                    wrk, report));
            }
        }
        // the machine's speed drifts over minutes (a shared host): the reference again, and the ratios to both
        double wrkAfter = BenchmarkLab.wrk(lab, WRK_CONNECTIONS, SECONDS, report);
        double mean = (wrk + wrkAfter) / 2;
        report.add(String.format(Locale.ROOT, "ratios to the mean of both wrk runs (%.0f/s; after/before %.2f): %s",
            mean, wrkAfter / wrk, runs.stream().map(run -> String.format(Locale.ROOT, "%s %.2f (steady %.2f)",
                run.label(), run.perSecond() / mean, run.steadyPerSecond() / mean))
                .collect(java.util.stream.Collectors.joining(", "))));
        assertThat(wrk).isPositive();
    }

    /**
     * Records one curl GET with {@code Connection: close} whose connection the server closed first, as wrk's do (curl
     * sometimes closes first once it has the Content-Length's bytes; replayed, that session sends one packet more: its
     * FIN, then the ACK of the server's): up to 10 tries.
     */
    private static Path recordServerClosingFirst(Lab lab, List<String> report) throws Exception {
        for (int attempt = 1; ; attempt++) {
            Path capture = BenchmarkLab.record(lab, "get-close-" + attempt, "-H", "Connection: close",
                BenchmarkLab.targetUrl(lab));
            List<String> fins = io.pcapreplay.lab.LabCapture.packets(capture, "tcp[tcpflags] & tcp-fin != 0");
            boolean serverFirst = !fins.isEmpty() && fins.get(0).contains(".80 > ");
            if (serverFirst || attempt == 10) {
                report.add("recorded session: one GET, the " + (serverFirst ? "server" : "client") + " closing first"
                    + " (attempt " + attempt + ")");
                return capture;
            }
        }
    }

    /** One throughput run's sessions per second, whole and steady, e.g. label 50000-unpaced. */
    private record Rates(String label, double perSecond, double steadyPerSecond) {
    }

    private Rates replay(Lab lab, LabProcess agent, Path capture, int users, double startRate, String clients,
            double wrk, List<String> report) throws Exception {
        String base = "throughput-" + users + (startRate > 0 ? "-paced" : "");
        String name = base;
        for (int repeat = 2; Files.exists(lab.workDir().resolve(name)); repeat++) {
            name = base + "-" + repeat; // the same user count again: its own JTL
        }
        Path run = Files.createDirectories(lab.workDir().resolve(name));
        long[] dropsBefore = BenchmarkLab.agentDrops(agent);
        Map<String, Long> tcpBefore = BenchmarkLab.targetTcpCounters(lab);
        long softnetBefore = BenchmarkLab.softnetDrops();
        long nginxErrorsBefore = Files.exists(nginxErrors) ? Files.size(nginxErrors) : 0;
        Path targetPcap = out().resolveSibling(name + ".pcap");
        LabProcess tcpdump = Boolean.getBoolean("bench.capture") ? lab.target().start("tcpdump", "-i", "any", "-n",
            "-s", "128", "-B", "262144", "-w", targetPcap.toString(), "tcp port 80") : null;
        List<String> properties = new ArrayList<>(common(lab, capture, clients));
        properties.addAll(List.of("users=" + users, "loops=1", "rampUp=0", "duration=600",
            "userMode=engine-driven", "startRate=" + (long) startRate));
        String warmUp = System.getProperty("bench.warmUpSessions", "");
        if (!warmUp.isBlank()) { // the opt-in warm-up: sessions replayed unsampled before the users start
            properties.add("pcapreplay.warmUpSessions=" + warmUp);
        }
        if ("datalink".equals(System.getProperty("bench.transport", "raw-ip"))) { // frames to the target's MAC
            String device = lab.client().interfaceTo(LabRole.TARGET);
            properties.add("transport=datalink " + device + " " + JMeterLab.mac(lab.target(),
                lab.target().interfaceTo(LabRole.CLIENT)));
        }
        LabProcess jmeter = BenchmarkLab.startJMeter(lab, run, JAVA, environment(run), plan(), properties);
        long pid = jmeter.pid();
        long cpu = 0;
        long peakRss = 0;
        long end = System.nanoTime() + Duration.ofSeconds(600).toNanos();
        while (jmeter.isAlive() && System.nanoTime() < end) {
            try {
                cpu = BenchmarkLab.cpuNanos(pid);
                peakRss = Math.max(peakRss, BenchmarkLab.rss(pid));
            } catch (java.io.IOException ended) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(BenchmarkLab.awaitEnd(jmeter, Duration.ofSeconds(30))).as(name + " ended").isTrue();
        Thread.sleep(1_500); // the agent's next stats line
        long[] dropsAfter = BenchmarkLab.agentDrops(agent);
        String tcpTrouble = BenchmarkLab.tcpTrouble(tcpBefore, BenchmarkLab.targetTcpCounters(lab));
        long softnetDrops = BenchmarkLab.softnetDrops() - softnetBefore;
        if (tcpdump != null) {
            tcpdump.stop();
            BenchmarkLab.resetHistories(targetPcap, out().resolveSibling(name + "-resets.txt"), 3);
        }
        keepProfile(run, name);
        BenchmarkLab.Jtl jtl = BenchmarkLab.Jtl.read(run.resolve("results.jtl"));
        double rate = jtl.ok() / jtl.seconds();
        String log = Files.readString(run.resolve("jmeter.log"));
        report.add(String.format(Locale.ROOT, "JMeter, %,d engine-driven users, one GET per connection, %s: %,d JTL "
            + "rows, %,d OK (%.2f %% of sessions) in %.1f s: %.0f sessions/s; ratio to wrk %.2f; steady (median "
            + "second) %.0f sessions/s, ratio %.2f; OK sessions ended per second %s; codes %s%s;\n"
            + "    agent kernel drops %d, agent queue drops %d; "
            + "JMeter CPU %.1f s, peak RSS %s; target TCP counters grown: %s; host backlog drops %d; nginx's "
            + "error log: %s%s", users,
            startRate > 0 ? String.format(Locale.ROOT, "paced at %.0f/s (2 x wrk)", startRate) : "unpaced",
            jtl.rows(), jtl.ok(), 100.0 * jtl.ok() / users, jtl.seconds(), rate, rate / wrk, jtl.steadyRate(),
            jtl.steadyRate() / wrk, jtl.okBySecond().values(), jtl.codes(),
            jtl.ok() == jtl.rows() ? "" : " (failures: " + jtl.topFailures() + ")",
            dropsAfter[0] - dropsBefore[0], dropsAfter[1] - dropsBefore[1], cpu / 1e9, BenchmarkLab.mib(peakRss),
            tcpTrouble, softnetDrops, BenchmarkLab.nginxErrors(nginxErrors, nginxErrorsBefore),
            logLines(log, "warm-up", "start pacing", "dropped", "heap", "system calls", "clock offset",
                "left later than due")));
        return new Rates(users + (startRate > 0 ? "-paced" : "-unpaced"), rate, jtl.steadyRate());
    }

    /**
     * A baseline of {@value #COMET_BASELINE} comet sessions, then each user count: JMeter holds them (comet, engine
     * driven, loops 1) for the hold time; once the target counts them established (or the hold ends), the RSS and
     * the heap after a full GC; per session = the difference to the baseline over the difference in held sessions.
     */
    private void comet(Lab lab, List<String> report) throws Exception {
        int workers = Integer.getInteger("bench.workers", 120);
        BenchmarkLab.startNginx(lab, workers);
        LabProcess agent = BenchmarkLab.startAgent(lab);
        Path capture = BenchmarkLab.record(lab, "get-keep-alive", BenchmarkLab.targetUrl(lab));
        long[] baseline = hold(lab, capture, COMET_BASELINE, CLIENT_RANGES[0], report, null, ENGINE_DRIVEN);
        int range = 1;
        for (String users : System.getProperty("bench.users", "2000000").split(",")) {
            hold(lab, capture, Integer.parseInt(users.trim()), CLIENT_RANGES[range++ % CLIENT_RANGES.length], report,
                baseline, ENGINE_DRIVEN);
        }
        assertThat(agent.isAlive()).isTrue();
    }

    private void threads(Lab lab, List<String> report) throws Exception {
        new ThreadsBenchmark(lab, report).run();
    }

    /** One comet run of users in the mode; returns {held, RSS, heap after GC}. */
    static long[] hold(Lab lab, Path capture, int users, String clients, List<String> report, long[] baseline,
            String userMode) throws Exception {
        String name = "comet-" + userMode + "-" + users;
        Path run = Files.createDirectories(lab.workDir().resolve(name));
        // starts take a while (a virtual-thread user's more than an engine-driven one's): the hold counts from the last
        int duration = HOLD_SECONDS + 30 + users / (ENGINE_DRIVEN.equals(userMode) ? 5_000 : 2_500);
        List<String> properties = new ArrayList<>(common(lab, capture, clients));
        properties.addAll(List.of("users=" + users, "loops=1", "rampUp=0", "duration=" + duration, "comet=true",
            "userMode=" + userMode, "idleTimeout=" + (duration * 1000L + 60_000)));
        if (!ENGINE_DRIVEN.equals(userMode)) { // a user's first answer may wait for the start pacing of all the others
            properties.add("connectTimeout=" + duration * 1000L / 4);
        }
        long before = BenchmarkLab.established(lab);
        LabProcess jmeter = BenchmarkLab.startJMeter(lab, run, JAVA, environment(run), plan(), properties);
        long pid = jmeter.pid();
        long end = System.nanoTime() + Duration.ofSeconds(duration).toNanos();
        long held = 0;
        long stable = 0;
        long cpuAtHold = -1;
        long holdStart = 0;
        while (jmeter.isAlive() && System.nanoTime() < end) {
            Thread.sleep(2_000);
            long now = BenchmarkLab.established(lab) - before;
            stable = now == held ? stable + 1 : 0;
            held = now;
            if (held >= users || stable >= 5 && held > 0) {
                if (cpuAtHold < 0) {
                    cpuAtHold = BenchmarkLab.cpuNanos(pid);
                    holdStart = System.nanoTime();
                }
                if (System.nanoTime() - holdStart >= Duration.ofSeconds(HOLD_SECONDS).toNanos()) {
                    break;
                }
            }
        }
        long cpuNanos = cpuAtHold < 0 ? -1 : BenchmarkLab.cpuNanos(pid) - cpuAtHold;
        double holdSeconds = cpuAtHold < 0 ? 0 : (System.nanoTime() - holdStart) / 1e9;
        held = BenchmarkLab.established(lab) - before;
        long heap = BenchmarkLab.heapAfterGc(lab, JAVA, pid);
        long rss = BenchmarkLab.rssAfterGc(pid);
        BenchmarkLab.shutdownJMeter(lab, JAVA);
        if (!BenchmarkLab.awaitEnd(jmeter, Duration.ofSeconds(120))) {
            jmeter.stop();
        }
        String log = Files.readString(run.resolve("jmeter.log"));
        String perSession = "";
        if (baseline != null && held > baseline[0]) {
            perSession = String.format(Locale.ROOT, "; per session over the %,d-session baseline: RSS %.0f B, heap "
                + "%.0f B", COMET_BASELINE, (double) (rss - baseline[1]) / (held - baseline[0]),
                (double) (heap - baseline[2]) / (held - baseline[0]));
        }
        report.add(String.format(Locale.ROOT, "JMeter, %,d comet users (%s, keep-alive GET then held), "
            + "JVM %s: %,d held (%.2f %%) for %.0f s, RSS %s, heap after GC %s, idle CPU %.2f cores%s%s", users,
            userMode, environment(run).get("JVM_ARGS"), held, 100.0 * held / users, holdSeconds, BenchmarkLab.mib(rss),
            BenchmarkLab.mib(heap), cpuNanos < 0 ? 0 : cpuNanos / 1e9 / Math.max(1, holdSeconds), perSession,
            logLines(log, "warm-up", "start pacing", "dropped", "heap", "JVM", "virtual threads")));
        waitForClosed(lab, before);
        return new long[] {held, rss, heap};
    }

    /** Waits (bounded) until the target's established count is back to what it was. */
    static void waitForClosed(Lab lab, long before) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (BenchmarkLab.established(lab) > before && System.nanoTime() < end) {
            Thread.sleep(1_000);
        }
    }

    static List<String> common(Lab lab, Path capture, String clients) {
        return List.of("pcap=" + capture, "serverPort=80",
            "target=" + lab.target().ipv4To(LabRole.CLIENT).getHostAddress(),
            "agent=" + ReplaySetup.agentAddress(lab), "tokenFile=" + BenchmarkLab.tokenFile(lab),
            "clientIps=" + clients);
    }

    /** JMeter's launcher defaults, plus what the benchmark was told (bench.jvmArgs; bench.jfr records a profile). */
    static Map<String, String> environment(Path run) {
        return environment(run, System.getProperty("bench.heap", ""));
    }

    /** As {@link #environment(Path)} with this HEAP (blank: the launcher's -Xms1g -Xmx1g). */
    static Map<String, String> environment(Path run, String heap) {
        Map<String, String> environment = new LinkedHashMap<>();
        String jvmArgs = System.getProperty("bench.jvmArgs", "");
        if (Boolean.getBoolean("bench.jfr")) {
            jvmArgs += " -XX:StartFlightRecording=filename=" + run.resolve("profile.jfr") + ",settings=profile";
        }
        jvmArgs += " -Xlog:gc:file=" + run.resolve("gc.log");
        environment.put("JVM_ARGS", jvmArgs.trim());
        if (!heap.isBlank()) {
            environment.put("HEAP", heap);
        }
        return environment;
    }

    /** Copies the run's JFR recording (bench.jfr) next to the report, as NAME.jfr (the lab's directory goes). */
    private static void keepProfile(Path run, String name) throws java.io.IOException {
        Path profile = run.resolve("profile.jfr");
        if (Files.exists(profile)) {
            Files.copy(profile, out().resolveSibling(name + ".jfr"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (Boolean.getBoolean("bench.keepJtl")) {
            Files.copy(run.resolve("results.jtl"), out().resolveSibling(name + ".jtl"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The report file: figures and kept profiles go next to it. */
    private static Path out() {
        return Path.of(System.getProperty("bench.out", "target/bench-jmeter.txt")).toAbsolutePath();
    }

    static Path plan() {
        return Path.of(System.getProperty("project.root"), "examples", "plans", "replay.jmx");
    }

    /** The log lines that mention any of the words, for the report. */
    static String logLines(String log, String... words) {
        StringBuilder lines = new StringBuilder();
        for (String line : log.split("\n")) {
            if (Arrays.stream(words).anyMatch(line::contains)) {
                lines.append("\n    log: ").append(line.substring(Math.min(line.length(), 24)).strip());
            }
        }
        return lines.toString();
    }
}
