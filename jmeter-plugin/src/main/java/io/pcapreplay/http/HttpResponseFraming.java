package io.pcapreplay.http;

import io.pcapreplay.pcap.Exchange;
import io.pcapreplay.tcp.ResponseFraming;
import java.nio.ByteBuffer;

/**
 * HTTP/1.x framing of replayed responses for the engine: when the recorded exchange is one HTTP request answered by
 * one HTTP response, the replayed response ends where its own Content-Length or last chunk says (HEAD, 204 and 304
 * answers: after the head). Anything else (not HTTP, pipelined requests, interim 1xx, a body until close) is left to
 * the recorded length and the quiet interval.
 */
public final class HttpResponseFraming implements ResponseFraming {

    /** The instance (stateless). */
    public static final HttpResponseFraming INSTANCE = new HttpResponseFraming();

    private static final int REQUEST_HEAD_PEEK = 16 << 10;
    private static final Recorded[] RECORDED_CACHE = new Recorded[256];

    private HttpResponseFraming() {
    }

    @Override
    public int frame(Exchange exchange, byte[] response, int length) {
        ResponseHeadFacts head = ResponseHeadFacts.scan(response, 0, length);
        if (head == null) {
            return length >= 5 && !startsWith(response, length, "HTTP/") ? NOT_APPLICABLE : NOT_YET;
        }
        Recorded recorded = recorded(exchange);
        String method = recorded.method();
        if (method == null || head.status() < 200 || !recorded.http()) {
            return NOT_APPLICABLE;
        }
        int status = head.status();
        if (status == 204 || status == 304 || "HEAD".equals(method)) {
            return head.length();
        }
        if (head.chunked()) {
            return CHUNKED;
        }
        long contentLength = head.contentLength();
        if (contentLength < 0 || head.length() + contentLength > Integer.MAX_VALUE) {
            return NOT_APPLICABLE;
        }
        return (int) (head.length() + contentLength);
    }

    @Override
    public int chunkedEnd(byte[] response, int length) {
        ResponseHeadFacts head = ResponseHeadFacts.scan(response, 0, length);
        if (head == null) {
            return -1;
        }
        int end = HttpFraming.chunkedEnd(response, head.length(), length);
        return end == HttpFraming.INCOMPLETE ? -1 : end;
    }

    /** What framing needs of a recorded exchange: its single request's method (or null), whether it answered HTTP. */
    private record Recorded(Exchange exchange, String method, boolean http) {
    }

    /**
     * What the recorded exchange says, from a small direct-mapped cache by identity (every user replaying the same
     * session shares its exchanges): the recorded request is parsed once, not on every response. Entries are
     * immutable, so racing loops at worst parse again.
     */
    private Recorded recorded(Exchange exchange) {
        int slot = System.identityHashCode(exchange) & (RECORDED_CACHE.length - 1);
        Recorded cached = RECORDED_CACHE[slot];
        if (cached != null && cached.exchange() == exchange) {
            return cached;
        }
        Recorded fresh = new Recorded(exchange, singleRequestMethod(exchange), recordedIsHttp(exchange));
        RECORDED_CACHE[slot] = fresh;
        return fresh;
    }

    /** The method of the exchange's request when it holds exactly one whole HTTP request, else null. */
    private static String singleRequestMethod(Exchange exchange) {
        ByteBuffer request = exchange.request();
        byte[] bytes = new byte[Math.min(request.remaining(), REQUEST_HEAD_PEEK)];
        request.duplicate().get(bytes);
        HttpHead head = HttpHead.parseRequest(bytes, 0, bytes.length);
        if (head == null) {
            return null;
        }
        int end = HttpFraming.requestEnd(bytes, 0, head, bytes.length);
        return end == exchange.requestLength() ? head.method() : null; // else pipelined, or longer than the peek
    }

    private static boolean recordedIsHttp(Exchange exchange) {
        ByteBuffer recorded = exchange.response();
        byte[] start = new byte[Math.min(8, recorded.remaining())];
        recorded.duplicate().get(start);
        return startsWith(start, start.length, "HTTP/1.");
    }

    private static boolean startsWith(byte[] bytes, int length, String prefix) {
        if (length < prefix.length()) {
            return false;
        }
        for (int index = 0; index < prefix.length(); index++) {
            if (bytes[index] != prefix.charAt(index)) {
                return false;
            }
        }
        return true;
    }
}
