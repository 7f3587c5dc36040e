package io.pcapreplay.net;

import java.io.IOException;

/** A raw socket system call failed; {@link #errno()} is the C errno (0 when not from the kernel). */
public final class RawSocketException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public RawSocketException(int errno, String message) {
        super(message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
