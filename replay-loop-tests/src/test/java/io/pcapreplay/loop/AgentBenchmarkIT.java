package io.pcapreplay.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabProcess;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.net.AgentClient;
import io.pcapreplay.net.AgentClientConfig;
import io.pcapreplay.net.AgentListener;
import io.pcapreplay.net.RawIpSocket;
import io.pcapreplay.net.RawSocketException;
import io.pcapreplay.packet.IpAddresses;
import io.pcapreplay.packet.IpTcpEncoder;
import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.protocol.AddressRange;
import io.pcapreplay.protocol.CapturedPacket;
import java.io.IOException;
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
 * Relay benchmark (run by scripts/bench-agent.sh, never by a plain build): a flood of TCP segments from the target
 * to fake clients, sent from the target namespace through a raw socket, captured on the assistant. Phases on the
 * same flood: tcpdump alone (the reference), the agent relaying headers only, the agent relaying whole packets.
 * Bounded: {@code bench.packets} packets per phase (default 200000), each phase at most 60 s.
 */
@LabTest
@EnabledIfSystemProperty(named = "bench", matches = "true")
class AgentBenchmarkIT {

    private static final int PACKETS = Integer.getInteger("bench.packets", 200_000);
    private static final int PAYLOAD = Integer.getInteger("bench.payload", 512);
    private static final int DESTINATIONS = 256;
    private static final Duration PHASE_LIMIT = Duration.ofSeconds(60);
    private static final Pattern CAPTURED = Pattern.compile("(\\d+) packets? captured");

    @Test
    void shouldMeasureRelayRateAgainstTcpdumpWhenFloodIsSent(Lab lab) throws Exception {
        List<byte[]> flood = flood(lab);
        String iface = lab.assistant().interfaceTo(LabRole.TARGET);
        List<String> report = new ArrayList<>();
        report.add(String.format(Locale.ROOT, "flood: %d packets, %d-byte TCP payload (%d-byte IP packets), %d "
                + "fake destinations, sent from the target namespace by one raw socket; agent warmed up with "
                + PACKETS / 5 + " packets first", PACKETS, PAYLOAD,
                flood.get(0).length, DESTINATIONS));

        LabProcess tcpdump = lab.assistant().start("tcpdump", "-i", iface, "-n", "-s", "0", "--immediate-mode",
                "-B", "32768", "-w", "/dev/null", "tcp and dst net " + lab.fakeClientRange());
        tcpdump.awaitOutput("listening on", Duration.ofSeconds(20));
        Phase sent = send(lab, flood, PACKETS);
        tcpdump.stop();
        long captured = parseCaptured(tcpdump.output());
        Phase reference = new Phase(captured, captured * flood.get(0).length, sent.nanos, sent.packets);
        report.add(line("tcpdump -w /dev/null (reference)", reference, reference));

        try (LabAgent agent = LabAgent.start(lab, "--stats-interval", "0")) {
            relay(lab, agent, flood, -1, PACKETS / 5);
            report.add(line("agent, headers only (cap 0)", relay(lab, agent, flood, 0, PACKETS), reference));
            report.add(line("agent, whole packets (cap -1)", relay(lab, agent, flood, -1, PACKETS), reference));
            agent.stop();
            agent.output().lines().filter(text -> text.contains("final stats") || text.contains("disconnected"))
                    .forEach(text -> report.add("agent log: " + text.replaceFirst("^\\S+ ", "")));
        }
        report.add(0, "offered: " + line("raw-socket sender", sent, sent));
        Path out = Path.of(System.getProperty("bench.out", "target/bench-agent.txt"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, report, StandardCharsets.UTF_8);
        report.forEach(System.out::println);
        assertThat(captured).as("tcpdump saw the flood").isPositive();
    }

    /** One relay phase; the first one (not reported) warms up the JIT of agent and client. */
    private static Phase relay(Lab lab, LabAgent agent, List<byte[]> flood, int payloadCap, int count)
            throws Exception {
        AtomicLong packets = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong lastNanos = new AtomicLong();
        AgentListener listener = batch -> {
            long size = 0;
            for (CapturedPacket packet : batch) {
                size += packet.data().length;
            }
            bytes.addAndGet(size);
            packets.addAndGet(batch.size());
            lastNanos.set(System.nanoTime());
        };
        AgentClientConfig config = AgentClientConfig.of(agent.address(), LabAgent.TOKEN, "bench")
                .withPayloadCap(payloadCap);
        try (AgentClient client = lab.client().call(() -> AgentClient.connect(config, listener))) {
            client.register(List.of(AddressRange.parse("198.18.200.0/24")));
            long start = System.nanoTime();
            Phase sent = send(lab, flood, count);
            long quietSince = System.nanoTime();
            long seen = -1;
            while (System.nanoTime() - quietSince < 1_000_000_000L && System.nanoTime() - start
                    < PHASE_LIMIT.toNanos()) {
                Thread.sleep(100);
                if (packets.get() != seen) {
                    seen = packets.get();
                    quietSince = System.nanoTime();
                }
            }
            return new Phase(packets.get(), bytes.get(), Math.max(1, lastNanos.get() - start), sent.packets);
        }
    }

    private static Phase send(Lab lab, List<byte[]> flood, int count) throws RawSocketException {
        try (RawIpSocket socket = lab.target().call(RawIpSocket::openIpv4)) {
            socket.sendBufferSize(8 << 20);
            long deadline = System.nanoTime() + PHASE_LIMIT.toNanos();
            long start = System.nanoTime();
            long sent = 0;
            long bytes = 0;
            for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
                byte[] packet = flood.get(i % flood.size());
                try {
                    socket.send(packet, 0, packet.length);
                    sent++;
                    bytes += packet.length;
                } catch (RawSocketException e) {
                    Thread.onSpinWait();
                }
            }
            return new Phase(sent, bytes, System.nanoTime() - start, sent);
        }
    }

