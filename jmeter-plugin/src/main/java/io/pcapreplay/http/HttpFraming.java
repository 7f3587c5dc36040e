package io.pcapreplay.http;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * Where an HTTP/1.x message body ends (RFC 9112 section 6): chunked, Content-Length, or (responses only) until the
 * connection closes; and the decoding of a chunked body.
 */
public final class HttpFraming {

    /** The result of {@link #messageEnd} when the bytes end before the message does. */
    public static final int INCOMPLETE = -1;

    private HttpFraming() {
    }

    /**
     * Returns where a request ends.
     *
     * @param bytes the stream
     * @param start where the request starts
     * @param head its parsed head
     * @param limit end of the available bytes
     * @return the end offset, or {@link #INCOMPLETE}
     */
    public static int requestEnd(byte[] bytes, int start, HttpHead head, int limit) {
        int bodyStart = start + head.length();
        if (head.chunked()) {
            return chunkedEnd(bytes, bodyStart, limit);
        }
        long length = Math.max(0, head.contentLength());
        return bodyStart + length <= limit ? (int) (bodyStart + length) : INCOMPLETE;
    }

    /**
     * Returns where a response ends.
     *
     * @param bytes the stream
     * @param start where the response starts
     * @param head its parsed head
     * @param requestMethod the method of the request it answers (HEAD has no body), or null
     * @param limit end of the available bytes (a body without length runs to it)
     * @return the end offset, or {@link #INCOMPLETE}
     */
    public static int responseEnd(byte[] bytes, int start, HttpHead head, String requestMethod, int limit) {
        int bodyStart = start + head.length();
        int status = head.status();
        if (status < 200 || status == 204 || status == 304 || "HEAD".equalsIgnoreCase(requestMethod)) {
            return bodyStart;
        }
        if (head.chunked()) {
            return chunkedEnd(bytes, bodyStart, limit);
        }
        long length = head.contentLength();
        if (length < 0) {
            return limit;
        }
        return bodyStart + length <= limit ? (int) (bodyStart + length) : INCOMPLETE;
    }

    /**
     * Returns where a chunked body (chunks, last chunk, trailer fields, empty line) ends.
     *
     * @param bytes the stream
     * @param from the first chunk-size byte
     * @param limit end of the available bytes
     * @return the end offset, or {@link #INCOMPLETE}
     */
    public static int chunkedEnd(byte[] bytes, int from, int limit) {
        int position = from;
        while (true) {
            int lineEnd = lineEnd(bytes, position, limit);
            if (lineEnd < 0) {
                return INCOMPLETE;
            }
            long size = chunkSize(bytes, position, lineEnd);
            if (size < 0) {
                return INCOMPLETE;
            }
            position = lineEnd + 1;
            if (size == 0) {
                while (true) { // trailer fields, then the empty line
                    int trailerEnd = lineEnd(bytes, position, limit);
                    if (trailerEnd < 0) {
                        return INCOMPLETE;
                    }
                    boolean empty = trailerEnd == position || trailerEnd == position + 1 && bytes[position] == '\r';
                    position = trailerEnd + 1;
                    if (empty) {
                        return position;
                    }
                }
            }
            if (position + size > limit) {
                return INCOMPLETE;
            }
            position += (int) size;
            int dataEnd = lineEnd(bytes, position, limit);
            if (dataEnd < 0) {
                return INCOMPLETE;
            }
            position = dataEnd + 1;
        }
    }

    /**
     * Decodes a chunked body (trailer fields are dropped).
     *
     * @param bytes the stream
     * @param from the first chunk-size byte
     * @param end the body's end as found by {@link #chunkedEnd}
     * @return the data
     */
    public static byte[] dechunk(byte[] bytes, int from, int end) {
        ByteArrayOutputStream data = new ByteArrayOutputStream(Math.max(16, end - from));
        int position = from;
        while (position < end) {
            int lineEnd = lineEnd(bytes, position, end);
            long size = lineEnd < 0 ? -1 : chunkSize(bytes, position, lineEnd);
            if (size <= 0) {
                break;
            }
            position = lineEnd + 1;
            int count = (int) Math.min(size, end - position);
            data.write(bytes, position, count);
            position += count;
            int dataEnd = lineEnd(bytes, position, end);
            position = dataEnd < 0 ? end : dataEnd + 1;
        }
        return data.toByteArray();
    }

    /**
     * Returns the body of a complete message: decoded when chunked.
     *
     * @param bytes the stream
     * @param start where the message starts
     * @param head its head
     * @param end where it ends
     * @return the body bytes
     */
    public static byte[] body(byte[] bytes, int start, HttpHead head, int end) {
        int bodyStart = Math.min(end, start + head.length());
        if (head.chunked()) {
            return dechunk(bytes, bodyStart, end);
        }
        return java.util.Arrays.copyOfRange(bytes, bodyStart, end);
    }

    private static int lineEnd(byte[] bytes, int from, int limit) {
        for (int index = from; index < limit; index++) {
            if (bytes[index] == '\n') {
                return index;
            }
        }
        return -1;
    }

    private static long chunkSize(byte[] bytes, int from, int lineEnd) {
        StringBuilder digits = new StringBuilder();
        for (int index = from; index < lineEnd; index++) {
            char value = (char) (bytes[index] & 0xff);
            if (value == ';' || value == '\r' || value == ' ' || value == '\t') {
                break;
            }
            digits.append(value);
        }
        if (digits.isEmpty() || digits.length() > 15) {
            return -1;
        }
        try {
            return Long.parseLong(digits.toString().toLowerCase(Locale.ROOT), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
