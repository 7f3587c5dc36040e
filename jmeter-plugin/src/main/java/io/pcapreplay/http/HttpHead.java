package io.pcapreplay.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The head of an HTTP/1.x request or response: start line and header fields, parsed from bytes (ISO-8859-1).
 * Requests: {@code METHOD SP target SP HTTP/1.x}; responses: {@code HTTP/1.x SP status [SP reason]}; lines end in CRLF
 * or LF; the head ends with an empty line.
 *
 * @param startLine the first line, without its line end
 * @param headers the header fields in order
 * @param length the head's length in bytes, through the empty line
 */
public record HttpHead(String startLine, List<HttpHeader> headers, int length) {

    private static final int MAX_METHOD_LENGTH = 20;
    private static final int MAX_HEAD_LENGTH = 1 << 20;

    /** Copies the header list. */
    public HttpHead {
        headers = List.copyOf(headers);
    }

    /**
     * Parses a request head.
     *
     * @param bytes the stream
     * @param from where the request starts
     * @param limit end of the available bytes
     * @return the head, or null when the bytes do not start with a whole HTTP/1.x request head
     */
    public static HttpHead parseRequest(byte[] bytes, int from, int limit) {
        if (!startsLikeRequest(bytes, from, limit)) {
            return null;
        }
        HttpHead head = parse(bytes, from, limit);
        return head != null && head.method() != null ? head : null;
    }

    /**
     * Parses a response head.
     *
     * @param bytes the stream
     * @param from where the response starts
     * @param limit end of the available bytes
     * @return the head, or null when the bytes do not start with a whole HTTP/1.x response head
     */
    public static HttpHead parseResponse(byte[] bytes, int from, int limit) {
        if (limit - from < 12 || !ascii(bytes, from, from + 7).equals("HTTP/1.")) {
            return null;
        }
        HttpHead head = parse(bytes, from, limit);
        return head != null && head.status() >= 100 ? head : null;
    }

    /**
     * Tells whether the bytes start with something like an HTTP/1.x request line ({@code TOKEN SP ... HTTP/1.}), even
     * when the head is not complete: how a session is recognised as HTTP.
     *
     * @param bytes the stream
     * @param from the first byte
     * @param limit end of the available bytes
     * @return whether they do
     */
    public static boolean startsLikeRequest(byte[] bytes, int from, int limit) {
        int index = from;
        while (index < limit && index - from <= MAX_METHOD_LENGTH && isTokenChar(bytes[index])) {
            index++;
        }
        if (index == from || index >= limit || bytes[index] != ' ') {
            return false;
        }
        int lineEnd = index;
        while (lineEnd < limit && bytes[lineEnd] != '\n' && lineEnd - from < MAX_HEAD_LENGTH) {
            lineEnd++;
        }
        int end = lineEnd > from && lineEnd < limit && bytes[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
        if (lineEnd >= limit) {
            return false;
        }
        return end - from > 9 && ascii(bytes, end - 8, end - 1).equals("HTTP/1.");
    }

    private static HttpHead parse(byte[] bytes, int from, int limit) {
        List<String> lines = new ArrayList<>();
        int lineStart = from;
        int max = Math.min(limit, from + MAX_HEAD_LENGTH);
        for (int index = from; index < max; index++) {
            if (bytes[index] != '\n') {
                continue;
            }
            int lineEnd = index > lineStart && bytes[index - 1] == '\r' ? index - 1 : index;
            if (lineEnd == lineStart) {
                return lines.isEmpty() ? null : build(lines, index + 1 - from);
            }
            lines.add(new String(bytes, lineStart, lineEnd - lineStart, StandardCharsets.ISO_8859_1));
            lineStart = index + 1;
        }
        return null;
    }

    private static HttpHead build(List<String> lines, int length) {
        List<HttpHeader> headers = new ArrayList<>();
        for (int index = 1; index < lines.size(); index++) {
            String line = lines.get(index);
            if ((line.startsWith(" ") || line.startsWith("\t")) && !headers.isEmpty()) {
                HttpHeader last = headers.remove(headers.size() - 1); // obsolete line folding: join
                headers.add(new HttpHeader(last.name(), last.value() + " " + line.strip()));
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                return null;
            }
            headers.add(new HttpHeader(line.substring(0, colon).strip(), line.substring(colon + 1).strip()));
        }
        return new HttpHead(lines.get(0), headers, length);
    }

    /** Returns the request method, or null when this is not a request. */
    public String method() {
        int space = startLine.indexOf(' ');
        return space > 0 && !startLine.startsWith("HTTP/") ? startLine.substring(0, space) : null;
    }

    /** Returns the request target (path and query), or null when this is not a request. */
    public String target() {
        int first = startLine.indexOf(' ');
        int last = startLine.lastIndexOf(' ');
        return first > 0 && last > first && method() != null ? startLine.substring(first + 1, last) : null;
    }

    /** Returns the request's protocol version ({@code HTTP/1.1}), or the response's. */
    public String version() {
        return startLine.startsWith("HTTP/") ? startLine.split(" ", 2)[0]
            : startLine.substring(startLine.lastIndexOf(' ') + 1);
    }

    /** Returns the response status, or -1 when this is not a response. */
    public int status() {
        if (!startLine.startsWith("HTTP/1.") || startLine.length() < 12) {
            return -1;
        }
        try {
            return Integer.parseInt(startLine.substring(9, 12));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Returns the first value of a header field (case-insensitive name).
     *
     * @param name the field name
     * @return the value, or null when absent
     */
    public String header(String name) {
        for (HttpHeader header : headers) {
            if (header.is(name)) {
                return header.value();
            }
        }
        return null;
    }

    /** Tells whether the body is chunked (Transfer-Encoding ends with chunked): whether it is. */
    public boolean chunked() {
        String encoding = header("Transfer-Encoding");
        return encoding != null && encoding.toLowerCase(java.util.Locale.ROOT).strip().endsWith("chunked");
    }

    /** Returns the Content-Length, or -1 when absent or not a number. */
    public long contentLength() {
        String value = header("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Serializes a head (CRLF line ends).
     *
     * @param startLine the start line
     * @param headers the fields
     * @return the bytes, ISO-8859-1
     */
    public static byte[] serialize(String startLine, List<HttpHeader> headers) {
        StringBuilder text = new StringBuilder(startLine.length() + headers.size() * 32 + 4);
        text.append(startLine).append("\r\n");
        for (HttpHeader header : headers) {
            text.append(header.name()).append(": ").append(header.value()).append("\r\n");
        }
        return text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean isTokenChar(byte value) {
        return value >= 'A' && value <= 'Z' || value == '-' || value == '_';
    }

    private static String ascii(byte[] bytes, int from, int to) {
        return new String(bytes, from, Math.max(0, to - from), StandardCharsets.ISO_8859_1);
    }
}
