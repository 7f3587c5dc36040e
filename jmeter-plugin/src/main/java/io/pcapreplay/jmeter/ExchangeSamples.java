package io.pcapreplay.jmeter;

import io.pcapreplay.http.PathNormalizer;
import io.pcapreplay.pcap.Exchange;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.ExchangeResult;
import io.pcapreplay.tcp.Outcome;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.jmeter.assertions.AssertionResult;
import org.apache.jmeter.samplers.SampleResult;

/**
 * Turns one replayed exchange into a JMeter sample: label (HTTP request line or {@code <port> #<index>}), times,
 * bytes on the wire, and response code (the HTTP status, or the {@link Outcome} name when the exchange failed).
 *
 * <p>Times follow JMeter's HTTP sampler, measured on the wire ({@link ExchangeResult}): the sample starts when the
 * first SYN left (first exchange of a connection) or when the request's first segment left (later exchanges, like a
 * keep-alive request of the HTTP sampler); connect = until the SYN-ACK was on the wire (first exchange only, else
 * 0, as for a reused connection); latency = until the first response byte was on the wire (so the first exchange's
 * latency includes its connect time, as in JMeter); elapsed = until the last response byte. A first request that
 * left later than due after the SYN-ACK is the replayer's delay, left out (the start moves by it). Each is the
 * difference of the events' wall-clock milliseconds, as JMeter's own samplers compute them.
 */
public final class ExchangeSamples {

    /** Request bytes shown as the sampler data (View Results Tree). */
    static final int REQUEST_PREVIEW_BYTES = 2_048;
    /** The line in the sampler data after which the recorded response's start follows. */
    public static final String RECORDED_MARK = "--- recorded response";
    private static final int MAX_METHOD_LENGTH = 16;
    private static final int STATUS_START = 9;

    private ExchangeSamples() {
    }

    /**
     * Builds the sample.
     *
     * @param result the engine's result
     * @param session the recorded session it replays
     * @param style how to label it
     * @param samplerName the sampler's name (for {@link LabelStyle#SAMPLER_NAME})
     * @param nowNanos System.nanoTime() now, with {@code nowMillis}: maps engine times to wall-clock times
     * @param nowMillis System.currentTimeMillis() at {@code nowNanos}
     * @return the sample
     */
    public static SampleResult toSample(ExchangeResult result, RecordedSession session, LabelStyle style,
            String samplerName, long nowNanos, long nowMillis) {
        return toSample(result, session, style, PathNormalizer.DEFAULT, samplerName, nowNanos, nowMillis);
    }

