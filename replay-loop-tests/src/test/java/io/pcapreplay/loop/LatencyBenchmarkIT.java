package io.pcapreplay.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.net.AgentClock;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.EngineConfig;
import io.pcapreplay.tcp.ExchangeListener;
import io.pcapreplay.tcp.ExchangeResult;
import io.pcapreplay.tcp.ReplayEngine;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Latency benchmark (run by scripts/bench-latency.sh, never by a plain build). In one lab run, against nginx in the
 * target namespace, at light load: curl from the client namespace (the kernel-socket reference: time to first byte,
 * handshake included) and the same exchange replayed by the engine through the raw socket and the real agent jar,
 * timed from the wire (capture timestamps) and, next to it, at the engine's own receive time; then a recorded
 * keep-alive session of 3 GETs: per later request the latency against curl's, and per round trip the replay's
 * overhead (from the response's last byte on the wire to the next request leaving, minus the recorded think time),
 * split into the agent relay (capture to engine receive) and the engine (receive to next request).
 * Bounded: {@code bench.sessions} per phase at {@code bench.rate} per second, every wait capped.
 */
@LabTest
@EnabledIfSystemProperty(named = "bench", matches = "true")
class LatencyBenchmarkIT {

    private static final int SESSIONS = Integer.getInteger("bench.sessions", 500);
    private static final int RATE = Integer.getInteger("bench.rate", 50);
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(60);

    /** One replayed exchange: the result and when the engine handed it over (its local receive time). */
    private record Timed(ExchangeResult result, long receivedNanos) {
    }

    @Test
    void shouldMeasureReplayedLatencyAgainstCurlWhenBothFetchTheSamePageAtLightLoad(Lab lab) throws Exception {
        RecordedNginx.start(lab, "latency-nginx", 80);
        String url = "http://" + lab.target().ipv4To(LabRole.CLIENT).getHostAddress() + "/";
        RecordedSession get = CurlRecording.record(lab, "-H", "Connection: close", url);
        RecordedSession threeGets = CurlRecording.record(lab, url, url, url);
        List<String> report = new ArrayList<>();
        report.add(String.format(Locale.ROOT, "%d cores, %s, load %s; %d sessions per phase at %d/s; sessions: %s; %s",
            Runtime.getRuntime().availableProcessors(), System.getProperty("os.version"), loadAverage(), SESSIONS,
            RATE, get, threeGets));

        double[][] curlOne = curl(lab, url, 1);
        double[][] curlThree = curl(lab, url, 3);
        try (LabAgent agent = LabAgent.start(lab, "--stats-interval", "0")) {
            replay(lab, agent, get, "198.18.48.0/22", Math.min(SESSIONS, 100), new ArrayList<>()); // warm-up
            List<String> one = new ArrayList<>();
            List<Timed> single = replay(lab, agent, get, "198.18.52.0/22", SESSIONS, one);
            double[] wire = latencies(single, 0, false);
            double[] raw = latencies(single, 0, true);
            report.add("one GET per connection (handshake included), latency in ms:");
            report.add(line("curl time_starttransfer (reference)", curlOne[0], null));
            report.add(line("replay, timed from the wire", wire, curlOne[0]));
            report.add(line("replay, engine receive time (raw)", raw, curlOne[0]));
            report.add(line("curl time_connect (reference)", curlOne[1], null));
            report.add(line("replay connect, from the wire", connects(single), curlOne[1]));
            report.addAll(one);

            List<String> three = new ArrayList<>();
            List<Timed> keepAlive = replay(lab, agent, threeGets, "198.18.56.0/22", SESSIONS / 2, three);
            report.add("keep-alive, 3 GETs per connection: requests 2 and 3, latency in ms:");
            double[] curlLater = concat(curlThree[2], curlThree[3]);
            report.add(line("curl time_starttransfer, reused connection (reference)", curlLater, null));
            report.add(line("replay, timed from the wire",
                concat(latencies(keepAlive, 1, false), latencies(keepAlive, 2, false)), curlLater));
            report.add(line("replay, engine receive time (raw)",
                concat(latencies(keepAlive, 1, true), latencies(keepAlive, 2, true)), curlLater));
            report.addAll(overheads(keepAlive, threeGets));
            report.addAll(three);
        }
        Path out = Path.of(System.getProperty("bench.out", "target/bench-latency.txt"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, report, StandardCharsets.UTF_8);
        report.forEach(System.out::println);
        assertThat(curlOne[0]).isNotEmpty();
    }

    /**
     * curl in the client namespace, one process per connection, paced like the replay: per connection
     * time_starttransfer of the first transfer [0], time_connect [1], and for reused connections the later
     * transfers' time_starttransfer [2], [3] (each from that transfer's start), in ms.
     */
    private static double[][] curl(Lab lab, String url, int gets) {
        String urls = String.join(" ", java.util.Collections.nCopies(gets, url));
        String header = gets == 1 ? "-H 'Connection: close' " : "";
        String script = "for i in $(seq " + SESSIONS + "); do curl -s " + header + "-w '%{time_connect} "
            + "%{time_starttransfer}\\n' " + "-o /dev/null ".repeat(gets) + urls + "; sleep " + 1.0 / RATE
            + "; done";
        String output = lab.client().exec(Duration.ofSeconds(SESSIONS * 2L + 60), "sh", "-c", script).orThrow()
            .stdout();
        List<double[]> rows = new ArrayList<>();
        for (String line : output.split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length == 2) {
                rows.add(new double[] {Double.parseDouble(fields[0]) * 1e3, Double.parseDouble(fields[1]) * 1e3});
            }
        }
        int connections = rows.size() / gets;
        double[][] columns = new double[4][];
        columns[0] = new double[connections];
        columns[1] = new double[connections];
        columns[2] = new double[gets > 1 ? connections : 0];
        columns[3] = new double[gets > 2 ? connections : 0];
        for (int connection = 0; connection < connections; connection++) {
            columns[1][connection] = rows.get(connection * gets)[0];
            columns[0][connection] = rows.get(connection * gets)[1];
            for (int later = 1; later < gets; later++) {
                columns[1 + later][connection] = rows.get(connection * gets + later)[1];
            }
        }
        return columns;
    }

    /** The session replayed {@code count} times at {@link #RATE} per second; every result, in start order. */
    private static List<Timed> replay(Lab lab, LabAgent agent, RecordedSession session, String pool, int count,
            List<String> notes) throws Exception {
        EngineConfig config = EngineLab.config(lab, pool, 80).pacing(RATE, 1_000)
            .response(Duration.ofSeconds(10), Duration.ofMillis(200)).build();
        ConcurrentLinkedQueue<Timed> results = new ConcurrentLinkedQueue<>();
        CountDownLatch ended = new CountDownLatch(count);
        ExchangeListener listener = new ExchangeListener() {
            @Override
            public void onResult(ExchangeResult result) {
                results.add(new Timed(result, System.nanoTime())); // on the loop, right after the packet
            }

            @Override
            public void onSessionEnd(long sessionId, String reason) {
                ended.countDown();
            }
        };
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        try (EngineLab engineLab = EngineLab.start(lab, agent, config, 0)) {
            AgentClock clock = engineLab.clock();
            ReplayEngine engine = engineLab.engine();
            for (int index = 0; index < count; index++) {
                engine.startSession(session, listener);
            }
            boolean finished = ended.await(count / RATE + DRAIN_LIMIT.toSeconds(), TimeUnit.SECONDS);
            long elapsed = System.nanoTime() - start;
            long failed = results.stream().filter(timed -> !timed.result().ok()).count();
            notes.add(String.format(Locale.ROOT, "  (%d sessions, %d results, %d failed%s; agent %s; replayer JVM "
                + "CPU %.1f%% of one core over %.1f s; %s)", count, results.size(), failed,
                finished ? "" : ", NOT all ended", clock.describe(), 100.0 * (processCpuNanos() - cpuBefore) / elapsed,
                elapsed / 1e9, engine.stats()));
        }
        List<Timed> sorted = new ArrayList<>(results);
        sorted.sort((a, b) -> a.result().sessionId() != b.result().sessionId()
            ? Long.compare(a.result().sessionId(), b.result().sessionId())
            : Integer.compare(a.result().exchangeIndex(), b.result().exchangeIndex()));
        return sorted;
    }

    private static double[] latencies(List<Timed> results, int exchange, boolean raw) {
        return results.stream().filter(timed -> timed.result().ok() && timed.result().exchangeIndex() == exchange)
            .mapToDouble(timed -> ((raw ? timed.receivedNanos() : timed.result().firstByteNanos())
                - timed.result().startNanos()) / 1e6).toArray();
    }

    private static double[] connects(List<Timed> results) {
        return results.stream().filter(timed -> timed.result().ok() && timed.result().exchangeIndex() == 0)
            .mapToDouble(timed -> (timed.result().connectEndNanos() - timed.result().startNanos()) / 1e6).toArray();
    }

    /**
     * Per round trip between exchanges k and k+1 of one session: from the response's last byte on the wire to the
     * next request leaving, minus the recorded think time; split into the relay (wire to the engine's receive) and
     * the engine (receive to the next request).
     */
    private static List<String> overheads(List<Timed> results, RecordedSession session) {
        List<Double> total = new ArrayList<>();
        List<Double> relay = new ArrayList<>();
        List<Double> engine = new ArrayList<>();
        for (int index = 0; index + 1 < results.size(); index++) {
            ExchangeResult done = results.get(index).result();
            ExchangeResult next = results.get(index + 1).result();
            if (done.sessionId() != next.sessionId() || !done.ok() || !next.ok()) {
                continue;
            }
            long think = session.exchange(next.exchangeIndex()).thinkTimeNanos();
            total.add((next.startNanos() - done.lastByteNanos() - think) / 1e6);
            relay.add((results.get(index).receivedNanos() - done.lastByteNanos()) / 1e6);
            engine.add((next.startNanos() - results.get(index).receivedNanos() - think) / 1e6);
        }
        return List.of(String.format(Locale.ROOT, "per round trip (recorded think times %.3f and %.3f ms "
                + "subtracted), ms:", session.exchange(1).thinkTimeNanos() / 1e6,
                session.exchange(2).thinkTimeNanos() / 1e6),
            line("overhead: response's last byte on the wire -> next request", array(total), null),
            line("  of which the relay: capture -> engine receive", array(relay), null),
            line("  of which the engine: receive -> next request (think time excluded)", array(engine), null));
    }

    private static String line(String what, double[] values, double[] reference) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        String text = String.format(Locale.ROOT, "  %-58s n=%4d  p50 %7.3f  p99 %7.3f", what, sorted.length,
            percentile(sorted, 50), percentile(sorted, 99));
        if (reference != null && reference.length > 0 && sorted.length > 0) {
            double[] base = reference.clone();
            Arrays.sort(base);
            text += String.format(Locale.ROOT, "  difference p50 %+.3f p99 %+.3f  ratio p50 %.2f p99 %.2f",
                percentile(sorted, 50) - percentile(base, 50), percentile(sorted, 99) - percentile(base, 99),
                percentile(sorted, 50) / percentile(base, 50), percentile(sorted, 99) / percentile(base, 99));
        }
        return text;
    }

    private static double percentile(double[] sorted, int percent) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }

    private static double[] concat(double[] first, double[] second) {
        double[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    private static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    private static String loadAverage() {
        return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean()
            .getSystemLoadAverage());
    }
}
