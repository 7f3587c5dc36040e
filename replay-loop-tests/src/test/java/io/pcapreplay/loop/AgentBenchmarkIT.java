package io.pcapreplay.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabProcess;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.net.AgentClient;
import io.pcapreplay.net.AgentClientConfig;
import io.pcapreplay.protocol.AddressRange;
import io.pcapreplay.protocol.StatsMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Capture benchmark of the agent (run by scripts/bench-agent.sh, never by a plain build). The target listens; SYNs
 * from fake clients make its kernel send SYN-ACKs to the assistant, where they are captured:
 * <ol>
 * <li>reference: tcpdump alone on bursts of {@code bench.burst} SYNs (its count and the kernel drops it reports);
 * <li>per capture variant (the agent jar as a process, one replayer): light load ({@code bench.light} SYNs, one
 * per 2 ms: relay delay from the capture timestamp to the replayer), then {@code bench.rounds} bursts (SYN-ACKs
 * relayed, kernel drops from STATS, ratio to tcpdump's count), the agent's own capture-to-socket delays from its
 * final stats line, and its RSS.
 * </ol>
 * Bounded: at most 60 s per burst wait, about two minutes per variant.
 */
@LabTest
@EnabledIfSystemProperty(named = "bench", matches = "true")
class AgentBenchmarkIT {

    private static final int BURST = Integer.getInteger("bench.burst", 10_000);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int LIGHT = Integer.getInteger("bench.light", 500);
    private static final String VARIANTS = System.getProperty("bench.variants",
            "pcap-jvm-default,pcap,pcap-256,pcap-v3,ring-no-pause,ring");
    private static final int TARGET_PORT = 8099;
    private static final Pattern TCPDUMP_COUNTS = Pattern.compile("(\\d+) packets? captured.*?(\\d+) packets? "
            + "dropped by kernel", Pattern.DOTALL);
    private static final Pattern RELAY_DELAY = Pattern.compile("final stats: .*kernel-drops (\\S+).*relay delay "
            + "([^;]+);");
    private static final Pattern STATS_DELAY = Pattern.compile(" stats: .*relay delay (p50 [^;]*\\((\\d+) pkts\\));");

    @Test
    void shouldMeasureDropsAndDelayOfEachCaptureAgainstTcpdumpWhenSynBurstsArrive(Lab lab) throws Exception {
        List<String> report = new ArrayList<>();
        report.add(String.format(Locale.ROOT, "SYN bursts of %d (fake 4-tuples, raw socket in the client namespace, "
                + "as fast as it sends) to a listening port of the target; its SYN-ACKs are captured on the "
                + "assistant; %d rounds per variant; light load: %d SYNs, one per 2 ms", BURST, ROUNDS, LIGHT));
        // no SYN-ACK retransmissions: they would arrive in bursts during the light-load phase and hide drops
        lab.target().exec(Duration.ofSeconds(10), "sysctl", "-q", "-w", "net.ipv4.tcp_synack_retries=0");
        try (ServerSocket listener = lab.target().call(() -> new ServerSocket(TARGET_PORT, 65_535,
                lab.target().ipv4To(LabRole.CLIENT)))) {
            String iface = lab.assistant().interfaceTo(LabRole.TARGET);
            long tcpdumpCaptured = 0;
            long tcpdumpDropped = 0;
            for (int round = 0; round < ROUNDS; round++) {
                LabProcess tcpdump = lab.assistant().start("tcpdump", "-i", iface, "-n", "-s", "0",
                        "--immediate-mode", "-B", "32768", "-w", "/dev/null", "tcp and src port " + TARGET_PORT
                        + " and dst net 198.18." + (100 + round) + ".0/24");
                tcpdump.awaitOutput("listening on", Duration.ofSeconds(20));
                SynBurst.send(lab, TARGET_PORT, round, BURST, 0);
                Thread.sleep(800);
                tcpdump.stop();
                Matcher counts = TCPDUMP_COUNTS.matcher(tcpdump.output());
                if (!counts.find()) {
                    throw new IOException("tcpdump output: no counts: " + tcpdump.output());
                }
                tcpdumpCaptured += Long.parseLong(counts.group(1));
                tcpdumpDropped += Long.parseLong(counts.group(2));
            }
            report.add(String.format(Locale.ROOT, "%-18s captured %6d of %6d (%5.1f%%) kernel drops %5d",
                    "tcpdump -B 32768", tcpdumpCaptured, (long) BURST * ROUNDS,
                    100.0 * tcpdumpCaptured / BURST / ROUNDS, tcpdumpDropped));
            int roundBase = ROUNDS;
            for (String variant : VARIANTS.split(",")) {
                report.add(measure(lab, variant.trim(), roundBase, tcpdumpCaptured));
                roundBase += ROUNDS + 2;
            }
        }
        Path out = Path.of(System.getProperty("bench.out", "target/bench-agent.txt"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, report, StandardCharsets.UTF_8);
        report.forEach(System.out::println);
        assertThat(report).hasSizeGreaterThan(2);
    }

    private static String measure(Lab lab, String variant, int firstRound, long tcpdumpCaptured)
            throws Exception {
        List<String> jvm = new ArrayList<>(variant.endsWith("jvm-default") ? List.of() : LabAgent.JVM_OPTIONS);
        List<String> args = new ArrayList<>(List.of("--stats-interval", "1"));
        switch (variant.replace("-jvm-default", "")) {
            case "ring" -> args.addAll(List.of("--capture", "ring"));
            case "ring-no-pause" -> args.addAll(List.of("--capture", "ring", "--batch-pause-us", "0"));
            case "pcap" -> args.addAll(List.of("--capture", "pcap"));
            case "pcap-256" -> args.addAll(List.of("--capture", "pcap", "--buffer-mib", "256"));
            case "pcap-v3" -> {
                args.addAll(List.of("--capture", "pcap"));
                jvm.addAll(List.of("-Dpcapreplay.pcap.immediate=false", "-Dpcapreplay.pcap.timeoutMillis=1"));
            }
            default -> throw new IllegalArgumentException("bench.variants: '" + variant + "' (expected: ring, "
                    + "ring-no-pause, pcap, pcap-256, pcap-v3, each optionally with -jvm-default)");
        }
        SynBurst burst = new SynBurst();
        long relayed = 0;
        long rss;
        String agentLine;
        String lightAgentLine;
        long[] light;
        long drops;
        try (LabAgent agent = LabAgent.start(lab, jvm, args.toArray(new String[0]))) {
            AgentClientConfig config = AgentClientConfig.of(agent.address(), LabAgent.TOKEN, "bench");
            try (AgentClient client = lab.client().call(() -> AgentClient.connect(config, burst))) {
                client.register(List.of(AddressRange.parse("198.18.0.0/16")));
                burst.startRound(firstRound, 0);
                SynBurst.send(lab, TARGET_PORT, firstRound, 2000, 0);
                Thread.sleep(2500);
                int logBefore = agent.output().length();
                burst.startRound(firstRound + 1, LIGHT);
                SynBurst.send(lab, TARGET_PORT, firstRound + 1, LIGHT, 2_000_000L);
                Thread.sleep(1500);
                light = burst.delays();
                lightAgentLine = busiestStatsLine(agent.output().substring(logBefore));
                long dropsBefore = freshStats(burst).kernelDrops();
                for (int index = 0; index < ROUNDS; index++) {
                    int round = firstRound + 2 + index;
                    burst.startRound(round, 0);
                    int sent = SynBurst.send(lab, TARGET_PORT, round, BURST, 0);
                    awaitQuiet(burst);
                    relayed += Math.min(sent, burst.relayed());
                }
                drops = freshStats(burst).kernelDrops() - dropsBefore;
                rss = agent.isProcess() ? rss(agent.pid()) : -1;
            }
            agent.stop();
            Matcher matcher = RELAY_DELAY.matcher(agent.output());
            agentLine = matcher.find() ? matcher.group(2) : "no final stats";
        }
        return String.format(Locale.ROOT, "%-18s bursts: relayed %6d of %6d (%5.1f%%, ratio to tcpdump %.2f), kernel "
                + "drops %d (STATS); light load: capture->replayer p50 %d p99 %d us, agent capture->socket %s; "
                + "whole run agent capture->socket %s; RSS %d MiB", variant, relayed, (long) BURST * ROUNDS,
                100.0 * relayed / BURST / ROUNDS, (double) relayed / Math.max(1, tcpdumpCaptured), drops,
                percentile(light, 0.5), percentile(light, 0.99), lightAgentLine, agentLine, rss >> 10);
    }

    /** @return the relay delay of the agent's per-second stats line that counted the most packets */
    private static String busiestStatsLine(String log) {
        Matcher matcher = STATS_DELAY.matcher(log);
        String best = "no stats line";
        long most = -1;
        while (matcher.find()) {
            long packets = Long.parseLong(matcher.group(2));
            if (packets > most) {
                most = packets;
                best = matcher.group(1);
            }
        }
        return best;
    }

    /** @return the first STATS the agent sends from now on (they come every second) */
    private static StatsMessage freshStats(SynBurst burst) throws InterruptedException {
        StatsMessage before = burst.lastStats();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (burst.lastStats() == before && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(1100);
        return burst.lastStats();
    }

    private static void awaitQuiet(SynBurst burst) throws InterruptedException {
        long start = System.nanoTime();
        long quietSince = System.nanoTime();
        long seen = -1;
        while (System.nanoTime() - quietSince < 500_000_000L && System.nanoTime() - start < 60_000_000_000L) {
            Thread.sleep(50);
            if (burst.relayed() != seen) {
                seen = burst.relayed();
                quietSince = System.nanoTime();
            }
        }
    }

    private static long percentile(long[] sorted, double quantile) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) (quantile * sorted.length))];
    }

    private static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
