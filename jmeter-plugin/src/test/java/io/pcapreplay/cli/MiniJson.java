package io.pcapreplay.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helper: a strict minimal JSON parser (objects, arrays, strings, numbers, booleans, null). */
final class MiniJson {

    private final String text;
    private int position;

    private MiniJson(String text) {
        this.text = text;
    }

    /** Parses exactly one JSON document (surrounding whitespace allowed). */
    static Object parse(String text) {
        MiniJson parser = new MiniJson(text);
        Object value = parser.value();
        parser.skipSpace();
        if (parser.position != text.length()) {
            throw new IllegalArgumentException("trailing text at " + parser.position);
        }
        return value;
    }

    private Object value() {
        skipSpace();
        char first = text.charAt(position);
        if (first == '{') {
            return object();
        } else if (first == '[') {
            return array();
        } else if (first == '"') {
            return string();
        } else if (text.startsWith("true", position) || text.startsWith("null", position)) {
            position += 4;
            return first == 't' ? Boolean.TRUE : null;
        } else if (text.startsWith("false", position)) {
            position += 5;
            return Boolean.FALSE;
        }
        int start = position;
        while (position < text.length() && "+-0123456789.eE".indexOf(text.charAt(position)) >= 0) {
            position++;
        }
        return Double.parseDouble(text.substring(start, position));
    }

    private Map<String, Object> object() {
        Map<String, Object> members = new LinkedHashMap<>();
        expect('{');
        skipSpace();
        if (text.charAt(position) == '}') {
            position++;
            return members;
        }
        do {
            skipSpace();
            String name = string();
            skipSpace();
            expect(':');
            members.put(name, value());
            skipSpace();
        } while (text.charAt(position++) == ',');
        if (text.charAt(position - 1) != '}') {
            throw new IllegalArgumentException("expected } at " + (position - 1));
        }
        return members;
    }

    private List<Object> array() {
        List<Object> values = new ArrayList<>();
        expect('[');
        skipSpace();
        if (text.charAt(position) == ']') {
            position++;
            return values;
        }
        do {
            values.add(value());
            skipSpace();
        } while (text.charAt(position++) == ',');
        if (text.charAt(position - 1) != ']') {
            throw new IllegalArgumentException("expected ] at " + (position - 1));
        }
        return values;
    }

    private String string() {
        expect('"');
        StringBuilder result = new StringBuilder();
        while (true) {
            char character = text.charAt(position++);
            if (character == '"') {
                return result.toString();
            }
            if (character < 0x20) {
                throw new IllegalArgumentException("control character in string at " + (position - 1));
            }
            if (character == '\\') {
                char escape = text.charAt(position++);
                int index = "\"\\/bfnrt".indexOf(escape);
                if (escape == 'u') {
                    result.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
                    position += 4;
                } else if (index >= 0) {
                    result.append("\"\\/\b\f\n\r\t".charAt(index));
                } else {
                    throw new IllegalArgumentException("bad escape at " + position);
                }
            } else {
                result.append(character);
            }
        }
    }

    private void expect(char character) {
        if (text.charAt(position) != character) {
            throw new IllegalArgumentException("expected " + character + " at " + position);
        }
        position++;
    }

    private void skipSpace() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }
}
