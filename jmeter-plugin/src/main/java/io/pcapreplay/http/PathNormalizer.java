package io.pcapreplay.http;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Normalises request paths for sample labels so that the dashboard groups {@code /user/1234} and {@code /user/5678}:
 * the query string is dropped, then every path segment that is a number, a UUID, or a long hexadecimal or
 * alphanumeric id becomes {@code {id}}; extra {@code REGEX:REPLACEMENT} rules apply to the result.
 */
public final class PathNormalizer {

    /** The built-in rules only. */
    public static final PathNormalizer DEFAULT = new PathNormalizer(List.of());

    private static final Pattern NUMBER = Pattern.compile("-?\\d+([.,]\\d+)?");
    private static final Pattern UUID = Pattern.compile(
        "(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern HEX_ID = Pattern.compile("(?i)[0-9a-f]{16,}");
    private static final Pattern MIXED_ID = Pattern.compile("(?=[A-Za-z_-]*\\d)(?=\\d*[A-Za-z])[A-Za-z0-9_-]{20,}");

    private final List<RewriteRules.Replacement> extra;

    /**
     * @param extra rules applied after the built-in ones
     */
    public PathNormalizer(List<RewriteRules.Replacement> extra) {
        this.extra = List.copyOf(extra);
    }

    /**
     * Parses extra rules, {@code REGEX:REPLACEMENT} (as {@code --http-rewrite-url}) separated by new lines or
     * {@code ;}.
     *
     * @param text the rules; blank for the built-in ones only
     * @return the normaliser
     * @throws IllegalArgumentException naming the bad line
     */
    public static PathNormalizer parse(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT;
        }
        StringBuilder rules = new StringBuilder();
        for (String line : text.split("\r?\n|;")) {
            if (!line.isBlank()) {
                rules.append("--http-rewrite-url ").append(line.strip()).append('\n');
            }
        }
        return new PathNormalizer(RewriteRules.parse(rules.toString()).urlRewrites());
    }

    /**
     * Normalises a request target.
     *
     * @param target the path and query, e.g. {@code /user/1234?tab=2}
     * @return e.g. {@code /user/{id}}
     */
    public String normalize(String target) {
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        String[] segments = path.split("/", -1);
        List<String> normalized = new ArrayList<>(segments.length);
        for (String segment : segments) {
            boolean id = NUMBER.matcher(segment).matches() || UUID.matcher(segment).matches()
                || HEX_ID.matcher(segment).matches() || MIXED_ID.matcher(segment).matches();
            normalized.add(id ? "{id}" : segment);
        }
        String result = String.join("/", normalized);
        for (RewriteRules.Replacement rule : extra) {
            result = rule.pattern().matcher(result).replaceAll(rule.replacement());
        }
        return result;
    }
}
