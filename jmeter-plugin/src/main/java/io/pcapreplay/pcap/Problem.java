package io.pcapreplay.pcap;

/**
 * A problem found while reading, aggregated per kind and side.
 *
 * @param kind what went wrong
 * @param side which stream (CLIENT: requests, SERVER: responses), NONE for the whole capture
 * @param occurrences how many times (holes, frames ...)
 * @param bytes how many payload bytes are concerned (0 when not applicable)
 * @param detail a human-readable explanation
 */
public record Problem(ProblemKind kind, Side side, long occurrences, long bytes, String detail) {

    @Override
    public String toString() {
        return kind + ": " + detail;
    }
}
