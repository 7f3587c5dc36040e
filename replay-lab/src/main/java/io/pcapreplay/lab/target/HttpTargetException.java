package io.pcapreplay.lab.target;

/** A request the embedded target cannot serve: answered with the status, then the connection is closed. */
final class HttpTargetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    HttpTargetException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
