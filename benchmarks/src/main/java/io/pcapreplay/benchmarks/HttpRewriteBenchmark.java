package io.pcapreplay.benchmarks;

import io.pcapreplay.http.HttpSessionRewriter;
import io.pcapreplay.http.RewriteRules;
import io.pcapreplay.pcap.Endpoint;
import io.pcapreplay.pcap.Exchange;
import io.pcapreplay.pcap.RecordedSession;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What HTTP rules cost when a session is rewritten (once per distinct session, or once per session start when the
 * rules hold a per-user value): {@link HttpSessionRewriter} on a keep-alive session of three browser-like requests
 * (Host, URL, a set and a removed header, a POST body), against copying the same session exchange by exchange into a
 * new {@code RecordedSession} (the reference: the least any rewrite must do).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HttpRewriteBenchmark {

    private static final String HEADERS = "Host: shop.example.com\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) "
        + "Gecko/20100101 Firefox/120.0\r\nAccept: text/html,application/xhtml+xml\r\nAccept-Language: en-US\r\n"
        + "Accept-Encoding: gzip, deflate\r\nCookie: session=0123456789abcdef; theme=dark\r\n"
        + "Connection: keep-alive\r\n";
    private static final String RESPONSE = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 3000\r\n\r\n"
        + "x".repeat(3_000);

    private RecordedSession session;
    private HttpSessionRewriter rewriter;

    @Setup
    public void setUp() throws UnknownHostException {
        session = RecordedSession.builder(new Endpoint(InetAddress.getByName("10.0.0.1"), 40_000),
                new Endpoint(InetAddress.getByName("10.0.0.2"), 80))
            .exchange(bytes("GET /v1/products/1234?page=2 HTTP/1.1\r\n" + HEADERS + "\r\n"), bytes(RESPONSE), 0)
            .exchange(bytes("GET /v1/cart HTTP/1.1\r\n" + HEADERS + "\r\n"), bytes(RESPONSE), 200_000_000)
            .exchange(bytes("POST /v1/login HTTP/1.1\r\n" + HEADERS + "Content-Length: 33\r\n\r\n"
                + "user=alice&password=secret&x=1234"), bytes(RESPONSE), 200_000_000)
            .build();
        rewriter = new HttpSessionRewriter(RewriteRules.parse(String.join("\n",
            "--http-set-header Host: staging.example.com",
            "--http-rewrite-url ^/v1/(.*):/v2/$1",
            "--http-set-header Authorization: Bearer user-token-0001",
            "--http-remove-header Cookie",
            "--http-rewrite-body password=[^&]*:password=test")));
    }

    @Benchmark
    public RecordedSession rewrite() {
        return rewriter.rewrite(session);
    }

    @Benchmark
    public RecordedSession copySession() {
        RecordedSession.Builder builder = RecordedSession.builder(session.client(), session.server());
        for (Exchange exchange : session.exchanges()) {
            builder.exchange(copy(exchange.request()), copy(exchange.response()), exchange.thinkTimeNanos());
        }
        return builder.build();
    }

    private static byte[] copy(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
