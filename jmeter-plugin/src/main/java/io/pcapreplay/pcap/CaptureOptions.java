package io.pcapreplay.pcap;

/**
 * What to read from a capture.
 *
 * @param serverPort keep only sessions whose server uses this port (tcpburn's {@code -x}); 0 for any
 * @param filter a BPF filter (pcap-filter(7)) applied by libpcap, or null for none
 * @param maxBufferedBytes most out-of-order bytes buffered per direction before a hole is given up as a gap
 */
public record CaptureOptions(int serverPort, String filter, long maxBufferedBytes) {

    /** Default out-of-order buffer per direction: 4 MiB. */
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 4L << 20;

    /** Checks the values. */
    public CaptureOptions {
        if (serverPort < 0 || serverPort > 0xFFFF) {
            throw new IllegalArgumentException("server port: " + serverPort + " (expected: 1 to 65535, or 0 for any)");
        }
        if (maxBufferedBytes < 0) {
            throw new IllegalArgumentException("out-of-order buffer: " + maxBufferedBytes
                + " bytes (expected: 0 or more)");
        }
        if (filter != null && filter.isBlank()) {
            filter = null;
        }
    }

    /**
     * Returns the defaults: any port, no filter, 4 MiB out-of-order buffer.
     *
     * @return the defaults
     */
    public static CaptureOptions defaults() {
        return new CaptureOptions(0, null, DEFAULT_MAX_BUFFERED_BYTES);
    }

    /**
     * Returns a copy with another server port.
     *
     * @param port the port, 0 for any
     * @return the options
     */
    public CaptureOptions withServerPort(int port) {
        return new CaptureOptions(port, filter, maxBufferedBytes);
    }

    /**
     * Returns a copy with another BPF filter.
     *
     * @param expression the filter, or null
     * @return the options
     */
    public CaptureOptions withFilter(String expression) {
        return new CaptureOptions(serverPort, expression, maxBufferedBytes);
    }

    /**
     * Returns a copy with another out-of-order buffer limit.
     *
     * @param bytes the limit per direction
     * @return the options
     */
    public CaptureOptions withMaxBufferedBytes(long bytes) {
        return new CaptureOptions(serverPort, filter, bytes);
    }
}
