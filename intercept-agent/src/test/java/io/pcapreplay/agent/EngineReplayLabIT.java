package io.pcapreplay.agent;

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
import io.pcapreplay.pcap.CaptureOptions;
import io.pcapreplay.pcap.CaptureReader;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.protocol.AddressRange;
import io.pcapreplay.protocol.CapturedPacket;
import io.pcapreplay.tcp.AddressAllocation;
import io.pcapreplay.tcp.ClientAddressPool;
import io.pcapreplay.tcp.EngineConfig;
import io.pcapreplay.tcp.EngineStats;
import io.pcapreplay.tcp.ExchangeResult;
import io.pcapreplay.tcp.Outcome;
import io.pcapreplay.tcp.PacketSender;
import io.pcapreplay.tcp.ReplayEngine;
import io.pcapreplay.tcp.SessionHandle;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The replay engine end to end in the lab: examples/pcaps/http-keepalive.pcap (3 requests on a keep-alive
 * connection, then one more connection, recorded against nginx on port 80) is replayed from fake clients in
 * 198.18.7.0/24 against nginx in the target namespace. The engine sends through a raw socket opened in the client
 * namespace; the target's answers are captured by the agent (the real jar in the assistant namespace) and fed back
 * through an AgentClient. Lives here because this module's tests see both the agent and the plugin.
 */
