package io.pcapreplay.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

/** Applies {@link RewriteRules} to one HTTP/1.x request: the filter decision, the new head, the new body. */
final class RequestRewriter {

    private final RewriteRules rules;

    RequestRewriter(RewriteRules rules) {
        this.rules = rules;
    }

    /** Tells whether the recorded request passes the filters: whether it is replayed. */
    boolean allows(HttpHead head) {
        String target = head.target();
        if (!rules.allowMethods().isEmpty() && !rules.allowMethods().contains(head.method())) {
            return false;
        }
        if (!rules.allowUrls().isEmpty()
                && rules.allowUrls().stream().noneMatch(pattern -> pattern.matcher(target).find())) {
            return false;
        }
        if (rules.disallowUrls().stream().anyMatch(pattern -> pattern.matcher(target).find())) {
            return false;
        }
        for (RewriteRules.HeaderPattern filter : rules.allowHeaders()) {
            String value = head.header(filter.name());
            if (value == null || !filter.pattern().matcher(value).find()) {
                return false;
            }
        }
        for (RewriteRules.HeaderPattern filter : rules.disallowHeaders()) {
            String value = head.header(filter.name());
            if (value != null && filter.pattern().matcher(value).find()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns the rewritten body in the request's framing, or null when the rules leave it as recorded.
     *
     * @param bytes the stream
     * @param start where the request starts
     * @param head its head
     * @param end where it ends
     */
    byte[] body(byte[] bytes, int start, HttpHead head, int end) {
        if (!rules.rewritesBodies()) {
            return null;
        }
        byte[] recorded = HttpFraming.body(bytes, start, head, end);
        String text = new String(recorded, StandardCharsets.ISO_8859_1);
        String rewritten = text;
        for (RewriteRules.Replacement rewrite : rules.bodyRewrites()) {
            rewritten = rewrite.pattern().matcher(rewritten).replaceAll(rewrite.replacement());
        }
        if (rewritten.equals(text)) {
            return null;
        }
        byte[] data = rewritten.getBytes(StandardCharsets.ISO_8859_1);
        if (!head.chunked()) {
            return data;
        }
        ByteArrayOutputStream chunked = new ByteArrayOutputStream(data.length + 16);
        if (data.length > 0) {
            chunked.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            chunked.writeBytes(data);
            chunked.writeBytes(new byte[] {'\r', '\n'});
        }
        chunked.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return chunked.toByteArray();
    }

    /**
     * Returns the rewritten head, or null when the rules leave it as recorded.
     *
     * @param head the recorded head
     * @param newBodyLength the rewritten body's length when not chunked (Content-Length follows), -1 when unchanged
     */
    byte[] head(HttpHead head, long newBodyLength) {
        String target = head.target();
        String newTarget = target;
        for (RewriteRules.Replacement rewrite : rules.urlRewrites()) {
            Matcher matcher = rewrite.pattern().matcher(newTarget);
            if (matcher.find()) {
                newTarget = matcher.replaceAll(rewrite.replacement());
            }
        }
        for (HttpHeader parameter : rules.setParameters()) {
            newTarget = setParameter(newTarget, parameter.name(), parameter.value());
        }
        List<HttpHeader> headers = new ArrayList<>(head.headers());
        headers.removeIf(header -> rules.removeHeaders().stream().anyMatch(header::is));
        for (RewriteRules.HeaderRewrite rewrite : rules.headerRewrites()) {
            for (int index = 0; index < headers.size(); index++) {
                HttpHeader header = headers.get(index);
                Matcher matcher = rewrite.pattern().matcher(header.value());
                if (header.is(rewrite.name()) && matcher.find()) {
                    headers.set(index, new HttpHeader(header.name(), matcher.replaceAll(rewrite.replacement())));
                }
            }
        }
        for (HttpHeader set : rules.setHeaders()) {
            set(headers, set.name(), set.value());
        }
        if (newBodyLength >= 0 && !head.chunked()) {
            set(headers, "Content-Length", Long.toString(newBodyLength));
        }
        if (newTarget.equals(target) && headers.equals(head.headers())) {
            return null;
        }
        String startLine = head.method() + " " + newTarget + " " + head.version();
        return HttpHead.serialize(startLine, headers);
    }

    private static void set(List<HttpHeader> headers, String name, String value) {
        int first = -1;
        for (int index = 0; index < headers.size(); index++) {
            if (headers.get(index).is(name)) {
                if (first < 0) {
                    first = index;
                    headers.set(index, new HttpHeader(headers.get(index).name(), value));
                } else {
                    headers.remove(index--);
                }
            }
        }
        if (first < 0) {
            headers.add(new HttpHeader(name, value));
        }
    }

    static String setParameter(String target, String name, String value) {
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        List<String> parameters = new ArrayList<>();
        boolean replaced = false;
        if (question >= 0 && question + 1 < target.length()) {
            for (String parameter : target.substring(question + 1).split("&")) {
                String key = parameter.contains("=") ? parameter.substring(0, parameter.indexOf('=')) : parameter;
                if (key.equals(name)) {
                    if (!replaced) {
                        parameters.add(name + "=" + value);
                        replaced = true;
                    }
                } else {
                    parameters.add(parameter);
                }
            }
        }
        if (!replaced) {
            parameters.add(name + "=" + value);
        }
        return path + "?" + String.join("&", parameters);
    }
}
