package io.pcapreplay.http;

import java.util.Objects;

/**
 * One header field of an HTTP/1.x message, as recorded (ISO-8859-1 text).
 *
 * @param name the field name, case as recorded
 * @param value the field value, without surrounding blanks
 */
public record HttpHeader(String name, String value) {

    /** Checks both parts. */
    public HttpHeader {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /**
     * Tells whether this field has a name (case-insensitive).
     *
     * @param other the name
     * @return whether it is this field's name
     */
    public boolean is(String other) {
        return name.equalsIgnoreCase(other);
    }
}
