package io.pcapreplay.net;

/** A {@link ReplayRuntime} could not be set up: bad settings, no raw socket (not root), agent unreachable. */
public final class ReplayRuntimeException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and what to do
     * @param cause the underlying failure, or null
     */
    public ReplayRuntimeException(String message, Throwable cause) {
        super(message, cause);
    }
}
