package io.pcapreplay.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.ExecResult;
import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.pcap.CaptureOptions;
import io.pcapreplay.pcap.LiveCounters;
import io.pcapreplay.pcap.LiveOptions;
import io.pcapreplay.pcap.LiveSessionStream;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.EngineConfig;
import io.pcapreplay.tcp.ExchangeListener;
import io.pcapreplay.tcp.ExchangeResult;
import io.pcapreplay.tcp.KernelReplayer;
import io.pcapreplay.tcp.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Live copy benchmark (run by scripts/bench-live.sh, never by a plain build). The production server is nginx on port
 * 80 in the target namespace, its client wrk in the client namespace with {@code Connection: close} (one session per
 * request), at 1, 2, 4 and 8 connections each waiting 2 ms between its sessions (a wrk Lua delay), then 16 without
 * a wait, for {@code bench.seconds} each: the reference rate. The live source
 * captures the production server's interface (libpcap, in the target namespace), copies every session (100%, no
 * amplification) and hands each out as soon as its request is complete to a kernel-socket replayer in the client
 * namespace, which replays it against a second nginx (port 8080). Per step: production sessions/s (wrk), sessions
 * seen, copied and replayed OK per second, drops (caps, queue, kernel). Bounded: every step and wait capped.
 */
@LabTest
@EnabledIfSystemProperty(named = "bench", matches = "true")
class LiveBenchmarkIT {

    private static final int SECONDS = Integer.getInteger("bench.seconds", 8);
    private static final Pattern WRK_RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern WRK_COUNT = Pattern.compile("(\\d+) requests in");

    @Test
    void shouldMeasureTheLiveCopyRateAgainstTheProductionClientsRate(Lab lab) throws Exception {
        RecordedNginx.start(lab, "production-nginx", 80);
        RecordedNginx.start(lab, "copy-nginx", 8080);
        String url = "http://" + lab.target().ipv4To(LabRole.CLIENT).getHostAddress() + "/";
        List<String> report = new ArrayList<>();
        report.add(String.format(Locale.ROOT, "%d cores, %s; %d s per step; production: wrk -t1 -H 'Connection: "
            + "close' against nginx :80; copy: live capture of the server's interface, 100%%, replayed over kernel "
            + "sockets against nginx :8080 on the same host", Runtime.getRuntime().availableProcessors(),
            System.getProperty("os.version"), SECONDS));
        CaptureOptions capture = CaptureOptions.defaults().withServerPorts(List.of(80));
        LiveOptions options = new LiveOptions(lab.target().interfaceTo(LabRole.CLIENT), capture, 100, 1, 10_000,
            null);
        EngineConfig config = EngineConfig.builder().target(lab.target().ipv4To(LabRole.CLIENT), 8080)
            .connect(Duration.ofSeconds(5), 3).response(Duration.ofSeconds(10), Duration.ofMillis(200)).build();
        KernelReplayer replayer = lab.client().call(() -> KernelReplayer.start(config, List.of(), 1, message -> { }));
        LiveSessionStream stream = lab.target().call(() -> LiveSessionStream.open(options));
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong started = new AtomicLong();
        Thread feeder = new Thread(() -> feed(stream, replayer, ok, failed, started), "live-feeder");
        feeder.start();
        try {
            for (int[] step : new int[][] {{1, 2}, {2, 2}, {4, 2}, {8, 2}, {16, 0}}) {
                int connections = step[0];
                Path script = lab.workDir().resolve("close-delay-" + step[1] + ".lua");
                Files.writeString(script, "wrk.headers[\"Connection\"] = \"close\"\n"
                    + "function delay()\n  return " + step[1] + "\nend\n");
                LiveCounters before = stream.counters();
                long okBefore = ok.get();
                long begin = System.nanoTime();
                ExecResult wrk = lab.client().exec(Duration.ofSeconds(SECONDS + 30L), "wrk", "-t", "1", "-c",
                    Integer.toString(connections), "-d", SECONDS + "s", "-s", script.toString(), url).orThrow();
                Thread.sleep(2_000); // the last copies finish
                double seconds = (System.nanoTime() - begin) / 1e9 - 2;
                LiveCounters after = stream.counters();
                Matcher rate = WRK_RATE.matcher(wrk.stdout());
                Matcher count = WRK_COUNT.matcher(wrk.stdout());
                assertThat(rate.find() && count.find()).as(wrk.stdout()).isTrue();
                long production = Long.parseLong(count.group(1));
                long seen = after.sessionsSeen() - before.sessionsSeen();
                long copied = after.sessionsCopied() - before.sessionsCopied();
                long drops = after.drops() - before.drops();
                long replayed = ok.get() - okBefore;
                report.add(String.format(Locale.ROOT, "wrk -c%d, %d ms between a connection's sessions: production "
                    + "%d sessions, %.0f sessions/s; live copy: %d seen, %d copied (%.0f sessions/s, ratio "
                    + "copied/production %.3f), %d replayed OK; drops: %d sessions, %d frames in the kernel",
                    connections, step[1], production, Double.parseDouble(rate.group(1)), seen, copied,
                    copied / seconds, (double) copied / production, replayed, drops,
                    after.kernelDrops() - before.kernelDrops()));
            }
        } finally {
            stream.close();
            feeder.join(5_000);
            replayer.stop(Duration.ofSeconds(5));
        }
        report.add("totals: " + stream.counters() + "; replayed OK " + ok.get() + ", failed " + failed.get()
            + ", started " + started.get());
        Path out = Path.of(System.getProperty("bench.out", "target/bench-live.txt"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, report, StandardCharsets.UTF_8);
        report.forEach(System.out::println);
        assertThat(ok.get()).isPositive();
    }

    private static void feed(LiveSessionStream stream, KernelReplayer replayer, AtomicLong ok, AtomicLong failed,
                             AtomicLong started) {
        ExchangeListener listener = new ExchangeListener() {
            @Override
            public void onResult(ExchangeResult result) {
                (result.outcome() == Outcome.OK ? ok : failed).incrementAndGet();
            }

            @Override
            public void onSessionEnd(long sessionId, String reason) {
            }
        };
        try {
            for (RecordedSession session = stream.next(); session != null; session = stream.next()) {
                replayer.startSession(session, null, listener);
                started.incrementAndGet();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
