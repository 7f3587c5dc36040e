package io.pcapreplay.jmeter;

import java.util.Locale;

/** How a sample is labelled. */
public enum LabelStyle {
    /** The HTTP request line (method and path) when the exchange is HTTP, else {@code <server port> #<index>}. */
    REQUEST_LINE,
    /**
     * The HTTP method and the normalised path (query dropped, ids as {@code {id}}: see
     * {@link io.pcapreplay.http.PathNormalizer}), else {@code <server port> #<index>}.
     */
    REQUEST_PATH,
    /** Always {@code <server port> #<index>}. */
    PORT_AND_INDEX,
    /** The sampler's name followed by {@code #<index>}. */
    SAMPLER_NAME;

    /**
     * Parses a name ({@code request-line}, {@code request-path}, {@code port-and-index}, {@code sampler-name};
     * case and separator insensitive).
     *
     * @param text the name; blank means REQUEST_LINE
     * @return the value
     * @throws IllegalArgumentException for another name
     */
    public static LabelStyle parse(String text) {
        if (text == null || text.isBlank()) {
            return REQUEST_LINE;
        }
        String normalized = text.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (LabelStyle value : values()) {
            if (value.name().equals(normalized)) {
                return value;
            }
        }
        throw new IllegalArgumentException("label style: '" + text
            + "' (expected: request-line, request-path, port-and-index or sampler-name)");
    }
}
