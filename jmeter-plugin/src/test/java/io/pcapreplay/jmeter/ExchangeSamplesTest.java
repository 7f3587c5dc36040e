package io.pcapreplay.jmeter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.pcap.Endpoint;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.ExchangeResult;
import io.pcapreplay.tcp.Outcome;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.jmeter.samplers.SampleResult;
import org.junit.jupiter.api.Test;

class ExchangeSamplesTest {

    private static final long MS = 1_000_000L;
    private static final String OK_RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

    @Test
    void shouldLabelWithTheRequestLineAndTimeFromTheEngineWhenTheExchangeIsHttp() throws Exception {
        RecordedSession session = session("GET /page.txt HTTP/1.1\r\nHost: x\r\n\r\n", "POST /login HTTP/1.1\r\n\r\n");
        byte[] response = OK_RESPONSE.getBytes(StandardCharsets.US_ASCII);
        ExchangeResult result = new ExchangeResult(1, 0, 1_000 * MS, 1_003 * MS, 1_010 * MS, 1_025 * MS, 30,
            response.length, response, Outcome.OK, "");

        SampleResult sample = ExchangeSamples.toSample(result, session, LabelStyle.REQUEST_LINE, "sampler",
            2_000 * MS, 50_000);

        assertThat(sample.getSampleLabel()).isEqualTo("GET /page.txt");
        assertThat(sample.getStartTime()).isEqualTo(49_000);
        assertThat(sample.getTime()).isEqualTo(25);
        assertThat(sample.getLatency()).isEqualTo(10);
        assertThat(sample.getConnectTime()).isEqualTo(3);
        assertThat(sample.getResponseCode()).isEqualTo("200");
        assertThat(sample.getResponseMessage()).isEqualTo("OK");
        assertThat(sample.isSuccessful()).isTrue();
        assertThat(sample.getSentBytes()).isEqualTo(30);
        assertThat(sample.getHeadersSize()).isEqualTo(OK_RESPONSE.indexOf("hello"));
        assertThat(sample.getBytesAsLong()).isEqualTo(response.length);
        assertThat(sample.getResponseDataAsString()).endsWith("hello");
        assertThat(sample.getSamplerData()).startsWith("GET /page.txt HTTP/1.1");
    }

    @Test
    void shouldAverageSubMillisecondLatenciesRightWhenEachEventIsReadOnAMillisecondClock() throws Exception {
        RecordedSession session = session("GET / HTTP/1.1\r\n\r\n");
        long latencies = 0;
        long elapsed = 0;
        for (int phase = 0; phase < 10; phase++) { // requests leaving at every 0.1 ms of a millisecond
            long start = 7_000 * MS + phase * MS / 10;
            ExchangeResult result = new ExchangeResult(1, 0, start, -1, start + 400_000, start + 1_600_000, 10, 5,
                new byte[0], Outcome.OK, "");
            SampleResult sample = ExchangeSamples.toSample(result, session, LabelStyle.REQUEST_LINE, "s", 8_000 * MS,
                90_000);
            latencies += sample.getLatency();
            elapsed += sample.getTime();
            assertThat(sample.getLatency()).isBetween(0L, 1L);
        }

        assertThat(latencies).as("0.4 ms, ten times").isEqualTo(4);
        assertThat(elapsed).as("1.6 ms, ten times").isEqualTo(16);
    }

    @Test
    void shouldUsePortAndIndexWhenTheRequestIsNotHttp() throws Exception {
        RecordedSession session = session("*1\r\n$4\r\nPING\r\n", "GET not http\r\n");
        ExchangeResult second = new ExchangeResult(1, 1, 0, -1, 1 * MS, 2 * MS, 10, 7,
            "+PONG\r\n".getBytes(StandardCharsets.US_ASCII), Outcome.OK, "");

        SampleResult sample = ExchangeSamples.toSample(second, session, LabelStyle.REQUEST_LINE, "sampler",
            3 * MS, 10_000);

        assertThat(sample.getSampleLabel()).isEqualTo("6379 #1");
        assertThat(sample.getResponseCode()).isEqualTo("OK");
        assertThat(sample.isSuccessful()).isTrue();
        assertThat(sample.getHeadersSize()).isZero();
        assertThat(sample.getBytesAsLong()).isEqualTo(7);
        assertThat(ExchangeSamples.label(session.exchange(0), session, LabelStyle.SAMPLER_NAME, "redis"))
            .isEqualTo("redis #0");
    }

    @Test
    void shouldFailWithTheOutcomeAsCodeWhenTheExchangeFailed() throws Exception {
        RecordedSession session = session("GET / HTTP/1.1\r\n\r\n");
        ExchangeResult refused = new ExchangeResult(1, 0, 5 * MS, -1, -1, -1, 0, 0, new byte[0], Outcome.REFUSED,
            "connection refused: RST in answer to the SYN");

        SampleResult sample = ExchangeSamples.toSample(refused, session, LabelStyle.REQUEST_LINE, "s", 9 * MS, 100);

        assertThat(sample.getResponseCode()).isEqualTo("REFUSED");
        assertThat(sample.isSuccessful()).isFalse();
        assertThat(sample.getResponseMessage()).isEqualTo("REFUSED: connection refused: RST in answer to the SYN");
        assertThat(sample.getAssertionResults()).singleElement()
            .satisfies(assertion -> assertThat(assertion.getFailureMessage()).startsWith("REFUSED"));
        assertThat(sample.getTime()).isEqualTo(4);
        assertThat(sample.getLatency()).isZero();
    }

