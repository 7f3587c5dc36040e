package io.pcapreplay.lab.target;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The request line and the headers the embedded target cares about.
 *
 * @param method e.g. GET
 * @param path the request target without query string
 * @param http11 true for HTTP/1.1 (false for HTTP/1.0)
 * @param contentLength the Content-Length, 0 when absent
 * @param keepAlive whether the connection stays open after the response
 * @param chunked whether the body uses Transfer-Encoding (not supported by the target)
 * @param expectContinue whether the client waits for "100 Continue" before sending the body
 */
record HttpRequestHead(String method, String path, boolean http11, long contentLength, boolean keepAlive,
        boolean chunked, boolean expectContinue) {

    /**
     * The index just after the blank line ending the head in {@code input} (from its position), or -1 when it has not
     * arrived completely.
     */
    static int findEnd(ByteBuffer input) {
        for (int i = input.position(); i + 1 < input.limit(); i++) {
            if (input.get(i) == '\n') {
                if (input.get(i + 1) == '\n') {
                    return i + 2;
                }
                if (input.get(i + 1) == '\r' && i + 2 < input.limit() && input.get(i + 2) == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    /**
     * Parses the head from the position of {@code input} up to {@code end} and moves the position to {@code end}.
     *
     * @throws HttpTargetException with status 400 or 505 when the head is malformed
     */
    static HttpRequestHead parse(ByteBuffer input, int end) {
        byte[] bytes = new byte[end - input.position()];
        input.get(bytes);
        String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\r?\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length != 3 || requestLine[0].isEmpty() || !requestLine[1].startsWith("/")) {
            throw new HttpTargetException(400, "request line: \"" + lines[0] + "\" (expected: METHOD /path HTTP/1.x)");
        }
        boolean http11 = requestLine[2].equals("HTTP/1.1");
        if (!http11 && !requestLine[2].equals("HTTP/1.0")) {
            throw new HttpTargetException(505, "version: " + requestLine[2] + " (expected: HTTP/1.0 or HTTP/1.1)");
        }
        long contentLength = 0;
        boolean keepAlive = http11;
        boolean chunked = false;
        boolean expectContinue = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> contentLength = parseLength(value);
                case "connection" -> keepAlive = value.contains("close") ? false
                        : value.contains("keep-alive") || keepAlive;
                case "transfer-encoding" -> chunked = true;
                case "expect" -> expectContinue = value.equals("100-continue");
                default -> {
                    // ignored
                }
            }
        }
        String path = requestLine[1];
        int query = path.indexOf('?');
        return new HttpRequestHead(requestLine[0], query < 0 ? path : path.substring(0, query), http11,
                contentLength, keepAlive, chunked, expectContinue && http11);
    }

    private static long parseLength(String value) {
        try {
            long length = Long.parseLong(value);
            if (length >= 0) {
                return length;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new HttpTargetException(400, "Content-Length: " + value + " (expected: a number >= 0)");
    }
}
