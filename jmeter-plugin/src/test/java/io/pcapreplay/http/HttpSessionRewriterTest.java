package io.pcapreplay.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pcapreplay.pcap.Endpoint;
import io.pcapreplay.pcap.RecordedSession;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpSessionRewriterTest {

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    @Test
    void shouldRewriteHostUrlAndHeadersOfEveryKeepAliveRequestWhenRulesSayso() {
        RecordedSession session = session(
            "GET /v1/user/12?x=1 HTTP/1.1\r\nHost: prod.example.com\r\nCookie: a=b\r\n\r\n", OK, 0,
            "GET /v1/page HTTP/1.1\r\nHost: prod.example.com\r\n\r\n", OK, 5_000_000);
        RewriteRules rules = RewriteRules.parse("""
            --http-rewrite-url /v1/(.*):/v2/$1
            --http-set-header Host: staging.test
            --http-set-header X-Token: abc
            --http-remove-header Cookie
            """);

        RecordedSession rewritten = new HttpSessionRewriter(rules).rewrite(session);

        assertThat(text(rewritten.exchange(0).request())).isEqualTo(
            "GET /v2/user/12?x=1 HTTP/1.1\r\nHost: staging.test\r\nX-Token: abc\r\n\r\n");
        assertThat(text(rewritten.exchange(1).request())).isEqualTo(
            "GET /v2/page HTTP/1.1\r\nHost: staging.test\r\nX-Token: abc\r\n\r\n");
        assertThat(text(rewritten.exchange(1).response())).isEqualTo(OK);
        assertThat(rewritten.exchange(1).thinkTimeNanos()).isEqualTo(5_000_000);
    }

    @Test
    void shouldFixContentLengthWhenAPostBodyIsRewritten() {
        RecordedSession session = session(
            "POST /login HTTP/1.1\r\nHost: a\r\nContent-Length: 27\r\n\r\nuser=bob&password=secret123", OK, 0);
        RewriteRules rules = RewriteRules.parse("--http-rewrite-body password=[^&]*:password=x");

        String request = text(new HttpSessionRewriter(rules).rewrite(session).exchange(0).request());

        assertThat(request).isEqualTo("POST /login HTTP/1.1\r\nHost: a\r\nContent-Length: 19\r\n\r\n"
            + "user=bob&password=x");
    }

    @Test
    void shouldReChunkWhenAChunkedBodyIsRewritten() {
        RecordedSession session = session("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "4\r\nabcd\r\n3\r\nefg\r\n0\r\n\r\nGET /b HTTP/1.1\r\n\r\n", OK + OK, 0);
        RewriteRules rules = RewriteRules.parse("--http-rewrite-body cde:CDE");

        String request = text(new HttpSessionRewriter(rules).rewrite(session).exchange(0).request());

        assertThat(request).isEqualTo("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "7\r\nabCDEfg\r\n0\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
    }

    @Test
    void shouldDropExcludedExchangeAndKeepTheRestOfTheSessionWhenAUrlIsDisallowed() {
        RecordedSession session = session(
            "GET /a HTTP/1.1\r\n\r\n", OK, 1_000_000,
            "GET /static/x.png HTTP/1.1\r\n\r\n", OK, 2_000_000,
            "GET /c HTTP/1.1\r\n\r\n", OK, 3_000_000);

        RecordedSession rewritten = new HttpSessionRewriter(RewriteRules.parse("--http-disallow-url \\.png$"))
            .rewrite(session);

        assertThat(rewritten.exchangeCount()).isEqualTo(2);
        assertThat(text(rewritten.exchange(1).request())).isEqualTo("GET /c HTTP/1.1\r\n\r\n");
        assertThat(rewritten.exchange(1).thinkTimeNanos()).as("the dropped exchange's time goes to the next")
            .isEqualTo(2_000_000 + 3_000_000);
    }

    @Test
    void shouldCutTheResponseOfAnExcludedPipelinedRequestWhenResponsesFrame() {
        String other = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nother";
        RecordedSession session = session("GET /a HTTP/1.1\r\n\r\nDELETE /b HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n\r\n",
            OK + other + OK, 0);

        RecordedSession rewritten = new HttpSessionRewriter(RewriteRules.parse("--http-allow-method GET"))
            .rewrite(session);

        assertThat(text(rewritten.exchange(0).request())).isEqualTo("GET /a HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n\r\n");
        assertThat(text(rewritten.exchange(0).response())).isEqualTo(OK + OK);
    }

    @Test
    void shouldKeepOnlyMatchingRequestsWhenAllowFiltersAreSet() {
        RecordedSession session = session(
            "GET /api/a HTTP/1.1\r\nX-Env: prod\r\n\r\n", OK, 0,
            "GET /api/b HTTP/1.1\r\nX-Env: test\r\n\r\n", OK, 0,
            "GET /web/c HTTP/1.1\r\nX-Env: prod\r\n\r\n", OK, 0);

        RecordedSession rewritten = new HttpSessionRewriter(RewriteRules.parse(
            "--http-allow-url ^/api/\n--http-allow-header X-Env: ^prod$")).rewrite(session);

        assertThat(rewritten.exchanges()).extracting(exchange -> text(exchange.request()))
            .containsExactly("GET /api/a HTTP/1.1\r\nX-Env: prod\r\n\r\n");
    }

    @Test
    void shouldReturnTheSameSessionWhenItIsNotHttpOrNothingChanges() {
        RecordedSession redis = session("*1\r\n$4\r\nPING\r\n", "+PONG\r\n", 0);
        RecordedSession http = session("GET / HTTP/1.1\r\nHost: a\r\n\r\n", OK, 0);
        HttpSessionRewriter rewriter = new HttpSessionRewriter(RewriteRules.parse("--http-set-header Host: a"));

        assertThat(rewriter.rewrite(redis)).isSameAs(redis);
        assertThat(rewriter.rewrite(http)).isSameAs(http);
    }

    @Test
    void shouldSetQueryParametersAndRewriteHeaderValuesWhenAsked() {
        RecordedSession session = session("GET /s?q=1&page=2 HTTP/1.1\r\nHost: www.example.com\r\n\r\n", OK, 0);

        String request = text(new HttpSessionRewriter(RewriteRules.parse(
            "--http-set-param page=9\n--http-rewrite-header Host: (.*)\\.example\\.com,$1.beta.test"))
            .rewrite(session).exchange(0).request());

        assertThat(request).isEqualTo("GET /s?q=1&page=9 HTTP/1.1\r\nHost: www.beta.test\r\n\r\n");
    }

    @Test
    void shouldRewriteJsonBodiesWhenTheColonOfTheRegexIsEscaped() {
        RecordedSession session = session("POST /api HTTP/1.1\r\nContent-Length: 34\r\n\r\n"
            + "{\"user\":\"bob\",\"password\":\"s3cr3t\"}", OK, 0);
        RewriteRules rules = RewriteRules.parse("--http-rewrite-body \"password\"\\:\"[^\"]*\":\"password\":\"x\"\n"
            + "--http-set-header 'User-Agent: Gor'");

        String request = text(new HttpSessionRewriter(rules).rewrite(session).exchange(0).request());

        assertThat(request).isEqualTo("POST /api HTTP/1.1\r\nContent-Length: 29\r\nUser-Agent: Gor\r\n\r\n"
            + "{\"user\":\"bob\",\"password\":\"x\"}");
    }

    @Test
    void shouldNameTheLineWhenARuleIsBad() {
        assertThatThrownBy(() -> RewriteRules.parse("# comment\n--http-rewrite-url /a/b"))
            .hasMessageStartingWith("HTTP rule line 2: '--http-rewrite-url /a/b': no ':'");
        assertThatThrownBy(() -> RewriteRules.parse("--http-frobnicate x")).hasMessageContaining("unknown rule");
        assertThatThrownBy(() -> RewriteRules.parse("--http-allow-url (")).hasMessageContaining("bad regular");
    }

    static RecordedSession session(Object... parts) {
        try {
            RecordedSession.Builder builder = RecordedSession.builder(
                new Endpoint(InetAddress.getByName("10.0.0.1"), 40000), new Endpoint(InetAddress.getByName(
                    "10.0.0.2"), 80));
            long offset = 0;
            for (int index = 0; index < parts.length; index += 3) {
                long think = ((Number) parts[index + 2]).longValue();
                offset += think;
                builder.exchange(bytes((String) parts[index]), bytes((String) parts[index + 1]), think, offset,
                    offset);
            }
            return builder.build();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
