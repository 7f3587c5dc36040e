package io.pcapreplay.pcap;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * What to read from a capture, and the limits that keep reading in bounded memory.
 *
 * @param serverPorts keep only sessions whose server uses one of these ports (tcpburn's {@code -x}); empty for any
 * @param filter a BPF filter (pcap-filter(7)), compiled by libpcap, or null for none
 * @param maxBufferedBytes most out-of-order bytes buffered per direction before a hole is given up as a gap
 * @param maxSessionBytes most bytes held for one session (payload of both directions and about 32 bytes per
 *     exchange); a larger session is left out ({@link LeftOutReason#TOO_LARGE})
 * @param maxOpenSessions most sessions in the reading window (started, not yet handed out); beyond it, the oldest
 *     is completed if it was closed or had no payload, else left out ({@link LeftOutReason#WINDOW_FULL})
 * @param maxWindowBytes most bytes held by the sessions of the window, with the same rule
 * @param idleNanos capture time without a packet after which an open connection is taken as complete
 */
public record CaptureOptions(List<Integer> serverPorts, String filter, long maxBufferedBytes, long maxSessionBytes,
                             int maxOpenSessions, long maxWindowBytes, long idleNanos) {

    /** Default out-of-order buffer per direction: 4 MiB. */
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 4L << 20;
    /** Default limit per session: 64 MiB (or an eighth of a smaller heap). */
    public static final long DEFAULT_MAX_SESSION_BYTES = 64L << 20;
    /** Default limit of sessions in the window: 100,000 (or one per 2 KiB of a smaller heap). */
    public static final int DEFAULT_MAX_OPEN_SESSIONS = 100_000;
    /** Default limit of bytes in the window: 256 MiB (or a quarter of a smaller heap). */
    public static final long DEFAULT_MAX_WINDOW_BYTES = 256L << 20;
    /** The highest limit per session: 1 GiB (a session's bytes are held in arrays). */
    public static final long MOST_SESSION_BYTES = 1L << 30;
    /** Default idle time after which a connection is complete: 5 minutes of capture time. */
    public static final long DEFAULT_IDLE_NANOS = Duration.ofMinutes(5).toNanos();

    /** Checks the values; sorts and deduplicates the ports. */
    public CaptureOptions {
        TreeSet<Integer> ports = new TreeSet<>();
        for (Integer port : serverPorts) {
            if (port == null || port < 1 || port > 0xFFFF) {
                throw new IllegalArgumentException("server port: " + port + " (expected: 1 to 65535)");
            }
            ports.add(port);
        }
        serverPorts = List.copyOf(ports);
        if (maxBufferedBytes < 0) {
            throw new IllegalArgumentException("out-of-order buffer: " + maxBufferedBytes
                + " bytes (expected: 0 or more)");
        }
        if (maxSessionBytes < 1 || maxSessionBytes > MOST_SESSION_BYTES || maxWindowBytes < 1
                || maxOpenSessions < 1) {
            throw new IllegalArgumentException("limits: " + maxSessionBytes + " bytes per session, "
                + maxOpenSessions + " sessions and " + maxWindowBytes + " bytes in the window (expected: at "
                + "least 1 each, at most 1 GiB per session)");
        }
        if (idleNanos < 1) {
            throw new IllegalArgumentException("idle time: " + idleNanos + " ns (expected: at least 1)");
        }
        if (filter != null && filter.isBlank()) {
            filter = null;
        }
    }

    /**
     * Returns the defaults: any port, no filter, 4 MiB out-of-order buffer, 5 minutes idle, and memory limits
     * sized for the heap: 64 MiB per session, 100,000 sessions and 256 MiB in the window, lowered on a heap under
     * 1 GiB to an eighth of it per session, a session per 2 KiB and a quarter of it in the window.
     *
     * @return the defaults
     */
    public static CaptureOptions defaults() {
        long heap = Runtime.getRuntime().maxMemory();
        return new CaptureOptions(List.of(), null, DEFAULT_MAX_BUFFERED_BYTES,
            Math.min(DEFAULT_MAX_SESSION_BYTES, heap / 8), (int) Math.max(1000, Math.min(DEFAULT_MAX_OPEN_SESSIONS,
            heap / 2048)), Math.min(DEFAULT_MAX_WINDOW_BYTES, heap / 4), DEFAULT_IDLE_NANOS);
    }

    /** Returns the only chosen server port, or 0 when none or several are chosen: the port. */
    public int serverPort() {
        return serverPorts.size() == 1 ? serverPorts.get(0) : 0;
    }

    /**
     * Returns a copy with one server port.
     *
     * @param port the port, 0 for any
     * @return the options
     */
    public CaptureOptions withServerPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("server port: " + port + " (expected: 1 to 65535, or 0 for any)");
        }
        return withServerPorts(port == 0 ? List.of() : List.of(port));
    }

    /**
     * Returns a copy with other server ports.
     *
     * @param ports the ports, empty for any
     * @return the options
     */
    public CaptureOptions withServerPorts(List<Integer> ports) {
        return new CaptureOptions(ports, filter, maxBufferedBytes, maxSessionBytes, maxOpenSessions, maxWindowBytes,
            idleNanos);
    }

    /**
     * Returns a copy with another BPF filter.
     *
     * @param expression the filter, or null
     * @return the options
     */
    public CaptureOptions withFilter(String expression) {
        return new CaptureOptions(serverPorts, expression, maxBufferedBytes, maxSessionBytes, maxOpenSessions,
            maxWindowBytes, idleNanos);
    }

    /**
     * Returns a copy with another out-of-order buffer limit.
     *
     * @param bytes the limit per direction
     * @return the options
     */
    public CaptureOptions withMaxBufferedBytes(long bytes) {
        return new CaptureOptions(serverPorts, filter, bytes, maxSessionBytes, maxOpenSessions, maxWindowBytes,
            idleNanos);
    }

    /**
     * Returns a copy with other memory limits.
     *
     * @param sessionBytes most bytes per session
     * @param openSessions most sessions in the window
     * @param windowBytes most bytes in the window
     * @return the options
     */
    public CaptureOptions withLimits(long sessionBytes, int openSessions, long windowBytes) {
        return new CaptureOptions(serverPorts, filter, maxBufferedBytes, sessionBytes, openSessions, windowBytes,
            idleNanos);
    }

    /**
     * Returns a copy with another idle time.
     *
     * @param idle capture time without a packet after which a connection is complete
     * @return the options
     */
    public CaptureOptions withIdleTimeout(Duration idle) {
        return new CaptureOptions(serverPorts, filter, maxBufferedBytes, maxSessionBytes, maxOpenSessions,
            maxWindowBytes, idle.toNanos());
    }

    /** Returns the limits for messages: e.g. "maxSessionMiB = 64, maxOpenSessions = 100000, maxWindowMiB = 256". */
    public String describeLimits() {
        return "maxSessionMiB = " + mebibytes(maxSessionBytes) + ", maxOpenSessions = " + maxOpenSessions
            + ", maxWindowMiB = " + mebibytes(maxWindowBytes);
    }

    static String mebibytes(long bytes) {
        return bytes % (1L << 20) == 0 ? Long.toString(bytes >> 20)
            : String.format(Locale.ROOT, "%.2f", bytes / 1048576.0);
    }
}
