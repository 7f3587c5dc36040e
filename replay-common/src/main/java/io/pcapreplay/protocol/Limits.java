package io.pcapreplay.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Validation helpers shared by the message records. */
final class Limits {

    private Limits() {
    }

    static String text(String what, String value, int maxBytes) {
        if (value == null) {
            throw new IllegalArgumentException(what + ": null (expected: a string of at most " + maxBytes
                    + " UTF-8 bytes)");
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw new IllegalArgumentException(what + ": " + bytes + " UTF-8 bytes (expected: at most " + maxBytes
                    + ")");
        }
        return value;
    }

    static long range(String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + ": " + value + " (expected: " + min + ".." + max + ")");
        }
        return value;
    }

    static <T> List<T> list(String what, List<T> values, int min, int max) {
        if (values == null) {
            throw new IllegalArgumentException(what + ": null (expected: a list)");
        }
        range(what + " count", values.size(), min, max);
        for (T value : values) {
            if (value == null) {
                throw new IllegalArgumentException(what + ": a null element (expected: none)");
            }
        }
        return List.copyOf(values);
    }
}
