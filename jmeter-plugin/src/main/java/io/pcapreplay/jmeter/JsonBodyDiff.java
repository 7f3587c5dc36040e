package io.pcapreplay.jmeter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Compares two JSON documents (Jackson, on JMeter's classpath) after removing ignored paths from both, and names the
 * first difference ({@code $.items[2].price: recorded 10, replayed 12}). Paths: {@code $.a.b}, {@code $.a[0]},
 * {@code $.a[*].b}, {@code $..name} (a field at any depth).
 */
final class JsonBodyDiff implements BiFunction<String, String, String> {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int VALUE_WIDTH = 80;

    /** One step of a path. */
    private record Step(String field, int index, boolean wildcard, boolean deep) {
    }

    private final List<List<Step>> ignored;

    /**
     * @param ignoredPaths paths removed before comparing
     * @throws IllegalArgumentException naming a malformed path
     */
    JsonBodyDiff(List<String> ignoredPaths) {
        List<List<Step>> paths = new ArrayList<>();
        for (String path : ignoredPaths) {
            paths.add(parse(path.strip()));
        }
        this.ignored = List.copyOf(paths);
    }

    @Override
    public String apply(String recorded, String replayed) {
        JsonNode left;
        JsonNode right;
        try {
            left = MAPPER.readTree(recorded);
        } catch (JsonProcessingException e) {
            return "recorded body is not JSON: " + e.getOriginalMessage();
        }
        try {
            right = MAPPER.readTree(replayed);
        } catch (JsonProcessingException e) {
            return "replayed body is not JSON: " + e.getOriginalMessage();
        }
        for (List<Step> path : ignored) {
            remove(left, path, 0);
            remove(right, path, 0);
        }
        return difference("$", left, right);
    }

    private static String difference(String path, JsonNode left, JsonNode right) {
        if (left == null || right == null || left.getNodeType() != right.getNodeType()) {
            return path + ": recorded " + show(left) + ", replayed " + show(right);
        }
        if (left.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = left.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                String found = difference(path + "." + field.getKey(), field.getValue(), right.get(field.getKey()));
                if (found != null) {
                    return found;
                }
            }
            for (Iterator<String> names = right.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (!left.has(name)) {
                    return path + "." + name + ": recorded (absent), replayed " + show(right.get(name));
                }
            }
            return null;
        }
        if (left.isArray()) {
            for (int index = 0; index < Math.max(left.size(), right.size()); index++) {
                String found = difference(path + "[" + index + "]", left.get(index), right.get(index));
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        return left.equals(right) ? null : path + ": recorded " + show(left) + ", replayed " + show(right);
    }

    private static String show(JsonNode node) {
        if (node == null) {
            return "(absent)";
        }
        String text = node.toString();
        return text.length() > VALUE_WIDTH ? text.substring(0, VALUE_WIDTH) + "..." : text;
    }

    private static void remove(JsonNode node, List<Step> path, int from) {
        if (node == null || from >= path.size()) {
            return;
        }
        Step step = path.get(from);
        boolean last = from == path.size() - 1;
        if (step.deep()) {
            removeDeep(node, step.field(), path, from);
            return;
        }
        if (step.field() != null && node instanceof ObjectNode object) {
            if (last) {
                object.remove(step.field());
            } else {
                remove(object.get(step.field()), path, from + 1);
            }
        } else if (node instanceof ArrayNode array && (step.wildcard() || step.index() >= 0)) {
            if (step.wildcard()) {
                if (last) {
                    array.removeAll();
                } else {
                    array.forEach(element -> remove(element, path, from + 1));
                }
            } else if (step.index() < array.size()) {
                if (last) {
                    array.remove(step.index());
                } else {
                    remove(array.get(step.index()), path, from + 1);
                }
            }
        } else if (step.wildcard() && node instanceof ObjectNode object) {
            if (last) {
                object.removeAll();
            } else {
                object.forEach(child -> remove(child, path, from + 1));
            }
        }
    }

    private static void removeDeep(JsonNode node, String field, List<Step> path, int from) {
        if (node instanceof ObjectNode object) {
            if (object.has(field)) {
                if (from == path.size() - 1) {
                    object.remove(field);
                } else {
                    remove(object.get(field), path, from + 1);
                }
            }
            object.forEach(child -> removeDeep(child, field, path, from));
        } else if (node instanceof ArrayNode array) {
            array.forEach(child -> removeDeep(child, field, path, from));
        }
    }

    static List<Step> parse(String path) {
        if (!path.startsWith("$")) {
            throw new IllegalArgumentException("JSON path: '" + path + "' (expected: $.field, $.list[0], "
                + "$.list[*].field or $..field)");
        }
        List<Step> steps = new ArrayList<>();
        int position = 1;
        while (position < path.length()) {
            char value = path.charAt(position);
            if (path.startsWith("..", position)) {
                int end = nameEnd(path, position + 2);
                steps.add(new Step(name(path, position + 2, end), -1, false, true));
                position = end;
            } else if (value == '.') {
                int end = nameEnd(path, position + 1);
                String name = name(path, position + 1, end);
                steps.add("*".equals(name) ? new Step(null, -1, true, false) : new Step(name, -1, false, false));
                position = end;
            } else if (value == '[') {
                int close = path.indexOf(']', position);
                String inside = close < 0 ? "" : path.substring(position + 1, close).strip();
                if (inside.equals("*")) {
                    steps.add(new Step(null, -1, true, false));
                } else if (inside.matches("\\d+")) {
                    steps.add(new Step(null, Integer.parseInt(inside), false, false));
                } else if (inside.matches("'[^']+'")) {
                    steps.add(new Step(inside.substring(1, inside.length() - 1), -1, false, false));
                } else {
                    throw new IllegalArgumentException("JSON path: '" + path + "' at '" + path.substring(position)
                        + "' (expected: [index], [*] or ['name'])");
                }
                position = close + 1;
            } else {
                throw new IllegalArgumentException("JSON path: '" + path + "' at '" + path.substring(position)
                    + "' (expected: .field, [index], [*] or ..field)");
            }
        }
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("JSON path: '" + path + "' (expected: something after $)");
        }
        return steps;
    }

    private static int nameEnd(String path, int from) {
        int end = from;
        while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
            end++;
        }
        return end;
    }

    private static String name(String path, int from, int end) {
        if (end <= from) {
            throw new IllegalArgumentException("JSON path: '" + path + "' (expected: a field name after '.')");
        }
        return path.substring(from, end);
    }
}
