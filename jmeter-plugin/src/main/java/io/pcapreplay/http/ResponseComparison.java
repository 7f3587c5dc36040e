package io.pcapreplay.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Compares a replayed response with the recorded one: the HTTP status, chosen header fields and the body (exact, with
 * regions matching regular expressions ignored, or as JSON through a comparator the caller gives). Responses that are
 * not HTTP (redis, memcached, ...) are compared as a whole, exactly or with the ignored regions. Bodies are compared
 * decoded: chunked framing and gzip content coding are removed first.
 */
public final class ResponseComparison {

    /** How bodies are compared. */
    public enum BodyMode {
        /** Byte for byte (after the ignored regions, if any, are masked). */
        EXACT,
        /** As JSON documents, through the JSON comparator. */
        JSON,
        /** Not at all. */
        NONE
    }

    /**
     * What to compare.
     *
     * @param status compare the HTTP status
     * @param headers header names whose values must be equal
     * @param bodyMode how to compare bodies
     * @param ignore regions to ignore: every match is masked on both sides (also in the chosen header values)
     */
    public record Options(boolean status, List<String> headers, BodyMode bodyMode, List<Pattern> ignore) {
        /** Copies the lists. */
        public Options {
            headers = List.copyOf(headers);
            ignore = List.copyOf(ignore);
            Objects.requireNonNull(bodyMode, "bodyMode");
        }
    }

    /** A response split into its head (null when not HTTP) and decoded body. */
    record Message(HttpHead head, byte[] body) {
    }

    private static final String MASK = "<ignored>";

    private ResponseComparison() {
    }

    /**
     * Compares.
     *
     * @param recorded the recorded response bytes
     * @param replayed the replayed response bytes
     * @param options what to compare
     * @param jsonDiff for {@link BodyMode#JSON}: (recorded body, replayed body) to a difference text, null when equal
     * @return null when they match; else a readable description of the differences, one per line
     */
    public static String compare(byte[] recorded, byte[] replayed, Options options,
            BiFunction<String, String, String> jsonDiff) {
        Message before = message(recorded);
        Message after = message(replayed);
        List<String> differences = new ArrayList<>();
        if (before.head() != null && after.head() == null) {
            differences.add("replayed response is not HTTP: '" + TextDiff.cut(firstLine(replayed)) + "'");
            return String.join("\n", differences);
        }
        if (before.head() != null && options.status() && before.head().status() != after.head().status()) {
            differences.add("status: recorded " + before.head().status() + ", replayed " + after.head().status());
        }
        if (before.head() != null) {
            for (String name : options.headers()) {
                String left = mask(before.head().header(name), options);
                String right = mask(after.head().header(name), options);
                if (!Objects.equals(left, right)) {
                    differences.add("header " + name + ": recorded " + quote(left) + ", replayed " + quote(right));
                }
            }
        }
        String body = body(before, after, options, jsonDiff);
        if (body != null) {
            differences.add(body);
        }
        return differences.isEmpty() ? null : String.join("\n", differences);
    }

    private static String body(Message before, Message after, Options options,
            BiFunction<String, String, String> jsonDiff) {
        if (options.bodyMode() == BodyMode.NONE) {
            return null;
        }
        String left = new String(before.body(), StandardCharsets.UTF_8);
        String right = new String(after.body(), StandardCharsets.UTF_8);
        String what = before.head() == null ? "response" : "body";
        String sizes = " (recorded " + before.body().length + " bytes, replayed " + after.body().length + " bytes)";
        if (options.bodyMode() == BodyMode.JSON) {
            String difference = jsonDiff.apply(left, right);
            return difference == null ? null : what + " (JSON)" + sizes + ": " + difference;
        }
        String difference = TextDiff.describe(mask(left, options), mask(right, options));
        return difference == null ? null : what + sizes + ": " + difference;
    }

    private static String mask(String text, Options options) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (Pattern pattern : options.ignore()) {
            masked = pattern.matcher(masked).replaceAll(MASK);
        }
        return masked;
    }

    static Message message(byte[] bytes) {
        HttpHead head = HttpHead.parseResponse(bytes, 0, bytes.length);
        int start = 0;
        while (head != null && head.status() < 200 && head.status() != 101) {
            start += head.length(); // skip interim responses
            head = HttpHead.parseResponse(bytes, start, bytes.length);
        }
        if (head == null) {
            return new Message(null, bytes);
        }
        int end = HttpFraming.responseEnd(bytes, start, head, null, bytes.length);
        byte[] body = HttpFraming.body(bytes, start, head, end == HttpFraming.INCOMPLETE ? bytes.length : end);
        String encoding = head.header("Content-Encoding");
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("gzip")) {
            body = gunzip(body);
        }
        return new Message(head, body);
    }

    private static byte[] gunzip(byte[] body) {
        try (InputStream input = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return input.readAllBytes();
        } catch (IOException e) {
            return body; // not gzip after all: compare as it is
        }
    }

    private static String firstLine(byte[] bytes) {
        String text = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.ISO_8859_1);
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).strip();
    }

    private static String quote(String value) {
        return value == null ? "(absent)" : "'" + TextDiff.cut(value) + "'";
    }
}
