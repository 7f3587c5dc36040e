package io.pcapreplay.http;

import static io.pcapreplay.http.HttpSessionRewriterTest.bytes;
import static io.pcapreplay.http.HttpSessionRewriterTest.session;
import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.pcap.Exchange;
import io.pcapreplay.tcp.ResponseFraming;
import org.junit.jupiter.api.Test;

class HttpResponseFramingTest {

    private static final String RECORDED = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    @Test
    void shouldEndTheResponseByItsOwnContentLengthWhenTheRecordingIsOneHttpExchange() {
        byte[] replayed = bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123");

        assertThat(frame("GET / HTTP/1.1\r\n\r\n", RECORDED, replayed)).isEqualTo(replayed.length - 4 + 10);
        assertThat(frame("HEAD / HTTP/1.1\r\n\r\n", RECORDED, replayed)).as("HEAD: no body")
            .isEqualTo(replayed.length - 4);
    }

    @Test
    void shouldFindTheLastChunkWhenTheResponseIsChunked() {
        byte[] partial = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
        byte[] whole = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");

        assertThat(frame("GET / HTTP/1.1\r\n\r\n", RECORDED, partial)).isEqualTo(ResponseFraming.CHUNKED);
        assertThat(HttpResponseFraming.INSTANCE.chunkedEnd(partial, partial.length)).isEqualTo(-1);
        assertThat(HttpResponseFraming.INSTANCE.chunkedEnd(whole, whole.length)).isEqualTo(whole.length);
    }

    @Test
    void shouldLeaveItToTheRecordedLengthWhenPipelinedNotHttpOrIncomplete() {
        byte[] replayed = bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

        assertThat(frame("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n", RECORDED + RECORDED, replayed))
            .isEqualTo(ResponseFraming.NOT_APPLICABLE);
        assertThat(frame("*1\r\n$4\r\nPING\r\n", "+PONG\r\n", bytes("+PONG\r\n")))
            .isEqualTo(ResponseFraming.NOT_APPLICABLE);
        assertThat(frame("GET / HTTP/1.1\r\n\r\n", RECORDED, bytes("HTTP/1.1 200 OK\r\nConte")))
            .isEqualTo(ResponseFraming.NOT_YET);
        assertThat(frame("GET / HTTP/1.1\r\n\r\n", RECORDED, bytes("HTTP/1.1 200 OK\r\n\r\nuntil close")))
            .isEqualTo(ResponseFraming.NOT_APPLICABLE);
    }

    private static int frame(String request, String recorded, byte[] replayed) {
        Exchange exchange = session(request, recorded, 0).exchange(0);
        return HttpResponseFraming.INSTANCE.frame(exchange, replayed, replayed.length);
    }
}