    /**
     * Builds the sample, labelling paths with a normaliser ({@link LabelStyle#REQUEST_PATH}). The sampler data
     * (View Results Tree's Request tab) holds the request and, after a {@link #RECORDED_MARK} line, the start of the
     * recorded response.
     *
     * @param result the engine's result
     * @param session the recorded session it replays
     * @param style how to label it
     * @param paths the path normaliser of REQUEST_PATH
     * @param samplerName the sampler's name (for {@link LabelStyle#SAMPLER_NAME})
     * @param nowNanos System.nanoTime() now, with {@code nowMillis}: maps engine times to wall-clock times
     * @param nowMillis System.currentTimeMillis() at {@code nowNanos}
     * @return the sample
     */
    public static SampleResult toSample(ExchangeResult result, RecordedSession session, LabelStyle style,
            PathNormalizer paths, String samplerName, long nowNanos, long nowMillis) {
        SampleResult sample = new SampleResult();
        Exchange exchange = session.exchange(result.exchangeIndex());
        ExchangeTexts.Texts texts = ExchangeTexts.of(exchange, session, style, paths, samplerName);
        sample.setSampleLabel(texts.label());
        sample.setSamplerData(texts.samplerData());
        long start = result.startNanos() >= 0 ? result.startNanos() : nowNanos;
        long end = result.lastByteNanos() >= 0 ? result.lastByteNanos()
            : result.firstByteNanos() >= 0 ? result.firstByteNanos() : nowNanos;
        // as JMeter's own samplers: each event read on a millisecond clock, then differences (so sub-millisecond
        // times average out right over many samples instead of all rounding down)
        long startMillis = wallMillis(start, nowNanos, nowMillis);
        long elapsed = Math.max(0, wallMillis(end, nowNanos, nowMillis) - startMillis);
        sample.setStampAndTime(sample.isStampedAtStart() ? startMillis : startMillis + elapsed, elapsed);
        if (result.firstByteNanos() >= 0) {
            sample.setLatency(Math.max(0, wallMillis(result.firstByteNanos(), nowNanos, nowMillis) - startMillis));
        }
        if (result.connectEndNanos() >= 0) {
            sample.setConnectTime(Math.max(0, wallMillis(result.connectEndNanos(), nowNanos, nowMillis)
                - startMillis));
        }
        byte[] response = result.keptResponse(); // the sample owns the result: no copy
        int headerSize = headerSize(response);
        if (headerSize >= result.bytesReceived()) {
            headerSize = 0; // JMeter reads a 0 body size as "the response data's length": count all as body
        }
        sample.setResponseData(response); // sets the body size to the kept bytes: set the real sizes after it
        sample.setSentBytes(result.bytesSent());
        sample.setHeadersSize(headerSize);
        sample.setBodySize(result.bytesReceived() - headerSize);
        sample.setDataType(SampleResult.TEXT);
        setCode(sample, result, response);
        return sample;
    }

    private static void setCode(SampleResult sample, ExchangeResult result, byte[] response) {
        if (result.outcome() != Outcome.OK) {
            sample.setResponseCode(result.outcome().name());
            String message = result.message().isEmpty() ? result.outcome().name() : result.message();
            fail(sample, result.outcome().name() + ": " + message);
            return;
        }
        int status = httpStatus(response);
        if (status < 0) {
            sample.setResponseCode(Outcome.OK.name());
            sample.setResponseMessage("OK");
            sample.setSuccessful(true);
            return;
        }
        sample.setResponseCode(Integer.toString(status));
        String reason = reasonPhrase(response);
        if (status >= 400) {
            fail(sample, "HTTP " + status + (reason.isEmpty() ? "" : " " + reason));
            sample.setResponseMessage(reason);
        } else {
            sample.setResponseMessage(reason);
            sample.setSuccessful(true);
        }
    }

    private static void fail(SampleResult sample, String message) {
        sample.setSuccessful(false);
        sample.setResponseMessage(message);
        AssertionResult assertion = new AssertionResult("pcap replay");
        assertion.setFailure(true);
        assertion.setFailureMessage(message);
        sample.addAssertionResult(assertion);
    }

    /** Returns the label of an exchange: the text. */
    static String label(Exchange exchange, RecordedSession session, LabelStyle style, String samplerName) {
        return label(exchange, session, style, PathNormalizer.DEFAULT, samplerName);
    }

    /** Returns the label of an exchange, paths normalised by {@code paths} in REQUEST_PATH style: the text. */
    static String label(Exchange exchange, RecordedSession session, LabelStyle style, PathNormalizer paths,
            String samplerName) {
        String fallback = session.server().port() + " #" + exchange.index();
        return switch (style) {
            case REQUEST_LINE -> {
                String requestLine = httpRequestLine(exchange.request());
                yield requestLine != null ? requestLine : fallback;
            }
            case REQUEST_PATH -> {
                String requestLine = httpRequestLine(exchange.request());
                int space = requestLine == null ? -1 : requestLine.indexOf(' ');
                yield space < 0 ? fallback
                    : requestLine.substring(0, space + 1) + paths.normalize(requestLine.substring(space + 1));
            }
            case PORT_AND_INDEX -> fallback;
            case SAMPLER_NAME -> samplerName + " #" + exchange.index();
        };
    }

