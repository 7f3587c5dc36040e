package io.pcapreplay.http;

import static io.pcapreplay.http.HttpSessionRewriterTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class ResponseComparisonTest {

    private static final ResponseComparison.Options EXACT = new ResponseComparison.Options(true,
        List.of("Content-Type"), ResponseComparison.BodyMode.EXACT, List.of());

    @Test
    void shouldMatchWhenOnlyFramingDiffers() {
        String recorded = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello\nworld";
        String replayed = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "6\r\nhello\n\r\n5\r\nworld\r\n0\r\n\r\n";

        assertThat(ResponseComparison.compare(bytes(recorded), bytes(replayed), EXACT, null)).isNull();
    }

    @Test
    void shouldDescribeStatusHeaderAndTheFirstDifferingLineWhenThePageChanged() {
        String recorded = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<h1>Shop</h1>\n<p>price 10</p>\n<end>";
        String replayed = "HTTP/1.1 500 Oops\r\nContent-Type: text/plain\r\n\r\n<h1>Shop</h1>\n<p>price 12</p>\n<end>";

        String message = ResponseComparison.compare(bytes(recorded), bytes(replayed), EXACT, null);

        assertThat(message).isEqualTo("""
            status: recorded 200, replayed 500
            header Content-Type: recorded 'text/html', replayed 'text/plain'
            body (recorded 35 bytes, replayed 35 bytes): line 2 differs:
              - <p>price 10</p>
              + <p>price 12</p>""");
    }

    @Test
    void shouldIgnoreRegionsMatchingTheIgnoreRegexesAndCompareGzipDecoded() throws IOException {
        ResponseComparison.Options options = new ResponseComparison.Options(true, List.of(),
            ResponseComparison.BodyMode.EXACT, List.of(Pattern.compile("csrf=\\w+"), Pattern.compile("\\d{2}:\\d{2}")));
        byte[] recorded = bytes("HTTP/1.1 200 OK\r\n\r\ntime 10:31 csrf=abc");
        ByteArrayOutputStream replayed = new ByteArrayOutputStream();
        replayed.writeBytes(bytes("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n"));
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write(bytes("time 11:02 csrf=xyz"));
        }
        replayed.writeBytes(zipped.toByteArray());

        assertThat(ResponseComparison.compare(recorded, replayed.toByteArray(), options, null)).isNull();
    }

    @Test
    void shouldCompareNonHttpResponsesAsAWhole() {
        assertThat(ResponseComparison.compare(bytes("+PONG\r\n"), bytes("+PONG\r\n"), EXACT, null)).isNull();
        assertThat(ResponseComparison.compare(bytes("$3\r\nabc\r\n"), bytes("$-1\r\n"), EXACT, null))
            .startsWith("response (recorded 9 bytes, replayed 5 bytes): line 1 differs");
    }

    @Test
    void shouldNormalizeIdsAndDropTheQueryWhenLabellingPaths() {
        assertThat(PathNormalizer.DEFAULT.normalize("/user/1234/orders/5f3a1c2e-0000-4000-8000-00000000abcd?x=1"))
            .isEqualTo("/user/{id}/orders/{id}");
        assertThat(PathNormalizer.DEFAULT.normalize("/static/app.css")).isEqualTo("/static/app.css");
        assertThat(PathNormalizer.parse("^/shop/[a-z]+:/shop/{name}").normalize("/shop/socks/42"))
            .isEqualTo("/shop/{name}/{id}");
    }
}
