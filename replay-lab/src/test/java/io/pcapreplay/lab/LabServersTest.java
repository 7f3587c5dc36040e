package io.pcapreplay.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.target.EmbeddedTarget;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@LabTest
class LabServersTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static NginxServer nginx;
    private static RedisServer redis;
    private static EmbeddedTarget embedded;

    @BeforeAll
    static void startServers(Lab lab) {
        nginx = lab.target().startNginx(8080);
        redis = lab.target().startRedis(6379);
        embedded = lab.target().startEmbeddedTarget(8081, 7007);
    }

    @AfterAll
    static void forget() {
        nginx = null;
        redis = null;
        embedded = null;
    }

    @Test
    void shouldServeStaticFilesWhenClientCurlsNginx(Lab lab) {
        String base = "http://" + lab.target().ipv4To(LabRole.CLIENT).getHostAddress() + ":8080";
        for (var file : NginxServer.STATIC_FILES.entrySet()) {
            String result = curl(lab, "-o", "/dev/null", "-w", "%{http_code} %{size_download}", base + file.getKey());
            assertThat(result).isEqualTo("200 " + file.getValue());
        }
    }

    @Test
    void shouldAnswerPostAndLogItWhenClientPostsToNginx(Lab lab) {
        String url = "http://[" + lab.target().ipv6To(LabRole.CLIENT).getHostAddress() + "]:8080"
                + NginxServer.POST_PATH;

        String body = curl(lab, "--data-binary", "0123456789", url);

        assertThat(body).isEqualTo("ok\n");
        AccessLogEntry last = nginx.awaitAccessLog(entry -> entry.request().startsWith("POST"), TIMEOUT);
        assertThat(last.remoteAddress()).isEqualTo("2001:2:0:1::1");
        assertThat(last.request()).isEqualTo("POST /post HTTP/1.1");
        assertThat(last.status()).isEqualTo(200);
        assertThat(last.bodyBytes()).isEqualTo(3);
        assertThat(last.requestLength()).isGreaterThan(10);
        assertThat(last.remotePort()).isPositive();
    }

    @Test
    void shouldLeaveNoListenerWhenNginxKilledMidRun(Lab lab) {
        // killing a worker before the master let the master start a replacement now and then (4 in 40 tries here):
        // an orphan that holds every reuseport listener and accepts connections it never serves
        for (int round = 0; round < 20; round++) {
            int port = 9_100 + round;
            NginxServer killed = lab.target().startNginx(port);

            killed.process().kill();

            assertThat(killed.process().isAlive()).isFalse();
            assertThat(lab.target().exec(TIMEOUT, "ss", "-Hltn", "sport = :" + port).orThrow().stdout())
                    .as("listeners on port %d after the kill", port).isBlank();
        }
    }

    @Test
    void shouldRunMasterAndWorkersWhenNginxStarted() {
        assertThat(nginx.process().process().toHandle().children().count()).isEqualTo(NginxServer.WORKERS);
    }

    @Test
    void shouldAnswerPingWhenClientAsksRedis(Lab lab) {
        String reply = lab.client().exec(TIMEOUT, "redis-cli", "-h", lab.target().ipv4To(LabRole.CLIENT)
                .getHostAddress(), "-p", "6379", "PING").orThrow().stdout();

        assertThat(reply.strip()).isEqualTo("PONG");
        assertThat(redis.addresses()).contains(lab.target().ipv6To(LabRole.ASSISTANT));
    }

    @Test
    void shouldServeBytesAndEchoWhenClientCurlsEmbeddedTarget(Lab lab) {
        String base = "http://" + lab.target().ipv4To(LabRole.CLIENT).getHostAddress() + ":8081";
        long before = embedded.stats().requests();

        String size = curl(lab, "-o", "/dev/null", "-w", "%{http_code} %{size_download}", base + "/bytes/100000");
        String echoed = curl(lab, "--data-binary", "ping-pong", base + "/echo");
        String status = curl(lab, "-o", "/dev/null", "-w", "%{http_code}", base + "/status/503");

        assertThat(size).isEqualTo("200 100000");
        assertThat(echoed).isEqualTo("ping-pong");
        assertThat(status).isEqualTo("503");
        assertThat(embedded.stats().requests() - before).isEqualTo(3);
    }

    @Test
    void shouldServeWhenEmbeddedTargetRunsAsProcess(Lab lab) {
        LabProcess process = lab.target().startJava(EmbeddedTarget.class.getName(), "--http-port", "8090",
                "--echo-port", "7008", "--bind", lab.target().ipv4To(LabRole.CLIENT).getHostAddress())
                .awaitPort(8090, TIMEOUT).awaitOutput("http port 8090, echo port 7008", TIMEOUT);

        String body = curl(lab, "http://" + lab.target().ipv4To(LabRole.CLIENT).getHostAddress() + ":8090/");
        process.stop();

        assertThat(body).isEqualTo("pcap-replay embedded target\n");
        assertThat(process.isAlive()).isFalse();
    }

    private static String curl(Lab lab, String... arguments) {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
        command.addAll(List.of(arguments));
        return lab.client().exec(TIMEOUT, command.toArray(new String[0])).orThrow().stdout();
    }
}
