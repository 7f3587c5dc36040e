package io.pcapreplay.jmeter;

import io.pcapreplay.http.ResponseComparison;
import io.pcapreplay.tcp.Outcome;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.jmeter.assertions.Assertion;
import org.apache.jmeter.assertions.AssertionResult;
import org.apache.jmeter.samplers.SampleResult;
import org.apache.jmeter.testbeans.TestBean;
import org.apache.jmeter.testelement.AbstractTestElement;
import org.apache.jmeter.threads.JMeterContextService;

/**
 * "Recorded Response Assertion": compares the replayed response of a Pcap Session Sampler's sample with the response
 * recorded in the capture: HTTP status, chosen header fields, and the body (exact; regions matching the ignore
 * regexes masked on both sides; or as JSON without the ignored JSON paths). Non-HTTP responses (redis, memcached) are
 * compared as a whole, exactly or with the ignore regexes. The failure message is a short diff. The recorded
 * exchange comes from the sampling thread's variables ({@link ReplayedExchange}); a sample that holds only part of
 * the replayed response (the sampler's "Response bytes to keep") fails, saying so.
 */
public class RecordedResponseAssertion extends AbstractTestElement implements Assertion, TestBean {

    private static final long serialVersionUID = 1L;

    private String compareStatus = "true";
    private String headers = "Content-Type";
    private String bodyMode = "exact";
    private String ignoreRegexes = "";
    private String ignoreJsonPaths = "";
    private transient String compiledSettings;
    private transient ResponseComparison.Options compiledOptions;
    private transient JsonBodyDiff compiledJson;
    private transient String compiledError;

    @Override
    public AssertionResult getResult(SampleResult sample) {
        AssertionResult result = new AssertionResult(getName());
        ReplayedExchange exchange = ReplayedExchange.find(JMeterContextService.getContext().getVariables());
        String failure = check(sample, exchange);
        if (failure != null) {
            result.setFailure(true);
            result.setFailureMessage(failure);
        }
        return result;
    }

    /** Returns null when the sample matches the recording, else why not. */
    String check(SampleResult sample, ReplayedExchange exchange) {
        if (exchange == null) {
            return "no recorded exchange for sample '" + sample.getSampleLabel() + "' (expected: the assertion under "
                + "a Pcap Session Sampler, not in per-session parent mode)";
        }
        for (Outcome outcome : Outcome.values()) {
            if (outcome != Outcome.OK && outcome.name().equals(sample.getResponseCode())) {
                return "nothing to compare: the replay ended " + outcome + " (" + sample.getResponseMessage() + ")";
            }
        }
        if (exchange.cut()) {
            return "replayed response cut at " + exchange.bytesKept() + " of " + exchange.bytesReceived()
                + " bytes by the sampler's 'Response bytes to keep' (expected: at least " + exchange.bytesReceived()
                + " to compare it whole; raise responseBytes)";
        }
        String settings = compareStatus + '\u0000' + headers + '\u0000' + bodyMode + '\u0000' + ignoreRegexes + '\u0000'
            + ignoreJsonPaths;
        if (!settings.equals(compiledSettings)) { // compiled once per distinct field values, not per sample
            try {
                compiledOptions = options();
                compiledJson = new JsonBodyDiff(lines(ignoreJsonPaths));
                compiledError = null;
            } catch (IllegalArgumentException e) {
                compiledError = getName() + ": " + e.getMessage();
            }
            compiledSettings = settings;
        }
        if (compiledError != null) {
            return compiledError;
        }
        ResponseComparison.Options options = compiledOptions;
        JsonBodyDiff json = compiledJson;
        String difference = ResponseComparison.compare(bytes(exchange.recorded().response()),
            sample.getResponseData(), options, json);
        return difference == null ? null : "replayed response differs from the recorded one:\n" + difference;
    }

    ResponseComparison.Options options() {
        ResponseComparison.BodyMode mode = switch (text(bodyMode).toLowerCase(Locale.ROOT)) {
            case "", "exact" -> ResponseComparison.BodyMode.EXACT;
            case "json" -> ResponseComparison.BodyMode.JSON;
            case "none" -> ResponseComparison.BodyMode.NONE;
            default -> throw new IllegalArgumentException("body comparison: '" + bodyMode
                + "' (expected: exact, json or none)");
        };
        List<Pattern> ignore = new ArrayList<>();
        for (String line : lines(ignoreRegexes)) {
            try {
                ignore.add(Pattern.compile(line));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("ignore regex: '" + line + "': " + e.getDescription()
                    + " (expected: a java.util.regex pattern)", e);
            }
        }
        List<String> names = new ArrayList<>();
        for (String name : text(headers).split("[,;\\s]+")) {
            if (!name.isBlank()) {
                names.add(name);
            }
        }
        return new ResponseComparison.Options(!"false".equalsIgnoreCase(text(compareStatus)), names, mode, ignore);
    }

    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text(text).split("\r?\n")) {
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        return lines;
    }

    private static String text(String value) {
        return value == null ? "" : value.trim();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    public String getCompareStatus() {
        return compareStatus;
    }

    public void setCompareStatus(String value) {
        compareStatus = value;
    }

    public String getHeaders() {
        return headers;
    }

    public void setHeaders(String value) {
        headers = value;
    }

    public String getBodyMode() {
        return bodyMode;
    }

    public void setBodyMode(String value) {
        bodyMode = value;
    }

    public String getIgnoreRegexes() {
        return ignoreRegexes;
    }

    public void setIgnoreRegexes(String value) {
        ignoreRegexes = value;
    }

    public String getIgnoreJsonPaths() {
        return ignoreJsonPaths;
    }

    public void setIgnoreJsonPaths(String value) {
        ignoreJsonPaths = value;
    }
}