    /**
     * Returns "METHOD path" when the request starts with an HTTP/1.x request line, else null.
     *
     * @param request the request bytes
     * @return the method and path, or null
     */
    static String httpRequestLine(ByteBuffer request) {
        ByteBuffer bytes = request.duplicate();
        int start = bytes.position();
        int limit = bytes.limit();
        int space = start;
        while (space < limit && space - start <= MAX_METHOD_LENGTH && isMethodChar(bytes.get(space))) {
            space++;
        }
        if (space == start || space >= limit || bytes.get(space) != ' ') {
            return null;
        }
        int pathEnd = space + 1;
        while (pathEnd < limit && bytes.get(pathEnd) != ' ' && bytes.get(pathEnd) != '\r') {
            pathEnd++;
        }
        if (pathEnd == space + 1 || pathEnd + 5 > limit || bytes.get(pathEnd) != ' ') {
            return null;
        }
        String version = ascii(bytes, pathEnd + 1, pathEnd + 6);
        if (!"HTTP/".equals(version)) {
            return null;
        }
        return ascii(bytes, start, pathEnd);
    }

    private static boolean isMethodChar(byte value) {
        return value >= 'A' && value <= 'Z' || value == '-' || value == '_';
    }

    /** Returns the HTTP status of a response starting with "HTTP/1.x NNN", or -1. */
    static int httpStatus(byte[] response) {
        if (response.length < STATUS_START + 3 || !new String(response, 0, 5, StandardCharsets.US_ASCII)
                .equals("HTTP/") || response[STATUS_START - 1] != ' ') {
            return -1;
        }
        int status = 0;
        for (int i = STATUS_START; i < STATUS_START + 3; i++) {
            if (response[i] < '0' || response[i] > '9') {
                return -1;
            }
            status = status * 10 + response[i] - '0';
        }
        return status;
    }

    private static String reasonPhrase(byte[] response) {
        int start = STATUS_START + 4;
        int end = start;
        while (end < response.length && response[end] != '\r' && response[end] != '\n') {
            end++;
        }
        return start < end ? new String(response, start, end - start, StandardCharsets.ISO_8859_1) : "";
    }

    /** Returns the length of the HTTP header block (through the blank line), or 0 when none is found. */
    static int headerSize(byte[] response) {
        if (httpStatus(response) < 0) {
            return 0;
        }
        for (int i = 3; i < response.length; i++) {
            if (response[i] == '\n' && response[i - 1] == '\r' && response[i - 2] == '\n' && response[i - 3] == '\r') {
                return i + 1;
            }
        }
        return 0;
    }

    private static String ascii(ByteBuffer bytes, int from, int to) {
        byte[] copy = new byte[to - from];
        bytes.duplicate().position(from).get(copy);
        return new String(copy, StandardCharsets.ISO_8859_1);
    }

    /** The sampler data of an exchange: the request and, after a {@link #RECORDED_MARK} line, the recorded response. */
    static String samplerData(Exchange exchange) {
        return text(exchange.request(), REQUEST_PREVIEW_BYTES) + "\n" + RECORDED_MARK + " ("
            + exchange.responseLength() + " bytes) ---\n" + text(exchange.response(), REQUEST_PREVIEW_BYTES);
    }

    private static String text(ByteBuffer bytes, int max) {
        ByteBuffer copy = bytes.duplicate();
        byte[] preview = new byte[Math.min(max, copy.remaining())];
        copy.get(preview);
        return new String(preview, StandardCharsets.ISO_8859_1);
    }

    /** The wall-clock millisecond (JMeter's time stamps) of an engine clock time, given a pair read together. */
    private static long wallMillis(long engineNanos, long nowNanos, long nowMillis) {
        return nowMillis + Math.floorDiv(engineNanos - nowNanos, 1_000_000L);
    }
}
