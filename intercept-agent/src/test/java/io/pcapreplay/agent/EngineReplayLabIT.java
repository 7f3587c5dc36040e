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
import io.pcapreplay.tcp.ExchangeResult;
import io.pcapreplay.tcp.Outcome;
import io.pcapreplay.tcp.PacketSender;
import io.pcapreplay.tcp.ReplayEngine;
import io.pcapreplay.tcp.SessionHandle;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    private static final String LOGIN_ANSWER = "welcome\n";

    @Test
    void shouldReplayTheKeepAliveCaptureAgainstNginxWhenTheAgentFeedsTheResponses(Lab lab) throws Exception {
        Path nginxDirectory = startRecordedNginx(lab);
        Path capture = Path.of(System.getProperty("project.root"), "examples", "pcaps", "http-keepalive.pcap");
        List<RecordedSession> sessions = new CaptureReader().read(capture, CaptureOptions.defaults())
            .requireSessions(CaptureOptions.defaults());
        assertThat(sessions).hasSize(2);
        ClientAddressPool pool = ClientAddressPool.parse("198.18.7.1-198.18.7.254", List.of(),
            AddressAllocation.IP_FIRST, 1);
        Inet4Address target = (Inet4Address) lab.target().ipv4To(LabRole.CLIENT);
        EngineConfig config = EngineConfig.builder(pool).target(target, 80)
            .response(WAIT, Duration.ofMillis(300)).connect(Duration.ofSeconds(10), 3).responseCaptureBytes(4_096)
            .build();

        List<ExchangeResult> results = new ArrayList<>();
        try (LabAgent agent = LabAgent.start(lab);
             RawIpSocket socket = lab.client().call(RawIpSocket::openIpv4);
             ReplayEngine engine = ReplayEngine.start(config, sender(socket));
             AgentClient client = lab.client().call(() -> AgentClient.connect(
                 AgentClientConfig.of(agent.address(), LabAgent.TOKEN, "engine-lab"), feed(engine)))) {
            client.register(pool.cidrs().stream().map(AddressRange::parse).toList());
            List<SessionHandle> handles = new ArrayList<>();
            for (RecordedSession session : sessions) {
                handles.add(engine.startSession(session));
            }
            for (int index = 0; index < handles.size(); index++) {
                for (int exchange = 0; exchange < sessions.get(index).exchangeCount(); exchange++) {
                    ExchangeResult result = handles.get(index).awaitNext(WAIT);
                    assertThat(result).as("session %d exchange %d", index, exchange).isNotNull();
                    results.add(result);
                }
            }
            for (SessionHandle handle : handles) {
                assertThat(handle.awaitNext(WAIT)).isNull(); // returns when the session is over
                assertThat(handle.endReason()).as("session %d", handle.id()).isEqualTo("closed");
            }
            assertThat(engine.stats().sendErrors()).isZero();
            assertThat(engine.stats().openSessions()).isZero();
        }

        assertThat(results).hasSize(4).allSatisfy(result -> assertThat(result.outcome())
            .as(result.toString()).isEqualTo(Outcome.OK));
        assertThat(new String(results.get(0).response(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200 OK");
        assertThat(new String(results.get(2).response(), StandardCharsets.ISO_8859_1)).endsWith(LOGIN_ANSWER);
        assertThat(results.get(1).bytesReceived()).isGreaterThan(3_000);
        List<String> log = Files.readAllLines(nginxDirectory.resolve("access.log"));
        assertThat(log).filteredOn(line -> line.startsWith("198.18.7.")).extracting(line -> line.split(" ", 2)[1])
            .containsExactlyInAnyOrder("\"GET / HTTP/1.1\" 200", "\"GET /page.txt HTTP/1.1\" 200",
                "\"POST /login HTTP/1.1\" 200", "\"GET /page.txt HTTP/1.1\" 200");
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
            "  server { listen 80; root " + www + "; location = /login { return 200 \"welcome\\n\"; } }",
            "}", "");
        Files.writeString(directory.resolve("nginx.conf"), conf);
        LabProcess nginx = lab.target().start("nginx", "-p", directory.toString(), "-c",
            directory.resolve("nginx.conf").toString(), "-e", directory.resolve("error.log").toString());
        nginx.awaitPort(80, WAIT);
        return directory;
    }

    private static PacketSender sender(RawIpSocket socket) {
        return (packet, offset, length) -> {
            try {
                socket.send(packet, offset, length);
            } catch (RawSocketException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static AgentListener feed(ReplayEngine engine) {
        return new AgentListener() {
            @Override
            public void onPackets(List<CapturedPacket> packets) {
                for (CapturedPacket packet : packets) {
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
