package io.pcapreplay.http;

/** A short, readable line diff of two texts for failure messages: the first differing lines, each cut to a width. */
public final class TextDiff {

    /** Characters kept of a differing line. */
    static final int WIDTH = 160;
    /** Differing lines shown per side. */
    static final int LINES = 3;

    private TextDiff() {
    }

    /**
     * Describes where two texts differ, or returns null when they are equal.
     *
     * @param recorded the recorded text
     * @param replayed the replayed text
     * @return e.g. {@code "line 3 differs:\n  - recorded line\n  + replayed line"}, or null
     */
    public static String describe(String recorded, String replayed) {
        if (recorded.equals(replayed)) {
            return null;
        }
        String[] left = recorded.split("\n", -1);
        String[] right = replayed.split("\n", -1);
        int first = 0;
        while (first < left.length && first < right.length && left[first].equals(right[first])) {
            first++;
        }
        int leftEnd = left.length;
        int rightEnd = right.length;
        while (leftEnd > first && rightEnd > first && left[leftEnd - 1].equals(right[rightEnd - 1])) {
            leftEnd--;
            rightEnd--;
        }
        StringBuilder text = new StringBuilder("line ").append(first + 1).append(" differs");
        text.append(leftEnd - first > 1 || rightEnd - first > 1 ? " (recorded lines " + (first + 1) + "-" + leftEnd
            + ", replayed lines " + (first + 1) + "-" + rightEnd + ")" : "").append(':');
        append(text, "  - ", left, first, leftEnd);
        append(text, "  + ", right, first, rightEnd);
        return text.toString();
    }

    private static void append(StringBuilder text, String prefix, String[] lines, int from, int to) {
        for (int index = from; index < Math.min(to, from + LINES); index++) {
            text.append('\n').append(prefix).append(cut(lines[index].replace("\r", "")));
        }
        if (to - from > LINES) {
            text.append('\n').append(prefix).append("... ").append(to - from - LINES).append(" more line(s)");
        }
    }

    /**
     * Cuts a text to {@link #WIDTH} characters, with an ellipsis.
     *
     * @param line the text
     * @return the cut text
     */
    static String cut(String line) {
        return line.length() <= WIDTH ? line : line.substring(0, WIDTH) + "...";
    }
}
