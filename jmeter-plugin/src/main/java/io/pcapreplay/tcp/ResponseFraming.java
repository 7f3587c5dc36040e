package io.pcapreplay.tcp;

import io.pcapreplay.pcap.Exchange;

/**
 * Tells the engine where a replayed response ends by its own framing (HTTP: Content-Length or chunked), so that an
 * exchange completes when the server's answer is whole, not when the recorded length arrived (a changed page, a
 * rewritten request). Without it, or when it cannot tell, the recorded length and the quiet interval decide. Called
 * on the event loop, at most once per exchange with the start of the response (the kept response bytes), then, for
 * a chunked body, each time bytes arrive that could end it.
 */
public interface ResponseFraming {

    /** The head is not complete yet: ask again with more bytes. */
    int NOT_YET = -1;
    /** The response's framing does not tell (not HTTP, pipelined, no length, interim): use the recorded length. */
    int NOT_APPLICABLE = -2;
    /** A chunked body: ask {@link #chunkedEnd} when the bytes end like a last chunk. */
    int CHUNKED = -3;

    /**
     * Frames the start of a response.
     *
     * @param exchange the recorded exchange being replayed (its request and recorded response)
     * @param response the response bytes received so far
     * @param length how many of them
     * @return the whole response's length, or {@link #NOT_YET}, {@link #NOT_APPLICABLE}, {@link #CHUNKED}
     */
    int frame(Exchange exchange, byte[] response, int length);

    /**
     * Returns where a chunked response ends, if it is whole.
     *
     * @param response the response bytes received so far (from the start of the response)
     * @param length how many of them
     * @return the response's length when its last chunk arrived, else -1
     */
    int chunkedEnd(byte[] response, int length);
}
