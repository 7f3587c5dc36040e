package io.pcapreplay.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.EngineConfig;
import io.pcapreplay.tcp.ExchangeListener;
import io.pcapreplay.tcp.ExchangeResult;
import io.pcapreplay.tcp.KernelReplayer;
import io.pcapreplay.tcp.KernelStats;
import io.pcapreplay.tcp.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Kernel transport benchmark (run by scripts/bench-kernel.sh, never by a plain build). In one lab, from the client
 * namespace against nginx in the target namespace, no agent: (1) wrk with {@code Connection: close} and the kernel
 * replayer replaying a recorded one-GET-per-connection session (server closes), same connections, same duration, with
 * 2 loops then 1; (2) wrk with keep-alive and the replayer replaying a recorded 3-GET keep-alive session (the client
 * closes: TIME_WAIT here, so tcp_tw_reuse=1 in the client namespace), then the same with tcp_tw_reuse=0 to show the
 * port limit (LOCAL_LIMIT counted); (3) memory: idle comet sessions held against nginx, heap per session.
 * Bounded: {@code bench.seconds} per phase, at most {@code bench.idle} idle sessions, every wait capped.
 */
@LabTest
@EnabledIfSystemProperty(named = "bench", matches = "true")
class KernelBenchmarkIT {

    private static final int CONNECTIONS = Integer.getInteger("bench.connections", 200);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    private static final int IDLE_SESSIONS = Integer.getInteger("bench.idle", 15_000);
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(60);

