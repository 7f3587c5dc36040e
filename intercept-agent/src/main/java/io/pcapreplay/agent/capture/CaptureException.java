package io.pcapreplay.agent.capture;

/** Capture could not start; {@link #kind()} tells the agent which exit code to use. */
public final class CaptureException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** libpcap is missing. */
        NO_LIBPCAP,
        /** Not root and no CAP_NET_RAW. */
        NO_PERMISSION,
        /** The device does not exist. */
        NO_SUCH_INTERFACE,
        /** libpcap refused the BPF filter. */
        BAD_FILTER,
        /** Anything else. */
        OTHER
    }

    private final Kind kind;

    /**
     * @param kind the category
     * @param message what failed and what to do
     * @param cause the underlying failure, or null
     */
    public CaptureException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** @return the category */
    public Kind kind() {
        return kind;
    }
}