@LabTest
class EngineReplayLabIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int LOSS_EVERY = 13;
    private static final String LOGIN_ANSWER = "welcome\n";
    private static final List<String> RECORDED_REQUESTS = List.of("\"GET / HTTP/1.1\" 200",
        "\"GET /page.txt HTTP/1.1\" 200", "\"POST /login HTTP/1.1\" 200", "\"GET /page.txt HTTP/1.1\" 200");
    private static Path nginxDirectory;
    private static LabAgent agent;
    private static List<RecordedSession> sessions;

    @BeforeAll
    static void start(Lab lab) throws Exception {
        nginxDirectory = startRecordedNginx(lab);
        agent = LabAgent.start(lab);
        Path capture = Path.of(System.getProperty("project.root"), "examples", "pcaps", "http-keepalive.pcap");
        sessions = new CaptureReader().read(capture, CaptureOptions.defaults())
            .requireSessions(CaptureOptions.defaults());
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void shouldReplayTheKeepAliveCaptureAgainstNginxWhenTheAgentFeedsTheResponses(Lab lab) throws Exception {
        assertThat(sessions).hasSize(2);
        Replay replay = replay(lab, "198.18.7.1-198.18.7.254", 1, 0);

        assertThat(replay.results()).hasSize(4).allSatisfy(result -> assertThat(result.outcome())
            .as(result.toString()).isEqualTo(Outcome.OK));
        List<ExchangeResult> results = replay.results();
        assertThat(new String(results.get(0).response(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200 OK");
        assertThat(new String(results.get(2).response(), StandardCharsets.ISO_8859_1)).endsWith(LOGIN_ANSWER);
        assertThat(results.get(1).bytesReceived()).isGreaterThan(3_000);
        assertThat(replay.endReasons()).containsOnly("closed");
        assertThat(replay.stats().sendErrors()).isZero();
        assertThat(replay.stats().openSessions()).isZero();
        assertThat(accessLog("198.18.7.")).containsExactlyInAnyOrderElementsOf(RECORDED_REQUESTS);
    }

    @Test
    void shouldCompleteEveryExchangeWhenPacketsAreLostBothWays(Lab lab) throws Exception {
        int copies = 20;
        Replay replay = replay(lab, "198.18.8.1-198.18.8.254", copies, LOSS_EVERY);

        System.out.println("replay with loss: " + replay.stats());
        assertThat(replay.results()).hasSize(4 * copies).allSatisfy(result -> assertThat(result.outcome())
            .as(result.toString()).isEqualTo(Outcome.OK));
        assertThat(replay.stats().retransmissions()).as("every %dth packet of the engine lost", LOSS_EVERY)
            .isPositive();
        List<String> expected = new ArrayList<>();
        for (int copy = 0; copy < copies; copy++) {
            expected.addAll(RECORDED_REQUESTS);
        }
        assertThat(accessLog("198.18.8.")).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void shouldReplayFromIpv6FakeClientsWhenThePoolIsIpv6(Lab lab) throws Exception {
        Replay replay = replay(lab, "2001:2:0:ff00::100/120", 2, 0);

        assertThat(replay.results()).hasSize(8).allSatisfy(result -> assertThat(result.outcome())
            .as(result.toString()).isEqualTo(Outcome.OK));
        assertThat(replay.endReasons()).containsOnly("closed");
        assertThat(accessLog("2001:2:0:ff00::")).hasSize(8).containsAll(RECORDED_REQUESTS);
    }

    /** What a replay gave: every result (session by session), each session's end, the engine's counters. */
    private record Replay(List<ExchangeResult> results, List<String> endReasons, EngineStats stats) {
    }

    /**
     * Replays {@code copies} times every recorded session at once, from the pool; waits for every result. With
     * {@code lossEvery > 0}, every so many packets are lost each way: not sent by the engine, not fed to it.
     */
    private static Replay replay(Lab lab, String poolSpec, int copies, int lossEvery) throws Exception {
        ClientAddressPool pool = ClientAddressPool.parse(poolSpec, List.of(), AddressAllocation.IP_FIRST, 1);
        InetAddress target = pool.ipv6() ? lab.target().ipv6To(LabRole.CLIENT)
            : lab.target().ipv4To(LabRole.CLIENT);
        EngineConfig config = EngineConfig.builder(pool).target(target, 80)
            .response(WAIT, Duration.ofMillis(300)).connect(Duration.ofSeconds(10), 3).responseCaptureBytes(4_096)
            .build();
        List<ExchangeResult> results = new ArrayList<>();
        List<String> ends = new ArrayList<>();
        RawIpSocket.Family family = pool.ipv6() ? RawIpSocket.Family.IPV6 : RawIpSocket.Family.IPV4;
        try (RawIpSocket socket = lab.client().call(() -> RawIpSocket.open(family));
             ReplayEngine engine = ReplayEngine.start(config, sender(socket, lossEvery));
             AgentClient client = lab.client().call(() -> AgentClient.connect(
                 AgentClientConfig.of(agent.address(), LabAgent.TOKEN, "engine-" + poolSpec),
                 feed(engine, lossEvery)))) {
            client.register(pool.cidrs().stream().map(AddressRange::parse).toList());
            List<SessionHandle> handles = new ArrayList<>();
            List<RecordedSession> started = new ArrayList<>();
            for (int copy = 0; copy < copies; copy++) {
                for (RecordedSession session : sessions) {
                    handles.add(engine.startSession(session));
                    started.add(session);
                }
            }
            for (int index = 0; index < handles.size(); index++) {
                for (int exchange = 0; exchange < started.get(index).exchangeCount(); exchange++) {
                    ExchangeResult result = handles.get(index).awaitNext(WAIT);
                    assertThat(result).as("session %d exchange %d", index, exchange).isNotNull();
                    results.add(result);
                }
            }
            for (SessionHandle handle : handles) {
                assertThat(handle.awaitNext(WAIT)).isNull(); // returns when the session is over
                ends.add(handle.endReason());
            }
            return new Replay(results, ends, engine.stats());
        }
    }

    /** The access log's "request" status for the lines from these fake clients. */
    private static List<String> accessLog(String addressPrefix) throws Exception {
        return Files.readAllLines(nginxDirectory.resolve("access.log")).stream()
            .filter(line -> line.startsWith(addressPrefix)).map(line -> line.split(" ", 2)[1]).toList();
    }

    /** nginx as recorded: a 55-byte page, a 3,000-byte page.txt, /login answering "welcome". */
    private static Path startRecordedNginx(Lab lab) throws Exception {
        Path directory = Files.createDirectories(lab.workDir().resolve("engine-nginx"));
        Path www = Files.createDirectories(directory.resolve("www"));
        Files.createDirectories(directory.resolve("temp"));
        Files.write(www.resolve("index.html"), "x".repeat(54).concat("\n").getBytes(StandardCharsets.US_ASCII));
        Files.write(www.resolve("page.txt"), "y".repeat(2_999).concat("\n").getBytes(StandardCharsets.US_ASCII));
        String temp = directory.resolve("temp").toString();
        String conf = String.join("\n",
            "daemon off;",
            "pid " + directory.resolve("nginx.pid") + ";",
            "events { worker_connections 256; }",
            "http {",
            "  log_format replay '$remote_addr:$remote_port \"$request\" $status';",
            "  access_log " + directory.resolve("access.log") + " replay;",
            "  client_body_temp_path " + temp + "; proxy_temp_path " + temp + "; fastcgi_temp_path " + temp + ";",
            "  uwsgi_temp_path " + temp + "; scgi_temp_path " + temp + ";",
            "  server { listen 80; listen [::]:80; root " + www + ";",
            "    location = /login { return 200 \"welcome\\n\"; } }",
            "}", "");
        Files.writeString(directory.resolve("nginx.conf"), conf);
        LabProcess nginx = lab.target().start("nginx", "-p", directory.toString(), "-c",
            directory.resolve("nginx.conf").toString(), "-e", directory.resolve("error.log").toString());
        nginx.awaitPort(80, WAIT);
        return directory;
    }

    private static PacketSender sender(RawIpSocket socket, int lossEvery) {
        AtomicInteger count = new AtomicInteger();
        return (packet, offset, length) -> {
            if (lossEvery > 0 && count.incrementAndGet() % lossEvery == 0) {
                return;
            }
            try {
                socket.send(packet, offset, length);
            } catch (RawSocketException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static AgentListener feed(ReplayEngine engine, int lossEvery) {
        AtomicInteger count = new AtomicInteger();
        return new AgentListener() {
            @Override
            public void onPackets(List<CapturedPacket> packets) {
                for (CapturedPacket packet : packets) {
                    if (lossEvery > 0 && count.incrementAndGet() % lossEvery == 0) {
                        continue;
                    }
                    engine.deliver(packet.data(), 0, packet.data().length, packet.timestampNanos());
                }
            }

            @Override
            public void onClosed(String reason) {
                engine.agentLost(reason);
            }
        };
    }
}
