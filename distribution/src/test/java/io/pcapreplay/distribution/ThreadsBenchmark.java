package io.pcapreplay.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabProcess;
import io.pcapreplay.lab.LabRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench.mode=threads} of {@link JMeterBenchmarkIT}: memory per thread-per-user user against JMeter's own HTTP
 * sampler, in one run against nginx with many reuseport workers.
 * <ol>
 *   <li>Reference: the bundled JMeter (its default heap) runs src/test/resources/bench/http-hold.jmx, a plain Thread
 *   Group (platform threads) with an HTTP Request sampler (HttpClient4) whose GET /hold nginx answers only after
 *   {@code bench.hold} seconds (echo_sleep): {@value #REFERENCE_BASELINE} users, then {@code bench.referenceUsers}
 *   (default 2,000). Once every request is held: RSS and heap after a full GC; per user over the baseline.</li>
 *   <li>Ours: {@value JMeterBenchmarkIT#COMET_BASELINE} users, then each of {@code bench.users}, thread per user
 *   (virtual threads when JMeter runs on Java 21+: {@code bench.java}) in comet mode with the default
 *   {@code responseBytes}: each user replays a keep-alive GET and holds the connection (no timer element) for
 *   {@code bench.hold} seconds once all are held; per user over the baseline, and its ratio to the reference.</li>
 * </ol>
 */
final class ThreadsBenchmark {

    static final int REFERENCE_BASELINE = 100;

    private final Lab lab;
    private final List<String> report;

    ThreadsBenchmark(Lab lab, List<String> report) {
        this.lab = lab;
        this.report = report;
    }

    void run() throws Exception {
        int[] counts = Arrays.stream(System.getProperty("bench.users", "100000,300000").split(","))
            .mapToInt(count -> Integer.parseInt(count.trim())).toArray();
        int most = Arrays.stream(counts).max().orElse(1);
        int workers = Integer.getInteger("bench.workers", Math.max(4, most / 12_000 + 1));
        BenchmarkLab.startNginx(lab, workers, JMeterBenchmarkIT.HOLD_SECONDS);
        LabProcess agent = BenchmarkLab.startAgent(lab);
        int referenceUsers = Integer.getInteger("bench.referenceUsers", 2_000);
        long[] referenceBaseline = httpHold(REFERENCE_BASELINE, null);
        long[] reference = httpHold(referenceUsers, referenceBaseline);
        double referenceRss = perUser(reference, referenceBaseline, 1);
        double referenceHeap = perUser(reference, referenceBaseline, 2);

        Path capture = BenchmarkLab.record(lab, "get-keep-alive", BenchmarkLab.targetUrl(lab));
        String[] ranges = JMeterBenchmarkIT.CLIENT_RANGES;
        long[] baseline = JMeterBenchmarkIT.hold(lab, capture, JMeterBenchmarkIT.COMET_BASELINE, ranges[0], report,
            null, "thread-per-user");
        for (int i = 0; i < counts.length; i++) {
            long[] ours = JMeterBenchmarkIT.hold(lab, capture, counts[i], ranges[(i + 1) % ranges.length], report,
                baseline, "thread-per-user");
            double rss = perUser(ours, baseline, 1);
            double heap = perUser(ours, baseline, 2);
            report.add(String.format(Locale.ROOT, "=> thread per user, %,d users (%,d held): %.1f KiB RSS and %.1f "
                + "KiB heap per user; JMeter's HTTP sampler in the same run: %.1f KiB RSS, %.1f KiB heap per user; "
                + "ratio RSS %.3f (1/%.0f), heap %.3f (1/%.0f)", counts[i], ours[0], rss / 1024, heap / 1024,
                referenceRss / 1024, referenceHeap / 1024, rss / referenceRss, referenceRss / rss,
                heap / referenceHeap, referenceHeap / heap));
        }
        assertThat(agent.isAlive()).isTrue();
    }

    /** Bytes per user of figure {@code index} (1 RSS, 2 heap) over the baseline; NaN when nothing more was held. */
    private static double perUser(long[] run, long[] baseline, int index) {
        return run[0] > baseline[0] ? (double) (run[index] - baseline[index]) / (run[0] - baseline[0]) : Double.NaN;
    }

    /**
     * One reference run: JMeter's HTTP sampler, {@code users} platform threads each waiting for /hold. Measured once
     * the target counts every request's connection established (or the count is stable for 3 s), before nginx
     * answers; then JMeter runs to its end (bounded). Returns {held, RSS, heap after GC}.
     */
    private long[] httpHold(int users, long[] baseline) throws Exception {
        int hold = JMeterBenchmarkIT.HOLD_SECONDS;
        Path run = Files.createDirectories(lab.workDir().resolve("http-hold-" + users));
        List<String> properties = List.of("target=" + lab.target().ipv4To(LabRole.CLIENT).getHostAddress(),
            "users=" + users, "rampUp=0", "responseTimeout=" + (hold + 120) * 1000L);
        long before = BenchmarkLab.established(lab);
        long started = System.nanoTime();
        LabProcess jmeter = BenchmarkLab.startJMeter(lab, run, JMeterBenchmarkIT.JAVA,
            JMeterBenchmarkIT.environment(run, ""), plan(), properties);
        long held = 0;
        int stable = 0;
        long end = started + Duration.ofSeconds(hold).toNanos() * 2 / 3; // measured before the answers come
        while (jmeter.isAlive() && System.nanoTime() < end && held < users && (stable < 3 || held == 0)) {
            Thread.sleep(1_000);
            long now = BenchmarkLab.established(lab) - before;
            stable = now == held ? stable + 1 : 0;
            held = now;
        }
        Thread.sleep(2_000); // the last threads settle
        long pid = jmeter.pid();
        long heap = BenchmarkLab.heapAfterGc(lab, JMeterBenchmarkIT.JAVA, pid);
        long rss = BenchmarkLab.rssAfterGc(pid);
        double heldAfter = (System.nanoTime() - started) / 1e9;
        if (!BenchmarkLab.awaitEnd(jmeter, Duration.ofSeconds(hold + 150L))) {
            jmeter.stop();
        }
        BenchmarkLab.Jtl jtl = BenchmarkLab.Jtl.read(run.resolve("results.jtl"));
        String perUser = baseline == null || held <= baseline[0] ? "" : String.format(Locale.ROOT, "; per user over "
            + "the %,d-user baseline: RSS %.1f KiB, heap %.1f KiB", baseline[0], (rss - baseline[1]) / 1024.0
            / (held - baseline[0]), (heap - baseline[2]) / 1024.0 / (held - baseline[0]));
        report.add(String.format(Locale.ROOT, "JMeter HTTP Request sampler (HttpClient4, platform threads, reference), "
            + "%,d users each holding GET /hold (answered after %d s), JVM %s: %,d held (%.2f %%) at %.0f s, RSS %s, "
            + "heap after GC %s; JTL: %,d rows, %,d OK, codes %s, %.0f s from first start to last end%s", users, hold,
            JMeterBenchmarkIT.environment(run, "").get("JVM_ARGS"), held, 100.0 * held / users, heldAfter,
            BenchmarkLab.mib(rss), BenchmarkLab.mib(heap), jtl.rows(), jtl.ok(), jtl.codes(), jtl.seconds(),
            perUser));
        JMeterBenchmarkIT.waitForClosed(lab, before);
        return new long[] {held, rss, heap};
    }

    private static Path plan() {
        return Path.of(System.getProperty("project.root"), "distribution", "src", "test", "resources", "bench",
            "http-hold.jmx");
    }
}