    private static List<byte[]> flood(Lab lab) {
        int source = IpAddresses.readInt(lab.target().ipv4To(LabRole.CLIENT).getAddress(), 0);
        byte[] payload = new byte[PAYLOAD];
        List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < DESTINATIONS; i++) {
            int destination = (198 << 24) | (18 << 16) | (200 << 8) | i;
            byte[] buffer = new byte[60 + PAYLOAD];
            int length = new IpTcpEncoder().ipv4(source, destination).ports(80, 40_000 + i).sequence(i)
                    .acknowledgment(1).flags(TcpHeader.ACK | TcpHeader.PSH).window(65_535)
                    .encode(buffer, 0, payload, 0, PAYLOAD);
            packets.add(java.util.Arrays.copyOf(buffer, length));
        }
        return packets;
    }

    private static long parseCaptured(String output) throws IOException {
        Matcher matcher = CAPTURED.matcher(output);
        if (!matcher.find()) {
            throw new IOException("tcpdump output: no 'N packets captured' line (expected: tcpdump's summary): "
                    + output);
        }
        return Long.parseLong(matcher.group(1));
    }

    private static String line(String what, Phase phase, Phase reference) {
        return String.format(Locale.ROOT, "%-32s %7d of %7d pkts (%5.1f%%) %7.0f pkt/s %5.1f MB/s  ratio: count %.2f"
                + " rate %.2f", what, phase.packets, phase.sent, 100.0 * phase.packets / Math.max(1, phase.sent),
                phase.packetsPerSecond(), phase.megabytesPerSecond(), (double) phase.packets / reference.packets,
                phase.packetsPerSecond() / reference.packetsPerSecond());
    }

    /** Packets and IP bytes over a duration. */
    private record Phase(long packets, long bytes, long nanos, long sent) {

        double packetsPerSecond() {
            return packets * 1e9 / nanos;
        }

        double megabytesPerSecond() {
            return bytes * 1e9 / nanos / 1e6;
        }
    }
}
