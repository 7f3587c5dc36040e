package io.pcapreplay.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResponseHeadFactsTest {

    private static final List<String> HEADS = List.of(
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nbody",
        "HTTP/1.0 204 No Content\r\n\r\n",
        "HTTP/1.1 200 OK\nContent-Length: 3\n\nabc",
        "HTTP/1.1 200 OK\r\ncontent-LENGTH:7\r\nContent-Length: 9\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, CHUNKED \r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 1\r\n\r\nx",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\tfolded\r\n\r\nx",
        "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        "HTTP/1.1 200 OK\r\n: empty name\r\n\r\n",
        "HTTP/1.1 2x0 Broken\r\n\r\n",
        "HTTP/1.1 099 Low\r\n\r\n",
        "HTTP/1.1 200\r\n\r\n",
        "HTTP/1.1 20\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: +12\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 123456789012\r\n\r\n",
        "HTTP/1.1 200 OK\r\n Content-Length : 5 \r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r",
        "HTTP/1.1 200 OK",
        "HTTP/2 200\r\n\r\n",
        "+PONG\r\n",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

    @Test
    void shouldAgreeWithTheStringParserWhenGivenRecordedAndBrokenHeads() {
        for (String text : HEADS) {
            byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
            for (int limit = 0; limit <= bytes.length; limit++) {
                assertThat(ResponseHeadFacts.scan(bytes, 0, limit)).as("%s, first %d bytes", text, limit)
                    .isEqualTo(expected(bytes, 0, limit));
            }
        }
    }

    @Test
    void shouldAgreeWithTheStringParserWhenHeadsAreRandom() {
        Random random = new Random(8);
        String[] pieces = {"HTTP/1.1 ", "200", " OK", "\r\n", "\n", "\r", ":", " ", "\t", "Content-Length",
            "content-length", "Transfer-Encoding", "chunked", "Chunked", "12", "-3", "+4", "x", "\u00e9", "\u00a0"};
        for (int run = 0; run < 20_000; run++) {
            StringBuilder text = new StringBuilder("HTTP/1.1 200 OK\r\n");
            int count = random.nextInt(12);
            for (int piece = 0; piece < count; piece++) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            text.append(random.nextBoolean() ? "\r\n\r\n" : "\n\n");
            byte[] bytes = text.toString().getBytes(StandardCharsets.ISO_8859_1);

            assertThat(ResponseHeadFacts.scan(bytes, 0, bytes.length)).as(text.toString())
                .isEqualTo(expected(bytes, 0, bytes.length));
        }
    }

    @Test
    void shouldReadTheHeadWhereItStartsWhenGivenAnOffset() {
        byte[] bytes = "xxHTTP/1.1 304 Not Modified\r\nETag: \"a\"\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

        assertThat(ResponseHeadFacts.scan(bytes, 2, bytes.length))
            .isEqualTo(new ResponseHeadFacts(304, bytes.length - 2, -1, false));
    }

    /** What the string parser says; a negative Content-Length counts as none (framing treats both alike). */
    private static ResponseHeadFacts expected(byte[] bytes, int from, int limit) {
        HttpHead head = HttpHead.parseResponse(bytes, from, limit);
        if (head == null) {
            return null;
        }
        return new ResponseHeadFacts(head.status(), head.length(), Math.max(-1, head.contentLength()), head.chunked());
    }
}
