package io.pcapreplay.lab;

/** A lab step failed (a command, a namespace, a server); the message names the host and what to do. */
public class LabException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