    @Test
    void shouldFailWhenTheHttpStatusIsAnError() throws Exception {
        RecordedSession session = session("GET /missing HTTP/1.1\r\n\r\n");
        byte[] response = "HTTP/1.1 404 Not Found\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        ExchangeResult result = new ExchangeResult(1, 0, 0, -1, MS, MS, 25, response.length, response, Outcome.OK,
            "");

        SampleResult sample = ExchangeSamples.toSample(result, session, LabelStyle.REQUEST_LINE, "s", MS, 100);

        assertThat(sample.getResponseCode()).isEqualTo("404");
        assertThat(sample.isSuccessful()).isFalse();
        assertThat(sample.getBytesAsLong()).as("JTL bytes").isEqualTo(response.length);
    }

    @Test
    void shouldRecogniseRequestLinesOnlyWhenWellFormed() {
        assertThat(ExchangeSamples.httpRequestLine(bytes("DELETE /a/b?c=d HTTP/1.0\r\n"))).isEqualTo("DELETE /a/b?c=d");
        assertThat(ExchangeSamples.httpRequestLine(bytes("get / HTTP/1.1\r\n"))).isNull();
        assertThat(ExchangeSamples.httpRequestLine(bytes("GET / SPDY\r\n"))).isNull();
        assertThat(ExchangeSamples.httpRequestLine(bytes("GET"))).isNull();
        assertThat(ExchangeSamples.httpRequestLine(bytes(""))).isNull();
        assertThat(ExchangeSamples.httpStatus("HTTP/1.1 2x0".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void shouldGroupIdsUnderOneLabelWhenTheStyleIsRequestPath() throws Exception {
        RecordedSession session = session("GET /user/1234?tab=2 HTTP/1.1\r\n\r\n", "GET /user/5678 HTTP/1.1\r\n\r\n");

        assertThat(session.exchanges()).extracting(exchange -> ExchangeSamples.label(exchange, session,
            LabelStyle.REQUEST_PATH, "sampler")).containsExactly("GET /user/{id}", "GET /user/{id}");
        assertThat(LabelStyle.parse("request-path")).isEqualTo(LabelStyle.REQUEST_PATH);
    }

    @Test
    void shouldShowTheRecordedResponseAfterTheRequestInTheSamplerData() throws Exception {
        RecordedSession session = RecordedSession.builder(new Endpoint(InetAddress.getByName("10.0.0.1"), 40000),
                new Endpoint(InetAddress.getByName("10.0.0.2"), 80))
            .exchange("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                OK_RESPONSE.getBytes(StandardCharsets.US_ASCII), 0).build();
        ExchangeResult result = new ExchangeResult(1, 0, 0, -1, MS, MS, 18, 0, new byte[0], Outcome.OK, "");

        SampleResult sample = ExchangeSamples.toSample(result, session, LabelStyle.REQUEST_LINE, "s", MS, 1_000);

        assertThat(sample.getSamplerData()).isEqualTo("GET / HTTP/1.1\r\n\r\n\n--- recorded response (43 bytes) ---\n"
            + OK_RESPONSE);
    }

    @Test
    void shouldShareTheLabelAndSamplerDataOfAnExchangeAcrossItsSamplesAndHandOverTheResponseWithoutACopy()
            throws Exception {
        RecordedSession session = session("GET /shared HTTP/1.1\r\n\r\n");
        byte[] response = OK_RESPONSE.getBytes(StandardCharsets.US_ASCII);
        ExchangeResult first = new ExchangeResult(1, 0, 0, -1, MS, MS, 18, response.length, response, Outcome.OK, "");
        ExchangeResult second = new ExchangeResult(2, 0, 0, -1, MS, MS, 18, response.length, response, Outcome.OK,
            "");

        SampleResult one = ExchangeSamples.toSample(first, session, LabelStyle.REQUEST_LINE, "s", MS, 1_000);
        SampleResult other = ExchangeSamples.toSample(second, session, LabelStyle.REQUEST_LINE, "s", MS, 1_000);
        SampleResult named = ExchangeSamples.toSample(second, session, LabelStyle.SAMPLER_NAME, "s", MS, 1_000);

        assertThat(other.getSampleLabel()).isEqualTo("GET /shared").isSameAs(one.getSampleLabel());
        assertThat(other.getSamplerData()).isSameAs(one.getSamplerData());
        assertThat(named.getSampleLabel()).as("another label style, another label").isEqualTo("s #0");
        assertThat(one.getResponseData()).isSameAs(response);
    }

    private static RecordedSession session(String... requests) throws Exception {
        int port = requests[0].startsWith("*") ? 6379 : 80;
        RecordedSession.Builder builder = RecordedSession.builder(
            new Endpoint(InetAddress.getByName("10.0.0.1"), 40000), new Endpoint(InetAddress.getByName("10.0.0.2"),
                port));
        for (String request : requests) {
            builder.exchange(request.getBytes(StandardCharsets.US_ASCII), new byte[0], 0);
        }
        return builder.build();
    }
}
