package io.pcapreplay.pcap;

/**
 * Decides what becomes of a complete connection: a {@link RecordedSession}, or left out with a
 * {@link LeftOutReason} (and for the reported reasons a {@link LeftOutSession} saying what to do); keeps the
 * counts.
 */
final class SessionOutcomes {

    private final String source;
    private final CaptureOptions options;
    private final ServerPorts serverPorts;
    private final long[] leftOut = new long[LeftOutReason.values().length];
    private long sessions;
    private long requestBytes;
    private long responseBytes;
    private long retransmittedBytes;

    SessionOutcomes(String source, CaptureOptions options, ServerPorts serverPorts) {
        this.source = source;
        this.options = options;
        this.serverPorts = serverPorts;
    }

    /** Sets {@link CapturedConnection#session} or {@link CapturedConnection#leftOut} (neither without payload). */
    void decide(CapturedConnection connection) {
        if (!connection.hasPayload()) {
            leftOut[LeftOutReason.NO_PAYLOAD.ordinal()]++;
            return;
        }
        int client = connection.clientDirection(serverPorts);
        int server = 1 - client;
        if (!serverPorts.contains(connection.port(server))) {
            leftOut[LeftOutReason.OTHER_SERVER_PORT.ordinal()]++;
            return;
        }
        LeftOutReason reason = connection.forcedReason;
        StreamReassembler requests = connection.stream(client);
        if (reason == null && requests.truncatedSegments() > 0) {
            reason = LeftOutReason.TRUNCATED;
        }
        if (reason != null) {
            leftOut[reason.ordinal()]++;
            connection.leftOut = new LeftOutSession(source, connection.endpoint(client), connection.endpoint(server),
                connection.firstTimestamp(), reason, detail(reason, requests));
            return;
        }
        RecordedSession session = connection.toSession(client);
        connection.session = session;
        sessions++;
        requestBytes += session.requestBytes();
        responseBytes += session.responseBytes();
        retransmittedBytes += session.statistics().retransmittedBytes();
    }

    private String detail(LeftOutReason reason, StreamReassembler requests) {
        switch (reason) {
            case TRUNCATED:
                return requests.truncatedBytes() + " request bytes of " + requests.truncatedSegments() + " client "
                    + "frame(s) were not captured (snapshot length too small): replaying it would send invented "
                    + "bytes; re-capture with tcpdump -s 0";
            case TOO_LARGE:
                return "holds more than maxSessionMiB = " + CaptureOptions.mebibytes(options.maxSessionBytes())
                    + " MiB of payload; raise the limit (inspect --max-session-mib, JMeter "
                    + "-Jpcapreplay.maxSessionMiB) with the heap, or split the capture";
            default:
                return "still open when the reading window was full (" + options.describeLimits() + "): sessions "
                    + "are handed out in start order, so every later one waited for it; raise the limits (inspect "
                    + "--max-open-sessions/--max-window-mib, JMeter -Jpcapreplay.maxOpenSessions/"
                    + "-Jpcapreplay.maxWindowMiB) or lower the idle time (--idle-seconds, -Jpcapreplay.idleSeconds)";
        }
    }

    LeftOutCounts leftOut() {
        return LeftOutCounts.of(leftOut);
    }

    long sessions() {
        return sessions;
    }

    long requestBytes() {
        return requestBytes;
    }

    long responseBytes() {
        return responseBytes;
    }

    long retransmittedBytes() {
        return retransmittedBytes;
    }
}
