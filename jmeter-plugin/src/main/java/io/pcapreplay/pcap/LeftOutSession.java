package io.pcapreplay.pcap;

/**
 * A recorded session that will not be replayed, and why: reported once per session (warning) and counted.
 *
 * @param source the capture (file) it comes from
 * @param client the client endpoint
 * @param server the server endpoint
 * @param startNanos the capture time of its first packet, ns since 1970
 * @param reason why it is left out
 * @param detail what was found and what to do, e.g. "214 bytes of 2 client frame(s) not captured ..."
 */
public record LeftOutSession(String source, Endpoint client, Endpoint server, long startNanos, LeftOutReason reason,
                             String detail) {

    /** Returns one line: the source, the session, the reason and what to do. */
    public String message() {
        return source + ": session " + client + " -> " + server + " left out: " + detail;
    }

    @Override
    public String toString() {
        return message();
    }
}
