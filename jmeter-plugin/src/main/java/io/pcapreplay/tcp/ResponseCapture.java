package io.pcapreplay.tcp;

import java.util.Arrays;

/**
 * The response bytes an exchange keeps for its result ({@link EngineConfig#responseCaptureBytes()} at most), in a
 * buffer sized on demand: none until the first response byte, then the recorded response's length (or what arrived,
 * if more), grown by doubling when the server sends more, never beyond the cap; handed to the result at the end of
 * the exchange (without a copy when it is exactly full) and dropped by the connection. So an idle connection (a
 * comet session held after its exchange, a user thinking) holds no buffer, and a short response costs its own size,
 * not the cap.
 */
final class ResponseCapture {

    /** The smallest buffer allocated (a response whose recorded length is unknown or tiny). */
    static final int MINIMUM_BYTES = 256;

    private ResponseCapture() {
    }

    /**
     * Returns a buffer that holds {@code needed} bytes, keeping the first {@code kept} of {@code capture}.
     *
     * @param capture the current buffer, or null
     * @param kept bytes of it in use
     * @param needed bytes it must hold (at most {@code limit})
     * @param limit the cap
     * @param recordedLength the recorded response's length: the first size
     * @return {@code capture} when it is big enough, else a new buffer
     */
    static byte[] ensure(byte[] capture, int kept, int needed, int limit, int recordedLength) {
        if (capture != null && capture.length >= needed) {
            return capture;
        }
        int wanted = capture == null ? Math.max(MINIMUM_BYTES, recordedLength) : capture.length * 2;
        int size = Math.min(limit, Math.max(needed, wanted));
        return capture == null ? new byte[size] : Arrays.copyOf(capture, size);
    }

    /**
     * Returns the kept bytes for a result: the buffer itself when it is exactly full, else a copy of its start.
     *
     * @param capture the buffer, or null
     * @param received response bytes received (may exceed the buffer)
     * @return the bytes, {@link ExchangeResult#NO_BYTES} when none were kept
     */
    static byte[] take(byte[] capture, int received) {
        if (capture == null) {
            return ExchangeResult.NO_BYTES;
        }
        int kept = Math.min(received, capture.length);
        return kept == capture.length ? capture : Arrays.copyOf(capture, kept);
    }
}
