package io.pcapreplay.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.EngineConfig;
import io.pcapreplay.tcp.ExchangeListener;
import io.pcapreplay.tcp.ExchangeResult;
import io.pcapreplay.tcp.Outcome;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A soak: examples/pcaps/http-keepalive.pcap replayed at a steady rate against nginx through the real agent jar (via
 * the {@link io.pcapreplay.net.AgentLink}, as in JMeter) for {@code -Dsoak.seconds} (CI: {@value #CI_SECONDS} s;
 * docs/benchmarks.md has a 10-minute run). Every {@value #SAMPLE_SECONDS} s it samples this JVM's heap after a full
 * GC (the engine runs here) and the agent's RSS; every {@value #AGENT_HEAP_EVERY}th sample also the agent's heap after
 * a full GC (through {@code jcmd}). After the first quarter (warm-up: JIT, buffers) it fits a line to each heap and
 * asserts both slopes are flat, and that every session completed. The agent's RSS is bounded; its slope is asserted
 * only in runs of at least {@value #RSS_SLOPE_MIN_SECONDS} s: in a short run it still moves in steps (malloc arenas,
 * the packet ring, code cache: measured +9 to +20 MiB/min over 45 s, flat after ~30 s in the 10-minute run). Results
 * are counted, not kept, so the test itself does not grow the heap.
 */
@LabTest
@Timeout(value = 15, unit = TimeUnit.MINUTES) // the run is bounded by soak.seconds (at most 10 minutes, see below)
class SoakLabIT {

    static final int CI_SECONDS = 45;
    static final int SAMPLE_SECONDS = 2;
    private static final int SECONDS = Math.min(600, Integer.getInteger("soak.seconds", CI_SECONDS));
    /** Sessions started per 100 ms (each copy: both recorded sessions, 4 exchanges). */
    private static final int COPIES_PER_TICK = Integer.getInteger("soak.copiesPerTick", 5);
    /**
     * The agent's --buffer-mib: its packet ring is mapped at start but its pages count in RSS only once the ring
     * has wrapped (the default 32 MiB takes ~30 s to wrap at the CI rate: longer than the CI run's warm-up).
     */
    private static final int BUFFER_MIB = Integer.getInteger("soak.bufferMib", 4);
    /**
     * Bounds. Heap after GC (engine and agent): 2 MiB/min is ~350 bytes per session, or ~70 bytes per relayed packet,
     * at the CI rate (measured: engine +0.03 to +0.07 MiB/min). Agent RSS: at most {@value #MAX_AGENT_RSS_MIB} MiB
     * (measured 84-94 MiB with --buffer-mib 4) and, in long runs, a slope under 2 MiB/min (measured +0.14 over 10
     * minutes).
     */
    private static final double MAX_HEAP_MIB_PER_MINUTE = 2.0;
    private static final double MAX_AGENT_RSS_MIB = 160;
    private static final double MAX_AGENT_RSS_MIB_PER_MINUTE = 2.0;
    static final int RSS_SLOPE_MIN_SECONDS = 300;
    static final int AGENT_HEAP_EVERY = 3;
    private static LabAgent agent;
    private static List<RecordedSession> sessions;

    @BeforeAll
    static void start(Lab lab) throws Exception {
        agent = LabAgent.start(lab, "--buffer-mib", Integer.toString(BUFFER_MIB));
        sessions = EngineReplayLabIT.keepAliveSessions();
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void shouldKeepHeapAndAgentMemoryFlatWhenReplayingAtASteadyRate(Lab lab) throws Exception {
        assertThat(agent.isProcess()).as("the real agent jar as a process (-Dagent.jar, as failsafe sets it)")
            .isTrue();
        RecordedNginx.start(lab, "soak-nginx", 80);
        EngineConfig config = EngineLab.config(lab, "198.18.96.0/22", 80).speedFactor(0)
            .connect(Duration.ofSeconds(5), 4).response(Duration.ofSeconds(5), Duration.ofMillis(300)).build();
        Counter counter = new Counter();
        List<double[]> heap = new ArrayList<>();
        List<double[]> agentRss = new ArrayList<>();
        List<double[]> agentHeap = new ArrayList<>();
        long started = 0;
        try (EngineLab engineLab = EngineLab.startLinked(lab, agent, config)) {
            long begin = System.nanoTime();
            long end = begin + Duration.ofSeconds(SECONDS).toNanos();
            long nextSample = begin;
            for (long tick = 0; System.nanoTime() < end && tick < 100L * SECONDS + 100; tick++) {
                for (int copy = 0; copy < COPIES_PER_TICK; copy++) {
                    for (RecordedSession session : sessions) {
                        engineLab.engine().startSession(session, counter);
                        started++;
                    }
                }
                long now = System.nanoTime();
                if (now >= nextSample) {
                    double minutes = (now - begin) / 60e9;
                    heap.add(new double[] {minutes, heapAfterGc()});
                    agentRss.add(new double[] {minutes, rssMib(agent.pid())});
                    if ((agentRss.size() - 1) % AGENT_HEAP_EVERY == 0) {
                        agentHeap.add(new double[] {minutes, AgentHeap.afterGc(agent.pid())});
                    }
                    System.out.printf(Locale.ROOT, "soak sample %.2f min: heap after GC %.1f MiB, agent RSS %.1f MiB%n",
                        minutes, heap.get(heap.size() - 1)[1], agentRss.get(agentRss.size() - 1)[1]);
                    nextSample += Duration.ofSeconds(SAMPLE_SECONDS).toNanos();
                }
                long nextTick = begin + (tick + 1) * 100_000_000L;
                long sleep = nextTick - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
            counter.awaitEnded(started, Duration.ofSeconds(30));
            double heapSlope = slope(heap);
            double rssSlope = slope(agentRss);
            double agentHeapSlope = slope(agentHeap);
            double maxRss = agentRss.stream().mapToDouble(sample -> sample[1]).max().orElse(0);
            String report = String.format(Locale.ROOT, "soak: %d s at %d sessions/s (agent --buffer-mib %d): %d "
                + "sessions started, %d ended, outcomes %s; heap after GC %.1f -> %.1f MiB, slope %+.2f MiB/min; "
                + "agent heap after GC %.1f -> %.1f MiB, slope %+.2f MiB/min; agent RSS %.1f -> %.1f MiB (at most "
                + "%.1f), slope %+.2f MiB/min (slopes fitted after the first quarter, %d samples every %d s); agent "
                + "kernel drops %d; %s", SECONDS,
                COPIES_PER_TICK * sessions.size() * 10, BUFFER_MIB, started, counter.ended.get(), counter.outcomes(),
                heap.get(0)[1], heap.get(heap.size() - 1)[1], heapSlope, agentHeap.get(0)[1],
                agentHeap.get(agentHeap.size() - 1)[1], agentHeapSlope, agentRss.get(0)[1],
                agentRss.get(agentRss.size() - 1)[1], maxRss, rssSlope, heap.size(), SAMPLE_SECONDS,
                engineLab.link().kernelDrops(), engineLab.engine().stats());
            System.out.println(report);
            System.out.println("soak samples (minute: heap after GC MiB / agent RSS MiB): " + series(heap, agentRss));

            assertThat(counter.ended.get()).as(report).isEqualTo(started);
            assertThat(counter.outcomes()).as(report).containsOnlyKeys(Outcome.OK);
            assertThat(heapSlope).as("heap after GC, MiB/min: " + report).isLessThan(MAX_HEAP_MIB_PER_MINUTE);
            assertThat(agentHeapSlope).as("agent heap after GC, MiB/min: " + report)
                .isLessThan(MAX_HEAP_MIB_PER_MINUTE);
            assertThat(maxRss).as("agent RSS, MiB: " + report).isLessThan(MAX_AGENT_RSS_MIB);
            if (SECONDS >= RSS_SLOPE_MIN_SECONDS) {
                assertThat(rssSlope).as("agent RSS, MiB/min: " + report).isLessThan(MAX_AGENT_RSS_MIB_PER_MINUTE);
            }
        }
    }

    /** The least-squares slope of the samples after the first quarter (MiB per minute). */
    static double slope(List<double[]> samples) {
        List<double[]> kept = samples.subList(samples.size() / 4, samples.size());
        double meanX = kept.stream().mapToDouble(sample -> sample[0]).average().orElse(0);
        double meanY = kept.stream().mapToDouble(sample -> sample[1]).average().orElse(0);
        double covariance = 0;
        double variance = 0;
        for (double[] sample : kept) {
            covariance += (sample[0] - meanX) * (sample[1] - meanY);
            variance += (sample[0] - meanX) * (sample[0] - meanX);
        }
        return variance == 0 ? 0 : covariance / variance;
    }

    private static String series(List<double[]> heap, List<double[]> agentRss) {
        StringBuilder line = new StringBuilder();
        for (int index = 0; index < heap.size(); index++) {
            line.append(String.format(Locale.ROOT, "%.2f: %.1f / %.1f; ", heap.get(index)[0], heap.get(index)[1],
                agentRss.get(index)[1]));
        }
        return line.toString();
    }

    private static double heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
    }

    private static double rssMib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IOException("/proc/" + pid + "/status: no VmRSS line (expected: a running process)");
    }

    /** Counts outcomes and ended sessions (keeps nothing per session). */
    private static final class Counter implements ExchangeListener {
        private final Map<Outcome, AtomicLong> outcomes = new EnumMap<>(Outcome.class);
        private final AtomicLong ended = new AtomicLong();

        Counter() {
            for (Outcome outcome : Outcome.values()) {
                outcomes.put(outcome, new AtomicLong());
            }
        }

        @Override
        public void onResult(ExchangeResult result) {
            outcomes.get(result.outcome()).incrementAndGet();
        }

        @Override
        public void onSessionEnd(long sessionId, String reason) {
            ended.incrementAndGet();
        }

        Map<Outcome, Long> outcomes() {
            Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
            outcomes.forEach((outcome, count) -> {
                if (count.get() > 0) {
                    counts.put(outcome, count.get());
                }
            });
            return counts;
        }

        void awaitEnded(long sessions, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (ended.get() < sessions && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
    }
}
