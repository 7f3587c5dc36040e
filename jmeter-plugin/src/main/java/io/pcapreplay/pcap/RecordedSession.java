package io.pcapreplay.pcap;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One recorded TCP connection, reassembled, as an ordered list of {@link Exchange}s. Immutable and compact: each
 * direction's bytes are held in one array ("stream"), exchanges are offsets into them. Shared by every virtual user
 * that replays it.
 *
 * <p>Built by {@link CaptureReader}, or by hand with {@link #builder(Endpoint, Endpoint)} (tests, synthetic load).
 */
public final class RecordedSession {

    private final Endpoint client;
    private final Endpoint server;
    private final boolean synSeen;
    private final HandshakeOptions clientOptions;
    private final HandshakeOptions serverOptions;
    private final long startNanos;
    private final long durationNanos;
    private final byte[] clientBytes;
    private final byte[] serverBytes;
    private final Exchange[] exchanges;
    private final SessionClose close;
    private final List<Problem> problems;
    private final SessionStatistics statistics;
    private final LiveSession live;

    private RecordedSession(Builder builder) {
        this.live = null;
        this.client = builder.client;
        this.server = builder.server;
        this.synSeen = builder.synSeen;
        this.clientOptions = builder.clientOptions;
        this.serverOptions = builder.serverOptions;
        this.startNanos = builder.startNanos;
        this.durationNanos = builder.durationNanos;
        this.clientBytes = builder.clientStream.toArray();
        this.serverBytes = builder.serverStream.toArray();
        this.close = builder.close;
        this.problems = List.copyOf(builder.problems);
        this.statistics = builder.statistics;
        int[] requestBounds = builder.requestEnds.toIntArray();
        int[] responseBounds = builder.responseEnds.toIntArray();
        long[] times = builder.times.toArray();
        this.exchanges = new Exchange[requestBounds.length - 1];
        for (int index = 0; index < exchanges.length; index++) {
            exchanges[index] = new Exchange(this, index, requestBounds, responseBounds, times,
                builder.responsePending && index == exchanges.length - 1);
        }
    }

    /** A growing session: every read goes to the live session's latest snapshot. */
    private RecordedSession(LiveSession live, RecordedSession first) {
        this.live = live;
        this.client = first.client;
        this.server = first.server;
        this.synSeen = first.synSeen;
        this.clientOptions = first.clientOptions;
        this.serverOptions = first.serverOptions;
        this.startNanos = first.startNanos;
        this.durationNanos = 0;
        this.clientBytes = null;
        this.serverBytes = null;
        this.exchanges = null;
        this.close = null;
        this.problems = null;
        this.statistics = null;
    }

    /** Returns a session that reads the live session's latest snapshot at each call (a live capture). */
    static RecordedSession growing(LiveSession live, RecordedSession first) {
        return new RecordedSession(live, first);
    }

    /**
     * Tells whether more exchanges may still come: a session of a live capture whose connection is still open. Its
     * {@link #exchangeCount()} grows, and its last exchange's response may still be pending
     * ({@link Exchange#responsePending()}); a replayer that reached the last exchange waits for the next one.
     *
     * @return false for a recording (a file) or a live session that ended
     */
    public boolean isGrowing() {
        return live != null && !live.ended();
    }

    /** Returns the snapshot reads go to: this session itself unless it is live. */
    private RecordedSession current() {
        return live == null ? this : live.latest();
    }

    /**
     * Starts building a session by hand.
     *
     * @param client the client endpoint
     * @param server the server endpoint
     * @return a builder
     */
    public static Builder builder(Endpoint client, Endpoint server) {
        return new Builder(client, server);
    }

    /** Returns the side that opened the connection: the client endpoint. */
    public Endpoint client() {
        return client;
    }

    /** Returns the side that accepted the connection: the server endpoint. */
    public Endpoint server() {
        return server;
    }

    /** Tells whether the client's SYN was captured: when false, a replay synthesizes the handshake. */
    public boolean synSeen() {
        return synSeen;
    }

    /** Returns the options of the client's SYN: {@link HandshakeOptions#ABSENT} when not captured. */
    public HandshakeOptions clientOptions() {
        return clientOptions;
    }

    /** Returns the options of the server's SYN-ACK: {@link HandshakeOptions#ABSENT} when not captured. */
    public HandshakeOptions serverOptions() {
        return serverOptions;
    }

    /** Returns the capture timestamp of the first packet: ns since the epoch. */
    public long startNanos() {
        return startNanos;
    }

    /** Returns the time from the first to the last packet: ns. */
    public long durationNanos() {
        return live == null ? durationNanos : current().durationNanos;
    }

    /** Returns how the connection ended: the first FIN or RST, or {@link SessionClose#NONE}. */
    public SessionClose close() {
        return live == null ? close : current().close;
    }

    /** Returns what is wrong with this recording: an unmodifiable list, empty when nothing. */
    public List<Problem> problems() {
        return live == null ? problems : current().problems;
    }

    /**
     * Tells whether a problem of this kind was found.
     *
     * @param kind the kind
     * @return whether {@link #problems()} has one
     */
    public boolean hasProblem(ProblemKind kind) {
        for (Problem problem : problems()) {
            if (problem.kind() == kind) {
                return true;
            }
        }
        return false;
    }

    /** Returns counters (segments, retransmissions, out-of-order): the statistics. */
    public SessionStatistics statistics() {
        return live == null ? statistics : current().statistics;
    }

    /** Returns the number of exchanges: at least 1 for a session read from a capture. */
    public int exchangeCount() {
        return live == null ? exchanges.length : current().exchangeCount();
    }

    /**
     * Returns one exchange.
     *
     * @param index from 0
     * @return the exchange
     */
    public Exchange exchange(int index) {
        return live == null ? exchanges[index] : current().exchange(index);
    }

    /** Returns all exchanges in order: an unmodifiable list. */
    public List<Exchange> exchanges() {
        return live == null ? List.of(exchanges) : current().exchanges();
    }

    /** Returns the total request payload: bytes sent by the client. */
    public int requestBytes() {
        return live == null ? clientBytes.length : current().requestBytes();
    }

    /** Returns the total recorded response payload: bytes sent by the server. */
    public int responseBytes() {
        return live == null ? serverBytes.length : current().responseBytes();
    }

    /** Returns everything the client sent, in order: a read-only buffer. */
    public ByteBuffer clientStream() {
        return live == null ? ByteBuffer.wrap(clientBytes).asReadOnlyBuffer() : current().clientStream();
    }

    /** Returns everything the server sent, in order: a read-only buffer. */
    public ByteBuffer serverStream() {
        return live == null ? ByteBuffer.wrap(serverBytes).asReadOnlyBuffer() : current().serverStream();
    }

    int copyClientBytes(int start, int length, int from, byte[] destination, int offset, int maxLength) {
        return copy(clientBytes, start, length, from, destination, offset, maxLength);
    }

    int copyServerBytes(int start, int length, int from, byte[] destination, int offset, int maxLength) {
        return copy(serverBytes, start, length, from, destination, offset, maxLength);
    }

    private static int copy(byte[] source, int start, int length, int from, byte[] destination, int offset,
                            int maxLength) {
        if (from < 0 || maxLength < 0) {
            throw new IndexOutOfBoundsException("copy from " + from + ", length " + maxLength
                + " (expected: not negative)");
        }
        int count = Math.max(0, Math.min(maxLength, length - from));
        System.arraycopy(source, start + from, destination, offset, count);
        return count;
    }

    @Override
    public String toString() {
        if (live != null) {
            return current() + (isGrowing() ? ", live" : "");
        }
        return client + " -> " + server + ": " + exchanges.length + " exchanges, " + clientBytes.length
            + " request bytes, " + serverBytes.length + " response bytes, close " + close
            + (synSeen ? "" : ", no SYN") + (problems.isEmpty() ? "" : ", problems " + problems);
    }

    /** Builds a {@link RecordedSession}; exchanges are appended in order. */
    public static final class Builder {

        private final Endpoint client;
        private final Endpoint server;
        private boolean synSeen = true;
        private HandshakeOptions clientOptions = HandshakeOptions.ABSENT;
        private HandshakeOptions serverOptions = HandshakeOptions.ABSENT;
        private long startNanos;
        private long durationNanos;
        private ByteSink clientStream = new ByteSink();
        private ByteSink serverStream = new ByteSink();
        private final LongSink requestEnds = new LongSink();
        private final LongSink responseEnds = new LongSink();
        private final LongSink times = new LongSink();
        private SessionClose close = SessionClose.NONE;
        private final List<Problem> problems = new ArrayList<>();
        private SessionStatistics statistics = new SessionStatistics(0, 0, 0, 0);
        private boolean responsePending;

        private Builder(Endpoint client, Endpoint server) {
            this.client = Objects.requireNonNull(client, "client");
            this.server = Objects.requireNonNull(server, "server");
            requestEnds.add(0);
            responseEnds.add(0);
        }

        /**
         * Sets whether the client's SYN was captured (default true).
         *
         * @param value the flag
         * @return this
         */
        public Builder synSeen(boolean value) {
            synSeen = value;
            return this;
        }

        /**
         * Sets the client's SYN options and the server's SYN-ACK options.
         *
         * @param fromClient the client's
         * @param fromServer the server's
         * @return this
         */
        public Builder handshake(HandshakeOptions fromClient, HandshakeOptions fromServer) {
            clientOptions = Objects.requireNonNull(fromClient, "fromClient");
            serverOptions = Objects.requireNonNull(fromServer, "fromServer");
            return this;
        }

        /**
         * Sets the start and duration.
         *
         * @param start ns since the epoch
         * @param duration ns
         * @return this
         */
        public Builder timing(long start, long duration) {
            startNanos = start;
            durationNanos = duration;
            return this;
        }

        /**
         * Sets how the connection ended (default {@link SessionClose#NONE}).
         *
         * @param value the close
         * @return this
         */
        public Builder close(SessionClose value) {
            close = Objects.requireNonNull(value, "close");
            return this;
        }

        /**
         * Adds a problem.
         *
         * @param problem the problem
         * @return this
         */
        public Builder problem(Problem problem) {
            problems.add(Objects.requireNonNull(problem, "problem"));
            return this;
        }

        /**
         * Sets the counters.
         *
         * @param value the statistics
         * @return this
         */
        public Builder statistics(SessionStatistics value) {
            statistics = Objects.requireNonNull(value, "statistics");
            return this;
        }

        /**
         * Appends an exchange (the bytes are copied).
         *
         * @param request the request bytes (may be empty)
         * @param response the recorded response bytes (may be empty)
         * @param thinkTimeNanos the think time before the request
         * @return this
         */
        public Builder exchange(byte[] request, byte[] response, long thinkTimeNanos) {
            long start = times.size() == 0 ? 0 : times.last();
            clientStream.append(request, 0, request.length);
            serverStream.append(response, 0, response.length);
            return appendBounds(clientStream.length(), serverStream.length(), thinkTimeNanos, start + thinkTimeNanos,
                start + thinkTimeNanos);
        }

        /**
         * Appends an exchange with its recorded times (the bytes are copied): for sources that know them (a rewritten
         * session, a goreplay file).
         *
         * @param request the request bytes (may be empty)
         * @param response the recorded response bytes (may be empty)
         * @param thinkTimeNanos the think time before the request
         * @param startOffsetNanos when its first byte was recorded: ns since the session start
         * @param responseEndOffsetNanos when its last response byte was recorded: ns since the session start
         * @return this
         */
        public Builder exchange(byte[] request, byte[] response, long thinkTimeNanos, long startOffsetNanos,
                                long responseEndOffsetNanos) {
            clientStream.append(request, 0, request.length);
            serverStream.append(response, 0, response.length);
            return appendBounds(clientStream.length(), serverStream.length(), thinkTimeNanos, startOffsetNanos,
                Math.max(startOffsetNanos, responseEndOffsetNanos));
        }

        /** Marks the last exchange's response as still being captured (a live snapshot). */
        Builder responsePending(boolean value) {
            responsePending = value;
            return this;
        }

        /** Uses already filled streams (the reader's path: no copy of exchanges). */
        Builder streams(ByteSink fromClient, ByteSink fromServer) {
            clientStream = fromClient;
            serverStream = fromServer;
            return this;
        }

        /** Appends exchange bounds: the ends of its request and response in the streams, and its times. */
        Builder appendBounds(int requestEnd, int responseEnd, long thinkTimeNanos, long startOffsetNanos,
                             long responseEndOffsetNanos) {
            if (requestEnd < requestEnds.last() || responseEnd < responseEnds.last() || thinkTimeNanos < 0) {
                throw new IllegalArgumentException("exchange bounds: request end " + requestEnd + ", response end "
                    + responseEnd + ", think " + thinkTimeNanos + " (expected: increasing, think time >= 0)");
            }
            requestEnds.add(requestEnd);
            responseEnds.add(responseEnd);
            times.add(thinkTimeNanos);
            times.add(startOffsetNanos);
            times.add(responseEndOffsetNanos);
            return this;
        }

        /**
         * Builds the immutable session.
         *
         * @return the session
         */
        public RecordedSession build() {
            if (requestEnds.last() != clientStream.length() || responseEnds.last() != serverStream.length()) {
                throw new IllegalStateException("stream lengths: " + clientStream.length() + "/"
                    + serverStream.length() + " (expected: covered by the exchanges, " + requestEnds.last() + "/"
                    + responseEnds.last() + ")");
            }
            return new RecordedSession(this);
        }

        @Override
        public String toString() {
            return "RecordedSession.Builder" + Arrays.asList(client, server);
        }
    }
}
