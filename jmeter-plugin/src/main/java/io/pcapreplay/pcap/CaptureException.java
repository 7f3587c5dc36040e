package io.pcapreplay.pcap;

/**
 * A capture file cannot be used: missing, unreadable, not a capture, unsupported link type, bad filter, or no
 * session in it. The message names the file, says what was found and expected, and what to do.
 */
public class CaptureException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message {@code "<what>: <actual> (expected: <rule>)"} plus what to do
     */
    public CaptureException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message {@code "<what>: <actual> (expected: <rule>)"} plus what to do
     * @param cause the library exception
     */
    public CaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}
