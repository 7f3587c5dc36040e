package io.pcapreplay.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Request rewriting and filtering rules in goreplay's spelling, one per line ({@code --} optional, {@code #} starts a
 * comment line):
 *
 * <pre>
 * --http-allow-url REGEX             keep only requests whose target (path?query) matches one of these
 * --http-disallow-url REGEX          drop requests whose target matches
 * --http-allow-method METHOD         keep only these methods
 * --http-allow-header Name: REGEX    keep only requests whose header matches (all of these)
 * --http-disallow-header Name: REGEX drop requests whose header matches
 * --http-rewrite-url REGEX:REPLACEMENT   e.g. /v1/(.*):/v2/$1
 * --http-set-param name=value        set a query parameter
 * --http-rewrite-header Name: REGEX,REPLACEMENT
 * --http-remove-header Name
 * --http-set-header Name: value      (Host: sets the Host header)
 * --http-rewrite-body REGEX:REPLACEMENT   (body text; Content-Length follows)
 * </pre>
 *
 * <p>In {@code REGEX:REPLACEMENT} the first colon not preceded by a backslash separates the two ({@code \:} is a
 * colon in the regular expression); the replacement takes {@code $1} groups. Filters look at the recorded request;
 * the rewrites then apply in the order above.
 *
 * @param allowUrls allow-url patterns
 * @param disallowUrls disallow-url patterns
 * @param allowMethods allowed methods (upper case), empty for all
 * @param allowHeaders header filters that must all match
 * @param disallowHeaders header filters of which none may match
 * @param urlRewrites URL rewrites
 * @param setParameters query parameters to set, {@code name=value}
 * @param headerRewrites header value rewrites
 * @param removeHeaders header names to remove
 * @param setHeaders header fields to set (replacing, else added)
 * @param bodyRewrites body rewrites
 */
