package io.pcapreplay.pcap;

import java.io.Closeable;

/**
 * Recorded sessions, pulled one at a time in recorded start order, in bounded memory: the source is read only as
 * far as needed to complete the next session (a sliding window), and sessions are never overtaken by later-started
 * ones. Implemented for capture files ({@link CaptureReader#open(java.nio.file.Path, CaptureOptions,
 * LeftOutListener)}), several sources merged by start time ({@link SessionStreams#merge(java.util.List)}) and lists
 * ({@link SessionStreams#of(java.util.List)}); other sources (a live capture, goreplay files) implement it the same
 * way. Not thread-safe: one consumer at a time.
 */
public interface SessionStream extends Closeable {

    /** Opens a stream, once per pass over the source (a replay that loops opens it again). */
    @FunctionalInterface
    interface Opener {
        /**
         * Opens a new stream from the beginning.
         *
         * @param listener receives the sessions left out for a reported reason during this pass
         * @return the stream
         * @throws CaptureException when the source cannot be opened
         */
        SessionStream open(LeftOutListener listener) throws CaptureException;
    }

    /** Receives each session that is left out for a reported reason ({@link LeftOutReason#isReported()}). */
    @FunctionalInterface
    interface LeftOutListener {
        /** Ignores them (they are still counted). */
        LeftOutListener NONE = session -> { };

        /**
         * Takes one left-out session (called on the reading thread, in order).
         *
         * @param session the session and why
         */
        void leftOut(LeftOutSession session);
    }

    /** Returns what is read, for messages: e.g. the file name. */
    String source();

    /**
     * Returns the next session.
     *
     * @return the next session in start order, or null when the source is exhausted
     * @throws CaptureException when the source is malformed (the message names the source, the record and the
     *     field); the stream is then over
     */
    RecordedSession next() throws CaptureException;

    /**
     * Tells whether the stream never ends by itself (a live capture): {@link #next()} waits for the next session
     * and returns null only once the stream is closed; it is opened once, never read again.
     *
     * @return false for files and lists
     */
    default boolean endless() {
        return false;
    }

    /**
     * Returns the next session, waiting at most the timeout for an {@link #endless()} stream.
     *
     * @param timeoutNanos the longest wait
     * @return the next session, or null when none came in time (endless) or the source is exhausted
     * @throws CaptureException as {@link #next()}
     */
    default RecordedSession poll(long timeoutNanos) throws CaptureException {
        return next();
    }

    /** Returns how many connections were left out so far, by reason: a snapshot. */
    LeftOutCounts leftOut();

    /**
     * Explains why the source gave no session (call once {@link #next()} returned null without any session).
     *
     * @return e.g. {@code "TCP sessions in <file>: none; 3 TCP connection(s) without payload (expected: ...)"}
     */
    default String explainNoSession() {
        return "sessions in " + source() + ": none (expected: at least one recorded session)";
    }

    /**
     * Tells whether the source held sessions or segments that only the selected server ports left out (call once
     * {@link #next()} returned null without any session): the selection, not the file, gave nothing to replay.
     */
    default boolean selectionExcludedAll() {
        return leftOut().count(LeftOutReason.OTHER_SERVER_PORT) > 0;
    }

    /** Releases the source (file); idempotent. */
    @Override
    void close();
}
