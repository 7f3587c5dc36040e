package io.pcapreplay.pcap;

/**
 * Why a recorded connection is not handed out as a session. The first two are normal (counted only); the others
 * mean a session of the capture is not replayed, and each such session is reported (see
 * {@link LeftOutSession}) with what to do.
 */
public enum LeftOutReason {
    /** No payload byte in either direction (a SYN scan, a refused or idle connection): nothing to replay. */
    NO_PAYLOAD("without payload", false),
    /** Its server port is not one of the chosen ports. */
    OTHER_SERVER_PORT("with another server port", false),
    /**
     * The client's payload was cut by the snapshot length: replaying it would send invented bytes. (A session
     * whose only cut bytes are the server's is replayed: the recorded response serves only as an expected length.)
     */
    TRUNCATED("whose client payload was cut by the snapshot length (re-capture with tcpdump -s 0)", true),
    /** It held more bytes than the per-session limit ({@link CaptureOptions#maxSessionBytes()}). */
    TOO_LARGE("larger than the session limit (maxSessionMiB)", true),
    /**
     * It stayed open (not closed, not idle) while the window filled up behind it: more later-started sessions
     * ({@link CaptureOptions#maxOpenSessions()}) or bytes ({@link CaptureOptions#maxWindowBytes()}) than allowed
     * were waiting for it to end, since sessions are handed out in start order.
     */
    WINDOW_FULL("still open when the reading window filled up (maxOpenSessions, maxWindowMiB)", true);

    private final String description;
    private final boolean reported;

    LeftOutReason(String description, boolean reported) {
        this.description = description;
        this.reported = reported;
    }

    /** Returns the words for a summary line, after a count: e.g. "without payload". */
    public String description() {
        return description;
    }

    /** Tells whether each such session is reported (a session of the capture that will not be replayed). */
    public boolean isReported() {
        return reported;
    }
}