public record RewriteRules(List<Pattern> allowUrls, List<Pattern> disallowUrls, Set<String> allowMethods,
        List<HeaderPattern> allowHeaders, List<HeaderPattern> disallowHeaders, List<Replacement> urlRewrites,
        List<HttpHeader> setParameters, List<HeaderRewrite> headerRewrites, List<String> removeHeaders,
        List<HttpHeader> setHeaders, List<Replacement> bodyRewrites) {

    /** No rules: every request passes unchanged. */
    public static final RewriteRules NONE = new RewriteRules(List.of(), List.of(), Set.of(), List.of(), List.of(),
        List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    /** A regular expression and its replacement. */
    public record Replacement(Pattern pattern, String replacement) {
    }

    /** A header name and a pattern its value must match. */
    public record HeaderPattern(String name, Pattern pattern) {
    }

    /** A header name, a pattern in its value and the replacement. */
    public record HeaderRewrite(String name, Pattern pattern, String replacement) {
    }

    /** Copies the lists. */
    public RewriteRules {
        allowUrls = List.copyOf(allowUrls);
        disallowUrls = List.copyOf(disallowUrls);
        allowMethods = Set.copyOf(allowMethods);
        allowHeaders = List.copyOf(allowHeaders);
        disallowHeaders = List.copyOf(disallowHeaders);
        urlRewrites = List.copyOf(urlRewrites);
        setParameters = List.copyOf(setParameters);
        headerRewrites = List.copyOf(headerRewrites);
        removeHeaders = List.copyOf(removeHeaders);
        setHeaders = List.copyOf(setHeaders);
        bodyRewrites = List.copyOf(bodyRewrites);
    }

    /**
     * Parses rules, one per line.
     *
     * @param text the rules; blank for none
     * @return the rules
     * @throws IllegalArgumentException naming the line, what is wrong and the expected form
     */
    public static RewriteRules parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        Lists lists = new Lists();
        int number = 0;
        for (String raw : text.split("\r?\n")) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                lists.add(line);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("HTTP rule line " + number + ": '" + line + "': bad regular "
                    + "expression: " + e.getDescription() + " (expected: a java.util.regex pattern)", e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("HTTP rule line " + number + ": '" + line + "': "
                    + e.getMessage(), e);
            }
        }
        return lists.build();
    }

    /** Tells whether there is no rule: whether every request passes unchanged. */
    public boolean isEmpty() {
        return equals(NONE);
    }

    /** Tells whether some rule changes request bodies: whether one does. */
    public boolean rewritesBodies() {
        return !bodyRewrites.isEmpty();
    }

    /** The lists being filled while parsing. */
    private static final class Lists {
        private final List<Pattern> allowUrls = new ArrayList<>();
        private final List<Pattern> disallowUrls = new ArrayList<>();
        private final Set<String> allowMethods = new TreeSet<>();
        private final List<HeaderPattern> allowHeaders = new ArrayList<>();
        private final List<HeaderPattern> disallowHeaders = new ArrayList<>();
        private final List<Replacement> urlRewrites = new ArrayList<>();
        private final List<HttpHeader> setParameters = new ArrayList<>();
        private final List<HeaderRewrite> headerRewrites = new ArrayList<>();
        private final List<String> removeHeaders = new ArrayList<>();
        private final List<HttpHeader> setHeaders = new ArrayList<>();
        private final List<Replacement> bodyRewrites = new ArrayList<>();

        void add(String line) {
            String flag = line.replaceFirst("^-{1,2}", "");
            int split = indexOfSeparator(flag);
            String name = (split < 0 ? flag : flag.substring(0, split)).toLowerCase(Locale.ROOT);
            String value = split < 0 ? "" : unquote(flag.substring(split + 1).strip());
            if (value.isEmpty()) {
                throw new IllegalArgumentException("no value (expected: --" + name + " VALUE)");
            }
            switch (name) {
                case "http-allow-url" -> allowUrls.add(Pattern.compile(value));
                case "http-disallow-url" -> disallowUrls.add(Pattern.compile(value));
                case "http-allow-method" -> allowMethods.add(value.toUpperCase(Locale.ROOT));
                case "http-allow-header" -> allowHeaders.add(headerPattern(value));
                case "http-disallow-header" -> disallowHeaders.add(headerPattern(value));
                case "http-rewrite-url" -> urlRewrites.add(replacement(value));
                case "http-set-param" -> setParameters.add(parameter(value));
                case "http-rewrite-header" -> headerRewrites.add(headerRewrite(value));
                case "http-remove-header" -> removeHeaders.add(value);
                case "http-set-header" -> setHeaders.add(header(value));
                case "http-rewrite-body" -> bodyRewrites.add(replacement(value));
                default -> throw new IllegalArgumentException("unknown rule '" + name + "' (expected: http-allow-url, "
                    + "http-disallow-url, http-allow-method, http-allow-header, http-disallow-header, "
                    + "http-rewrite-url, http-set-param, http-rewrite-header, http-remove-header, http-set-header or "
                    + "http-rewrite-body)");
            }
        }

        RewriteRules build() {
            return new RewriteRules(allowUrls, disallowUrls, allowMethods, allowHeaders, disallowHeaders, urlRewrites,
                setParameters, headerRewrites, removeHeaders, setHeaders, bodyRewrites);
        }
    }

    private static int indexOfSeparator(String flag) {
        for (int index = 0; index < flag.length(); index++) {
            char value = flag.charAt(index);
            if (value == ' ' || value == '\t' || value == '=') {
                return index;
            }
        }
        return -1;
    }

    private static String unquote(String value) {
        if (value.length() >= 2) {
            char quote = value.charAt(0);
            String inside = value.substring(1, value.length() - 1);
            if ((quote == '\'' || quote == '"') && value.charAt(value.length() - 1) == quote
                    && inside.indexOf(quote) < 0) {
                return inside; // quoted as on goreplay's command line
            }
        }
        return value;
    }

    private static Replacement replacement(String value) {
        int colon = -1;
        for (int index = 0; index < value.length(); index++) {
            if (value.charAt(index) == ':' && (index == 0 || value.charAt(index - 1) != '\\')) {
                colon = index;
                break;
            }
        }
        if (colon <= 0) {
            throw new IllegalArgumentException("no ':' between the regular expression and the replacement "
                + "(expected: REGEX:REPLACEMENT, \\: for a colon in the regular expression)");
        }
        return new Replacement(Pattern.compile(value.substring(0, colon)), value.substring(colon + 1));
    }

    private static HttpHeader header(String value) {
        int colon = value.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("no header name (expected: Name: value)");
        }
        return new HttpHeader(value.substring(0, colon).strip(), value.substring(colon + 1).strip());
    }

    private static HeaderPattern headerPattern(String value) {
        HttpHeader header = header(value);
        return new HeaderPattern(header.name(), Pattern.compile(header.value()));
    }

    private static HeaderRewrite headerRewrite(String value) {
        HttpHeader header = header(value);
        int comma = header.value().lastIndexOf(',');
        if (comma <= 0) {
            throw new IllegalArgumentException("no ',' between the regular expression and the replacement "
                + "(expected: Name: REGEX,REPLACEMENT)");
        }
        return new HeaderRewrite(header.name(), Pattern.compile(header.value().substring(0, comma)),
            header.value().substring(comma + 1));
    }

    private static HttpHeader parameter(String value) {
        int equals = value.indexOf('=');
        if (equals <= 0) {
            throw new IllegalArgumentException("no parameter name (expected: name=value)");
        }
        return new HttpHeader(value.substring(0, equals), value.substring(equals + 1));
    }
}
