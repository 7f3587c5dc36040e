package io.pcapreplay.net;

import java.util.List;
import java.util.Objects;

/**
 * One pre-flight check's result: what was checked, how it ended, what was found, and for a warning or a failure
 * what to check or run to fix it (commands, in order).
 *
 * @param name the check, e.g. {@code probe} (stable: scripts and tests match on it)
 * @param status how it ended
 * @param message what was found, one line
 * @param fixes what to check or run, one line each, in order; empty when nothing is to be done
 */
public record CheckResult(String name, CheckStatus status, String message, List<String> fixes) {

    /** Checks and copies the fields. */
    public CheckResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        fixes = List.copyOf(fixes);
    }

    static CheckResult ok(String name, String message) {
        return new CheckResult(name, CheckStatus.OK, message, List.of());
    }

    static CheckResult skip(String name, String message) {
        return new CheckResult(name, CheckStatus.SKIP, message, List.of());
    }

    static CheckResult warn(String name, String message, String... fixes) {
        return new CheckResult(name, CheckStatus.WARN, message, List.of(fixes));
    }

    static CheckResult fail(String name, String message, String... fixes) {
        return new CheckResult(name, CheckStatus.FAIL, message, List.of(fixes));
    }

    /** Tells whether the check failed: whether it did. */
    public boolean failed() {
        return status == CheckStatus.FAIL;
    }

    /** Returns the result as one line (for a log): status, name, message, then each fix after {@code " | "}. */
    public String oneLine() {
        StringBuilder line = new StringBuilder().append(status).append(' ').append(name).append(": ").append(message);
        for (String fix : fixes) {
            line.append(" | ").append(fix);
        }
        return line.toString();
    }

    /** Returns the result as lines (for a terminal): the status line, then each fix indented. */
    public List<String> lines() {
        List<String> lines = new java.util.ArrayList<>();
        lines.add(String.format("%-4s %s: %s", status, name, message));
        for (String fix : fixes) {
            lines.add("       " + fix);
        }
        return lines;
    }
}
