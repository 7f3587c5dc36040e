package io.pcapreplay.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.http.HttpResponseFraming;
import io.pcapreplay.http.HttpSessionRewriter;
import io.pcapreplay.http.RewriteRules;
import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.lab.demo.HttpNginx;
import io.pcapreplay.pcap.CloseKind;
import io.pcapreplay.pcap.Endpoint;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.pcap.SessionClose;
import io.pcapreplay.pcap.Side;
import io.pcapreplay.tcp.EngineConfig;
import io.pcapreplay.tcp.ExchangeResult;
import io.pcapreplay.tcp.Outcome;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP rewriting end to end: a keep-alive session recorded against "prod" (Host prod.example.com, a /v1 URL, a
 * session cookie, a login POST with a password, a chunked POST, an image request) is rewritten with goreplay rules and
 * replayed by the engine through the raw socket and the real agent against nginx ({@link HttpNginx}), whose access log
 * and /headers echo show what arrived.
 */
@LabTest
class HttpRewriteLabIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Longer than any answer: each exchange ends by the answer's framing (else when the response stays quiet). */
    private static final byte[] LONG_RESPONSE = ("HTTP/1.1 200 OK\r\n\r\n" + "r".repeat(20_000))
        .getBytes(StandardCharsets.ISO_8859_1);
    private static HttpNginx nginx;
    private static LabAgent agent;

    @BeforeAll
    static void start(Lab lab) throws Exception {
        nginx = HttpNginx.start(lab, "http-rewrite-nginx", 80);
        agent = LabAgent.start(lab);
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    @Timeout(60)
    void shouldSendRewrittenHostUrlHeadersAndBodiesWhenRulesAreApplied(Lab lab) throws Exception {
        RecordedSession recorded = RecordedSession.builder(new Endpoint(InetAddress.getByName("10.1.1.1"), 50_000),
                new Endpoint(InetAddress.getByName("10.1.1.2"), 80))
            .close(new SessionClose(CloseKind.FIN, Side.CLIENT, 0))
            .exchange(request("GET /v1/page.txt HTTP/1.1\r\nHost: prod.example.com\r\nCookie: session=s3cr3t\r\n\r\n"),
                LONG_RESPONSE, 0)
            .exchange(request("GET /static/logo.png HTTP/1.1\r\nHost: prod.example.com\r\n\r\n"), LONG_RESPONSE,
                1_000_000)
            .exchange(request("GET /v1/headers HTTP/1.1\r\nHost: prod.example.com\r\nCookie: session=s3cr3t\r\n\r\n"),
                LONG_RESPONSE, 1_000_000)
            .exchange(request("POST /login HTTP/1.1\r\nHost: prod.example.com\r\nContent-Length: 27\r\n\r\n"
                + "user=bob&password=secret123"), LONG_RESPONSE, 1_000_000)
            .exchange(request("POST /login HTTP/1.1\r\nHost: prod.example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "9\r\npassword=\r\n9\r\nsecret123\r\n0\r\n\r\n"), LONG_RESPONSE, 1_000_000)
            .build();
        RewriteRules rules = RewriteRules.parse(String.join("\n",
            "--http-disallow-url \\.png$",
            "--http-rewrite-url ^/v1/(.*):/$1",
            "--http-set-header Host: staging.test",
            "--http-set-header X-Token: tok-42",
            "--http-remove-header Cookie",
            "--http-rewrite-body password=[a-z0-9]*:password=x"));

        RecordedSession rewritten = new HttpSessionRewriter(rules).rewrite(recorded);
        EngineConfig config = EngineLab.config(lab, "198.18.31.1-198.18.31.254", 80)
            .response(WAIT, Duration.ofMillis(300)).connect(Duration.ofSeconds(10), 3).responseCaptureBytes(4_096)
            .build();
        EngineLab.Run run;
        try (EngineLab engineLab = EngineLab.start(lab, agent, config, 0)) {
            engineLab.engine().responseFraming(HttpResponseFraming.INSTANCE);
            run = engineLab.start(List.of(rewritten), 1).await(WAIT.multipliedBy(2));
        }

        assertThat(run.finished()).as(run.toString()).isTrue();
        assertThat(run.results()).as("the image request was dropped").hasSize(4)
            .allSatisfy(result -> assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.OK));
        assertThat(run.results()).as("each answer ends by its own framing, not by the recorded (longer) length "
            + "and the quiet interval").allSatisfy(result -> assertThat(result.message()).isEmpty());
        ExchangeResult headers = run.results().get(1);
        assertThat(new String(headers.response(), StandardCharsets.ISO_8859_1))
            .as("the set header arrives, the removed one does not").endsWith("\r\n\r\ntoken=tok-42 cookie= "
                + "host=staging.test\n");
        assertThat(nginx.accessLog("198.18.31.")).containsExactly(
            "\"GET /page.txt HTTP/1.1\" 200 host=staging.test token=tok-42 cookie=- body=-",
            "\"GET /headers HTTP/1.1\" 200 host=staging.test token=tok-42 cookie=- body=-",
            "\"POST /login HTTP/1.1\" 200 host=staging.test token=tok-42 cookie=- body=user=bob&password=x",
            "\"POST /login HTTP/1.1\" 200 host=staging.test token=tok-42 cookie=- body=password=x");
    }

    private static byte[] request(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
