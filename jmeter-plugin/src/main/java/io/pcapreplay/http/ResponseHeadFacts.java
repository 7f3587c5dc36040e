package io.pcapreplay.http;

/**
 * What framing needs of an HTTP/1.x response head, read straight from the bytes without building strings: the
 * replay engine frames every replayed response with it. Gives the same answers as {@link HttpHead#parseResponse}
 * followed by {@link HttpHead#status()}, {@link HttpHead#length()}, {@link HttpHead#contentLength()} and
 * {@link HttpHead#chunked()}; a head with folded header lines (obsolete) is handed to {@link HttpHead}.
 *
 * <pre>
 * HTTP/1.x SP status [SP reason] CRLF     (LF alone also ends a line)
 * name ":" OWS value OWS CRLF             (names compared case-insensitively; the first occurrence counts)
 * CRLF                                    (the head ends here: length counts through it)
 * </pre>
 *
 * @param status the status code (100 or more)
 * @param length the head's length in bytes, through the empty line
 * @param contentLength the first Content-Length as a number, or -1 when absent or not a number
 * @param chunked whether the first Transfer-Encoding ends with {@code chunked}
 */
public record ResponseHeadFacts(int status, int length, long contentLength, boolean chunked) {

    private static final int MAX_HEAD_LENGTH = 1 << 20;
    private static final byte[] CONTENT_LENGTH = ascii("content-length");
    private static final byte[] TRANSFER_ENCODING = ascii("transfer-encoding");
    private static final byte[] CHUNKED = ascii("chunked");
    private static final byte[] VERSION = ascii("HTTP/1.");

    /**
     * Reads a response head.
     *
     * @param bytes the stream
     * @param from where the response starts
     * @param limit end of the available bytes
     * @return the facts, or null when the bytes do not start with a whole HTTP/1.x response head
     */
    public static ResponseHeadFacts scan(byte[] bytes, int from, int limit) {
        if (limit - from < 12 || !regionEquals(bytes, from, VERSION)) {
            return null;
        }
        int max = Math.min(limit, from + MAX_HEAD_LENGTH);
        int statusLineEnd = lineEnd(bytes, from, max);
        if (statusLineEnd < 0) {
            return null;
        }
        int status = statusLineEnd - from >= 12 ? status(bytes, from + 9) : -1;
        long contentLength = -1;
        boolean contentLengthSeen = false;
        boolean chunked = false;
        boolean transferEncodingSeen = false;
        int lineStart = next(bytes, statusLineEnd);
        while (true) {
            int lineEnd = lineEnd(bytes, lineStart, max);
            if (lineEnd < 0) {
                return null;
            }
            if (lineEnd == lineStart) {
                int length = next(bytes, lineEnd) - from;
                return status >= 100 ? new ResponseHeadFacts(status, length, contentLength, chunked) : null;
            }
            if (bytes[lineStart] == ' ' || bytes[lineStart] == '\t') {
                return folded(bytes, from, limit); // obsolete line folding: rare, left to the string parser
            }
            int colon = indexOf(bytes, lineStart, lineEnd, (byte) ':');
            if (colon <= lineStart) {
                return null;
            }
            int nameStart = skipBlanks(bytes, lineStart, colon);
            int nameEnd = trimBlanks(bytes, nameStart, colon);
            int valueStart = skipBlanks(bytes, colon + 1, lineEnd);
            int valueEnd = trimBlanks(bytes, valueStart, lineEnd);
            if (!contentLengthSeen && nameIs(bytes, nameStart, nameEnd, CONTENT_LENGTH)) {
                contentLengthSeen = true;
                contentLength = number(bytes, valueStart, valueEnd);
            } else if (!transferEncodingSeen && nameIs(bytes, nameStart, nameEnd, TRANSFER_ENCODING)) {
                transferEncodingSeen = true;
                chunked = valueEnd - valueStart >= CHUNKED.length
                    && nameIs(bytes, valueEnd - CHUNKED.length, valueEnd, CHUNKED);
            }
            lineStart = next(bytes, lineEnd);
        }
    }

    private static ResponseHeadFacts folded(byte[] bytes, int from, int limit) {
        HttpHead head = HttpHead.parseResponse(bytes, from, limit);
        return head == null ? null
            : new ResponseHeadFacts(head.status(), head.length(), head.contentLength(), head.chunked());
    }

    /** Where the line starting at from ends (before its CR LF or LF), or -1 when no LF comes before max. */
    private static int lineEnd(byte[] bytes, int from, int max) {
        for (int index = from; index < max; index++) {
            if (bytes[index] == '\n') {
                return index > from && bytes[index - 1] == '\r' ? index - 1 : index;
            }
        }
        return -1;
    }

    /** The start of the next line, given where this one's text ended. */
    private static int next(byte[] bytes, int lineEnd) {
        return bytes[lineEnd] == '\r' ? lineEnd + 2 : lineEnd + 1;
    }

    private static int status(byte[] bytes, int at) {
        int value = 0;
        for (int index = at; index < at + 3; index++) {
            int digit = bytes[index] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static long number(byte[] bytes, int from, int to) {
        if (from == to || to - from > 18) {
            return -1;
        }
        int index = from;
        if (bytes[index] == '+') {
            index++; // Long.parseLong accepts a plus sign: the same answer as the string parser
            if (index == to) {
                return -1;
            }
        }
        long value = 0;
        for (; index < to; index++) {
            int digit = bytes[index] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static int indexOf(byte[] bytes, int from, int to, byte wanted) {
        for (int index = from; index < to; index++) {
            if (bytes[index] == wanted) {
                return index;
            }
        }
        return -1;
    }

    /** Blanks as {@link String#strip()} sees them in ISO-8859-1 text. */
    private static boolean blank(byte value) {
        return Character.isWhitespace((char) (value & 0xff));
    }

    private static int skipBlanks(byte[] bytes, int from, int to) {
        int index = from;
        while (index < to && blank(bytes[index])) {
            index++;
        }
        return index;
    }

    private static int trimBlanks(byte[] bytes, int from, int to) {
        int index = to;
        while (index > from && blank(bytes[index - 1])) {
            index--;
        }
        return index;
    }

    /** Whether bytes[from, to) equal the lower-case ASCII name, ignoring case. */
    private static boolean nameIs(byte[] bytes, int from, int to, byte[] lowerCase) {
        if (to - from != lowerCase.length) {
            return false;
        }
        for (int index = 0; index < lowerCase.length; index++) {
            int value = bytes[from + index];
            if (value >= 'A' && value <= 'Z') {
                value += 'a' - 'A';
            }
            if (value != lowerCase[index]) {
                return false;
            }
        }
        return true;
    }

    private static boolean regionEquals(byte[] bytes, int from, byte[] expected) {
        for (int index = 0; index < expected.length; index++) {
            if (bytes[from + index] != expected[index]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
