package io.pcapreplay.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.ExecResult;
import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.packet.IpTcpEncoder;
import io.pcapreplay.packet.IpTcpView;
import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.EngineConfig;
import io.pcapreplay.tcp.ExchangeListener;
import io.pcapreplay.tcp.ExchangeResult;
import io.pcapreplay.tcp.PacketSender;
import io.pcapreplay.tcp.ReplayEngine;
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
 * Engine benchmark (run by scripts/bench-engine.sh, never by a plain build). In one lab, against nginx in the target
 * namespace: (1) wrk with {@code Connection: close} and the engine replaying a recorded one-GET-per-connection
 * session, same connection count, same duration; (2) overload: sessions started at twice wrk's rate, share
 * completed; (3) memory: many idle comet sessions held against an in-process stateless responder, heap per session.
 * Bounded: {@code bench.seconds} per throughput phase, at most {@code bench.idle} idle sessions, every wait capped.
 */
@LabTest
@EnabledIfSystemProperty(named = "bench", matches = "true")
class EngineBenchmarkIT {

    private static final int CONNECTIONS = Integer.getInteger("bench.connections", 200);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    private static final int IDLE_SESSIONS = Integer.getInteger("bench.idle", 1_000_000);
    private static final String LIMITED_RATE = System.getProperty("bench.limitedRate", "20mbit");
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(120);
    private static final Pattern WRK_RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern WRK_COUNT = Pattern.compile("(\\d+) requests in");
    private static final Pattern WRK_ERRORS = Pattern.compile("Socket errors: (.*)|Non-2xx or 3xx responses: (\\d+)");

