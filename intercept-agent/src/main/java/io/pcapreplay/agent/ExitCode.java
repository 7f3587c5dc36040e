package io.pcapreplay.agent;

/** The agent's process exit codes; each failure has its own so scripts can tell them apart. */
public enum ExitCode {
    /** Stopped normally. */
    OK(0),
    /** An unexpected failure. */
    FAILURE(1),
    /** Bad command line. */
    USAGE(2),
    /** The token file is missing, unreadable, empty or too long. */
    TOKEN_FILE(3),
    /** Neither root nor CAP_NET_RAW. */
    NO_PERMISSION(4),
    /** A capture device does not exist. */
    NO_SUCH_INTERFACE(5),
    /** libpcap refused the BPF filter. */
    BAD_FILTER(6),
    /** The listen address is in use or cannot be bound. */
    PORT_IN_USE(7),
    /** libpcap is not installed. */
    NO_LIBPCAP(8);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /** @return the process exit status */
    public int code() {
        return code;
    }
}