    @Test
    void shouldMeasureTheKernelTransportAgainstWrkWhenBothReplayTheSameRequests(Lab lab) throws Exception {
        RecordedNginx.start(lab, "bench-nginx", 80);
        List<String> report = new ArrayList<>();
        String url = "http://" + lab.target().ipv4To(LabRole.CLIENT).getHostAddress() + "/";
        RecordedSession get = CurlRecording.record(lab, "-H", "Connection: close", url);
        RecordedSession threeGets = CurlRecording.record(lab, url, url, url);
        RecordedSession comet = CurlRecording.record(lab, url);
        report.add(String.format(Locale.ROOT, "%d cores, %s; %d connections, %d s per phase; no agent, kernel "
            + "sockets from the client namespace's own address", Runtime.getRuntime().availableProcessors(),
            System.getProperty("os.version"), CONNECTIONS, SECONDS));
        closedLoop(lab, get, 2, 2); // warm-up, not reported
        double wrk = EngineBenchmarkIT.wrk(lab, report, true);
        for (int loops : List.of(2, 1)) {
            Loop run = closedLoop(lab, get, loops, SECONDS);
            report.add(String.format(Locale.ROOT, "kernel, %d loop(s) (one GET per connection, the server closes): "
                + "%.0f sessions/s = requests/s; ratio kernel/wrk %.2f; %s", loops, run.rate, run.rate / wrk, run));
        }
        sysctl(lab, "net.ipv4.tcp_tw_reuse", "1");
        double wrkKeepAlive = EngineBenchmarkIT.wrk(lab, report, false);
        Loop keepAlive = closedLoop(lab, threeGets, 2, SECONDS);
        report.add(String.format(Locale.ROOT, "kernel, 2 loops (3 GETs per keep-alive connection, then the client "
            + "closes; tcp_tw_reuse=1): %.0f requests/s, %.0f sessions/s; ratio kernel/wrk (requests/s) %.2f; %s",
            keepAlive.rate, keepAlive.rate / 3, keepAlive.rate / wrkKeepAlive, keepAlive));
        sysctl(lab, "net.ipv4.tcp_tw_reuse", "0");
        Loop ports = closedLoop(lab, threeGets, 2, Math.max(1, SECONDS / 2));
        report.add(String.format(Locale.ROOT, "kernel, the same with tcp_tw_reuse=0 for %d s (every closed port "
            + "waits 60 s in TIME_WAIT): %.0f requests/s; %s", Math.max(1, SECONDS / 2), ports.rate, ports));
        sysctl(lab, "net.ipv4.tcp_tw_reuse", "1");
        report.add(idleMemory(lab, comet));
        Path out = Path.of(System.getProperty("bench.out", "target/bench-kernel.txt"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, report, StandardCharsets.UTF_8);
        report.forEach(System.out::println);
        assertThat(wrk).as("wrk completed requests").isPositive();
    }

    private static void sysctl(Lab lab, String name, String value) {
        lab.client().exec(Duration.ofSeconds(10), "sysctl", "-w", name + "=" + value).orThrow();
    }

    /** A closed loop's figures. */
    private record Loop(double rate, Map<Outcome, Long> outcomes, KernelStats stats) {
        @Override
        public String toString() {
            return "outcomes " + outcomes + ", local limits " + stats.localLimits() + ", loop errors "
                + stats.loopErrors();
        }
    }

    /** CONNECTIONS users, each starting the session again when it ends, for the duration; OK results per second. */
    private static Loop closedLoop(Lab lab, RecordedSession session, int loops, int seconds) throws Exception {
        EngineConfig config = EngineConfig.builder().target(lab.target().ipv4To(LabRole.CLIENT), 80).speedFactor(0)
            .connect(Duration.ofSeconds(5), 3).response(Duration.ofSeconds(10), Duration.ofMillis(200)).build();
        Map<Outcome, AtomicLong> outcomes = new ConcurrentHashMap<>();
        AtomicLong open = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        KernelReplayer replayer = lab.client().call(() -> KernelReplayer.start(config, List.of(), loops,
            message -> { }));
        try {
            ExchangeListener users = new ExchangeListener() {
                @Override
                public void onResult(ExchangeResult result) {
                    if (System.nanoTime() < end) {
                        outcomes.computeIfAbsent(result.outcome(), key -> new AtomicLong()).incrementAndGet();
                    }
                }

                @Override
                public void onSessionEnd(long sessionId, String reason) {
                    if (System.nanoTime() < end) {
                        replayer.startSession(session, this);
                    } else {
                        open.decrementAndGet();
                    }
                }
            };
            long start = System.nanoTime();
            for (int user = 0; user < CONNECTIONS; user++) {
                open.incrementAndGet();
                replayer.startSession(session, users);
            }
            Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
            long elapsed = System.nanoTime() - start;
            long drainEnd = System.nanoTime() + DRAIN_LIMIT.toNanos();
            while (open.get() > 0 && System.nanoTime() < drainEnd) {
                Thread.sleep(50);
            }
            Map<Outcome, Long> counts = new java.util.EnumMap<>(Outcome.class);
            outcomes.forEach((outcome, count) -> counts.put(outcome, count.get()));
            long ok = counts.getOrDefault(Outcome.OK, 0L);
            return new Loop(ok * 1e9 / elapsed, counts, replayer.stats());
        } finally {
            replayer.stop(Duration.ofSeconds(10));
        }
    }

    /** Heap per idle comet session held against nginx (one GET answered, then held), and the kernel's share. */
    private static String idleMemory(Lab lab, RecordedSession session) throws Exception {
        EngineConfig config = EngineConfig.builder().target(lab.target().ipv4To(LabRole.CLIENT), 80).speedFactor(0)
            .comet(true).pacing(0, 1_000).connect(Duration.ofSeconds(10), 3)
            .response(Duration.ofSeconds(30), Duration.ofMillis(200)).build();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long before = usedHeapAfterGc();
        String socketsBefore = sockstat(lab);
        KernelReplayer replayer = lab.client().call(() -> KernelReplayer.start(config, List.of(), 2,
            message -> { }));
        try {
            long start = System.nanoTime();
            for (int index = 0; index < IDLE_SESSIONS; index++) {
                replayer.startSession(session, result -> (result.ok() ? ok : failed).incrementAndGet());
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (ok.get() + failed.get() < IDLE_SESSIONS && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            long held = replayer.stats().openSessions();
            long after = usedHeapAfterGc();
            return String.format(Locale.ROOT, "idle comet sessions against nginx: %d of %d open (exchange done, "
                + "held; %d failed) after %.1f s; heap %.1f MiB -> %.1f MiB: %.0f bytes per open session; kernel "
                + "(client namespace) %s -> %s; %s", held, IDLE_SESSIONS, failed.get(),
                (System.nanoTime() - start) / 1e9, before / 1048576.0, after / 1048576.0,
                (after - before) / (double) Math.max(1, held), socketsBefore, sockstat(lab), tcpSlab());
        } finally {
            replayer.stop(Duration.ofSeconds(10));
        }
    }

    private static String sockstat(Lab lab) {
        return lab.client().exec(Duration.ofSeconds(10), "grep", "^TCP:", "/proc/net/sockstat").orThrow().stdout()
            .strip();
    }

    private static String tcpSlab() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/slabinfo"))) {
            String[] words = line.trim().split("\\s+");
            if (words[0].equals("TCP")) {
                return "kernel TCP socket object " + words[3] + " bytes (slab)";
            }
        }
        return "kernel TCP socket object: not in /proc/slabinfo";
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int round = 0; round < 4; round++) {
            System.gc();
            Thread.sleep(100);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