    @Test
    void shouldMeasureTheEngineAgainstWrkWhenBothReplayOneGetPerConnection(Lab lab) throws Exception {
        RecordedNginx.start(lab, "bench-nginx", 80);
        List<String> report = new ArrayList<>();
        String url = "http://" + lab.target().ipv4To(LabRole.CLIENT).getHostAddress() + "/";
        RecordedSession get = CurlRecording.record(lab, "-H", "Connection: close", url);
        RecordedSession threeGets = CurlRecording.record(lab, url, url, url);
        report.add(String.format(Locale.ROOT, "%d cores, %s; %d connections, %d s per phase; session: %s",
            Runtime.getRuntime().availableProcessors(), System.getProperty("os.version"), CONNECTIONS, SECONDS,
            get));
        double wrk;
        try (LabAgent agent = LabAgent.start(lab, "--stats-interval", "0")) {
            // every phase its own fake clients: nginx closes first, so it holds TIME_WAIT for each used endpoint
            closedLoop(lab, agent, get, "198.18.0.0/19", 2); // warm-up, not reported
            wrk = wrk(lab, report, true);
            double engine = closedLoop(lab, agent, get, "198.18.64.0/18", SECONDS);
            report.add(String.format(Locale.ROOT, "engine (one GET per connection): %.0f sessions/s = requests/s; "
                + "ratio engine/wrk %.2f", engine, engine / wrk));
            double wrkKeepAlive = wrk(lab, report, false);
            double engineKeepAlive = closedLoop(lab, agent, threeGets, "198.18.32.0/19", SECONDS);
            report.add(String.format(Locale.ROOT, "engine (3 GETs per keep-alive connection, then the client "
                + "closes): %.0f requests/s, %.0f sessions/s; ratio engine/wrk (requests/s) %.2f", engineKeepAlive,
                engineKeepAlive / 3, engineKeepAlive / wrkKeepAlive));
            overload(lab, agent, get, "198.18.128.0/18", 2 * wrk, report);
            report.add("rate-limited target: tbf " + LIMITED_RATE + " on both of the target's links");
            for (LabRole peer : List.of(LabRole.CLIENT, LabRole.ASSISTANT)) {
                lab.target().exec(Duration.ofSeconds(20), "tc", "qdisc", "replace", "dev",
                    lab.target().interfaceTo(peer), "root", "tbf", "rate", LIMITED_RATE, "burst", "16kb", "latency",
                    "200ms").orThrow();
            }
            double limited = wrk(lab, report, true);
            overload(lab, agent, get, "198.18.192.0/18", 2 * limited, report);
        }
        report.add(idleMemory(get));
        Path out = Path.of(System.getProperty("bench.out", "target/bench-engine.txt"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, report, StandardCharsets.UTF_8);
        report.forEach(System.out::println);
        assertThat(wrk).as("wrk completed requests").isPositive();
    }

    static double wrk(Lab lab, List<String> report, boolean close) {
        String url = "http://" + lab.target().ipv4To(LabRole.CLIENT).getHostAddress() + "/";
        List<String> command = new ArrayList<>(List.of("wrk", "-t", "2", "-c", Integer.toString(CONNECTIONS), "-d",
            SECONDS + "s"));
        if (close) {
            command.addAll(List.of("-H", "Connection: close"));
        }
        command.add(url);
        ExecResult result = lab.client().exec(Duration.ofSeconds(SECONDS + 30L), command.toArray(new String[0]))
            .orThrow();
        Matcher rate = WRK_RATE.matcher(result.stdout());
        Matcher count = WRK_COUNT.matcher(result.stdout());
        assertThat(rate.find() && count.find()).as(result.stdout()).isTrue();
        Matcher errors = WRK_ERRORS.matcher(result.stdout());
        List<String> problems = new ArrayList<>();
        while (errors.find()) {
            problems.add(errors.group().strip());
        }
        double perSecond = Double.parseDouble(rate.group(1));
        report.add(String.format(Locale.ROOT, "wrk -t2 -c%d -d%ds%s (reference): %s requests, %.0f requests/s%s%s",
            CONNECTIONS, SECONDS, close ? " -H 'Connection: close'" : " (keep-alive)", count.group(1), perSecond,
            close ? " = connections/s" : "",
            problems.isEmpty() ? "" : "; " + String.join("; ", problems)));
        return perSecond;
    }

    /**
     * CONNECTIONS users, each starting the session again when it ends, for the duration; OK exchanges (requests)
     * per second.
     */
    private static double closedLoop(Lab lab, LabAgent agent, RecordedSession session, String pool, int seconds)
            throws Exception {
        EngineConfig config = EngineLab.config(lab, pool, 80).speedFactor(0).connect(Duration.ofSeconds(5), 4)
            .response(Duration.ofSeconds(10), Duration.ofMillis(200)).inboundQueueCapacity(1 << 18)
            .expectedSessions(1 << 16).build();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong open = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        try (EngineLab engineLab = EngineLab.start(lab, agent, config, 0)) {
            ReplayEngine engine = engineLab.engine();
            ExchangeListener users = new ExchangeListener() {
                @Override
                public void onResult(ExchangeResult result) {
                    if (System.nanoTime() < end) {
                        (result.ok() ? ok : failed).incrementAndGet();
                    }
                }

                @Override
                public void onSessionEnd(long sessionId, String reason) {
                    if (System.nanoTime() < end) {
                        engine.startSession(session, this);
                    } else {
                        open.decrementAndGet();
                    }
                }
            };
            long start = System.nanoTime();
            for (int user = 0; user < CONNECTIONS; user++) {
                open.incrementAndGet();
                engine.startSession(session, users);
            }
            Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
            long elapsed = System.nanoTime() - start;
            long drainEnd = System.nanoTime() + DRAIN_LIMIT.toNanos();
            while (open.get() > 0 && System.nanoTime() < drainEnd) {
                Thread.sleep(50);
            }
            if (failed.get() > 0) {
                System.out.println("closed loop: " + failed.get() + " failed exchanges; " + engine.stats());
            }
            return ok.get() * 1e9 / elapsed;
        }
    }

    /** Sessions started at {@code rate} per second for the phase's duration; how many completed, how fast. */
    private static void overload(Lab lab, LabAgent agent, RecordedSession session, String pool, double rate,
            List<String> report) throws Exception {
        int total = (int) Math.min(400_000, rate * SECONDS / 2);
        EngineConfig config = EngineLab.config(lab, pool, 80).speedFactor(0)
            .connect(Duration.ofSeconds(10), 6).response(Duration.ofSeconds(30), Duration.ofMillis(200))
            .pacing(rate, 10_000).inboundQueueCapacity(1 << 18).expectedSessions(1 << 18).build();
        try (EngineLab engineLab = EngineLab.start(lab, agent, config, 0)) {
            long start = System.nanoTime();
            List<RecordedSession> one = List.of(session);
            EngineLab.Run run = engineLab.start(one, total).await(DRAIN_LIMIT);
            long elapsed = System.nanoTime() - start;
            long completed = run.completedSessions();
            report.add(String.format(Locale.ROOT, "overload: %d sessions offered at %.0f/s (2 x wrk's rate): %d "
                + "completed OK (%.2f%%) in %.1f s (%.0f/s); outcomes %s; all ended: %s; retransmissions %d, "
                + "inbound drops %d", total, rate, completed, 100.0 * completed / total, elapsed / 1e9,
                completed * 1e9 / elapsed, run.outcomes(), run.finished(), run.stats().retransmissions(),
                run.stats().inboundDrops()));
        }
    }

    /** Heap per open idle comet session, against an in-process stateless responder (no network). */
    private static String idleMemory(RecordedSession session) throws Exception {
        int responseBytes = session.exchange(0).responseLength();
        long before = usedHeapAfterGc();
        AtomicLong established = new AtomicLong();
        EngineConfig config = EngineConfig.builder(io.pcapreplay.tcp.ClientAddressPool.parse("198.18.0.0/16",
                List.of(), io.pcapreplay.tcp.AddressAllocation.IP_FIRST, 1))
            .target(java.net.InetAddress.getByName("198.19.1.2"), 80).speedFactor(0).comet(true)
            .connect(Duration.ofSeconds(30), 6).response(Duration.ofSeconds(60), Duration.ofMillis(200))
            .inboundQueueCapacity(1 << 16).expectedSessions(IDLE_SESSIONS).build();
        StatelessResponder responder = new StatelessResponder(responseBytes);
        long start = System.nanoTime();
        try (ReplayEngine engine = ReplayEngine.start(config, responder)) {
            responder.engine = engine;
            ExchangeListener listener = result -> {
                if (result.ok()) {
                    established.incrementAndGet();
                }
            };
            for (int index = 0; index < IDLE_SESSIONS; index++) {
                engine.startSession(session, listener);
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (established.get() < IDLE_SESSIONS && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            long held = engine.stats().openSessions();
            long after = usedHeapAfterGc();
            return String.format(Locale.ROOT, "idle comet sessions: %d of %d open (exchange done, held) after %.1f s; "
                + "heap %.1f MiB -> %.1f MiB: %.0f bytes per open session (tables sized for %d, inbound queue "
                + "included); max heap %.1f GiB", held, IDLE_SESSIONS, (System.nanoTime() - start) / 1e9,
                before / 1048576.0, after / 1048576.0, (after - before) / (double) Math.max(1, held),
                IDLE_SESSIONS, Runtime.getRuntime().maxMemory() / 1073741824.0);
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int round = 0; round < 4; round++) {
            System.gc();
            Thread.sleep(100);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /**
     * Answers the engine's packets at once, from its own loop thread: a SYN with a SYN-ACK (no options, ISN 1000),
     * a request segment with an ACK carrying the whole recorded response; everything else is ignored.
     */
    private static final class StatelessResponder implements PacketSender {
        private static final int SERVER_ISN = 1_000;
        private final IpTcpView view = new IpTcpView();
        private final byte[] out = new byte[2_048];
        private final byte[] response;
        private volatile ReplayEngine engine;

        StatelessResponder(int responseBytes) {
            this.response = new byte[responseBytes];
        }

        @Override
        public void send(byte[] packet, int offset, int length) {
            view.wrap(packet, offset, length);
            int flags = view.flags();
            IpTcpEncoder encoder = new IpTcpEncoder().ipv4(view.destinationV4(), view.sourceV4())
                .ports(view.destinationPort(), view.sourcePort()).window(65_535);
            int size;
            if ((flags & TcpHeader.SYN) != 0) {
                size = encoder.sequence(SERVER_ISN).acknowledgment(view.sequence() + 1)
                    .flags(TcpHeader.SYN | TcpHeader.ACK).encode(out, 0);
            } else if (view.payloadLength() > 0) {
                size = encoder.sequence(SERVER_ISN + 1).acknowledgment(view.sequence() + view.payloadLength())
                    .flags(TcpHeader.ACK | TcpHeader.PSH).encode(out, 0, response, 0, response.length);
            } else {
                return;
            }
            engine.deliver(out, 0, size);
        }
    }
}
