package io.pcapreplay.pcap;

import java.nio.ByteBuffer;

/**
 * One request and its recorded response in a {@link RecordedSession}: a small immutable view (offsets into the
 * session's two streams), no byte copies. The request of the first exchange is empty when the server spoke first
 * (a greeting); the response is empty when none was captured.
 */
public final class Exchange {

    private final RecordedSession session;
    private final int index;
    private final int requestOffset;
    private final int requestLength;
    private final int responseOffset;
    private final int responseLength;
    private final long thinkTimeNanos;
    private final long startOffsetNanos;
    private final long responseEndOffsetNanos;
    private final boolean responsePending;

    Exchange(RecordedSession session, int index, int[] requestBounds, int[] responseBounds, long[] times,
             boolean responsePending) {
        this.responsePending = responsePending;
        this.session = session;
        this.index = index;
        this.requestOffset = requestBounds[index];
        this.requestLength = requestBounds[index + 1] - requestOffset;
        this.responseOffset = responseBounds[index];
        this.responseLength = responseBounds[index + 1] - responseOffset;
        this.thinkTimeNanos = times[index * 3];
        this.startOffsetNanos = times[index * 3 + 1];
        this.responseEndOffsetNanos = times[index * 3 + 2];
    }

    /** Returns the position of this exchange in its session: from 0. */
    public int index() {
        return index;
    }

    /** Returns where the request starts in the session's client stream: the offset. */
    public int requestOffset() {
        return requestOffset;
    }

    /** Returns the request length: bytes sent by the client. */
    public int requestLength() {
        return requestLength;
    }

    /** Returns where the response starts in the session's server stream: the offset. */
    public int responseOffset() {
        return responseOffset;
    }

    /** Returns the recorded response length: bytes sent by the server. */
    public int responseLength() {
        return responseLength;
    }

    /**
     * Tells whether the response is still being captured (the last exchange of a live session): its
     * {@link #responseLength()} is what arrived so far, not the length that completes the exchange.
     *
     * @return false for a recording
     */
    public boolean responsePending() {
        return responsePending;
    }

    /**
     * Returns the recorded think time: from the end of the previous response (for the first exchange: from the
     * connection being established, i.e. the SYN-ACK, else the first packet) to the first byte of this request.
     *
     * @return nanoseconds, never negative; 0 for an empty request (server speaks first)
     */
    public long thinkTimeNanos() {
        return thinkTimeNanos;
    }

    /** Returns when the first byte of this exchange was captured: ns since the session start. */
    public long startOffsetNanos() {
        return startOffsetNanos;
    }

    /** Returns when the last response byte was captured: ns since the session start (the start when none). */
    public long responseEndOffsetNanos() {
        return responseEndOffsetNanos;
    }

    /** Returns the request bytes: a read-only slice (position 0, limit = length). */
    public ByteBuffer request() {
        return session.clientStream().slice(requestOffset, requestLength);
    }

    /** Returns the recorded response bytes: a read-only slice (position 0, limit = length). */
    public ByteBuffer response() {
        return session.serverStream().slice(responseOffset, responseLength);
    }

    /**
     * Copies part of the request into a caller's array (no allocation).
     *
     * @param from the first request byte to copy (0 = start of this request)
     * @param destination where to copy
     * @param offset the first destination byte
     * @param maxLength at most this many bytes
     * @return the number of bytes copied: {@code min(maxLength, requestLength() - from)}, 0 when none is left
     */
    public int copyRequest(int from, byte[] destination, int offset, int maxLength) {
        return session.copyClientBytes(requestOffset, requestLength, from, destination, offset, maxLength);
    }

    /**
     * Copies part of the recorded response into a caller's array (no allocation).
     *
     * @param from the first response byte to copy (0 = start of this response)
     * @param destination where to copy
     * @param offset the first destination byte
     * @param maxLength at most this many bytes
     * @return the number of bytes copied: {@code min(maxLength, responseLength() - from)}, 0 when none is left
     */
    public int copyResponse(int from, byte[] destination, int offset, int maxLength) {
        return session.copyServerBytes(responseOffset, responseLength, from, destination, offset, maxLength);
    }

    @Override
    public String toString() {
        return "exchange " + index + ": request " + requestLength + " bytes, response " + responseLength
            + " bytes, think " + thinkTimeNanos / 1_000_000 + " ms";
    }
}
