package io.pcapreplay.lab.target;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Response heads of the embedded target. */
final class HttpResponses {
    private static final Map<Integer, String> REASONS = Map.ofEntries(Map.entry(200, "OK"),
            Map.entry(201, "Created"), Map.entry(204, "No Content"), Map.entry(301, "Moved Permanently"),
            Map.entry(302, "Found"), Map.entry(304, "Not Modified"), Map.entry(400, "Bad Request"),
            Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"),
            Map.entry(431, "Request Header Fields Too Large"), Map.entry(500, "Internal Server Error"),
            Map.entry(501, "Not Implemented"), Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"),
            Map.entry(505, "HTTP Version Not Supported"));

    private HttpResponses() {
    }

    /**
     * A response head.
     *
     * @param contentLength the body length, or -1 for no Content-Length header
     */
    static ByteBuffer header(int status, long contentLength, boolean keepAlive, boolean http11) {
        StringBuilder head = new StringBuilder(128).append(http11 ? "HTTP/1.1 " : "HTTP/1.0 ").append(status)
                .append(' ').append(REASONS.getOrDefault(status, "Status")).append("\r\n");
        head.append("Server: pcap-replay-target\r\n");
        if (contentLength >= 0) {
            head.append("Content-Type: text/plain\r\nContent-Length: ").append(contentLength).append("\r\n");
        }
        if (!keepAlive) {
            head.append("Connection: close\r\n");
        } else if (!http11) {
            head.append("Connection: keep-alive\r\n");
        }
        return ByteBuffer.wrap(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }
}
