package io.pcapreplay.tcp;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link SessionReplayer}: of a {@link ReplayEngine}, built with {@link #builder(ClientAddressPool)},
 * or of a {@link KernelReplayer}, built with {@link #builder()} (no fake clients; the TCP-level fields, MTU to RTO
 * bounds, receive window, ISN and the inbound queue, are the kernel's business there). Validated on construction: a
 * bad value fails with "<what>: <actual> (expected: <rule>)".
 *
 * @param clientAddresses the fake client endpoints, a pool per family (each session is sent from the pool of its
 *     server's family); null for kernel sockets
 * @param target the server to replay against, or null for each session's recorded server
 * @param targetPort the port to replay against, or 0 for the recorded one
 * @param pathMtu the path MTU; our MSS is clamped to it minus the IP and TCP headers (40 bytes, 60 for IPv6)
 * @param speedFactor think-time divisor: 2.0 = twice as fast, 0 = no think time
 * @param connectTimeout longest wait for a SYN-ACK
 * @param synRetries SYN retransmissions before TIMEOUT
 * @param responseTimeout longest time from an exchange's start to its complete response
 * @param responseQuiet a response shorter than recorded is complete after this long without new bytes
 * @param idleTimeout after the last exchange, longest wait for the recorded server close (not in comet mode)
 * @param closeTimeout longest wait for our FIN to be answered
 * @param ackDelay delayed-ACK timer (an ACK also goes out every second full segment)
 * @param maxRetransmissions retransmissions of one segment before TIMEOUT
 * @param minRtoMicros lower RTO bound
 * @param maxRtoMicros upper RTO bound
 * @param receiveWindow bytes we advertise (scaled by our window scale)
 * @param responseCaptureBytes response bytes kept per exchange in its result (0 = none)
 * @param startRate session starts per second (0 = unlimited)
 * @param maxHalfOpen most connections in SYN_SENT at once
 * @param adaptiveStarts without a start rate: pace starts by a window on the handshakes in flight that grows with
 *     the SYN-ACKs and is halved when a SYN goes unanswered ({@link StartWindow}), at most {@code maxHalfOpen}
 * @param comet never replay the client's close: hold every connection until the server closes or the engine stops
 * @param inboundQueueCapacity packets queued from the agent before drops
 * @param expectedSessions concurrent sessions to size tables for
 * @param initialSequence our ISN for every connection (tests), or -1 for a random one per connection
 * @param randomSeed seed of the ISN generator
 */
public record EngineConfig(ClientAddresses clientAddresses, InetAddress target, int targetPort, int pathMtu,
                           double speedFactor, Duration connectTimeout, int synRetries, Duration responseTimeout,
                           Duration responseQuiet, Duration idleTimeout, Duration closeTimeout, Duration ackDelay,
                           int maxRetransmissions, int minRtoMicros, int maxRtoMicros, int receiveWindow,
                           int responseCaptureBytes, double startRate, int maxHalfOpen, boolean adaptiveStarts,
                           boolean comet,
                           int inboundQueueCapacity, int expectedSessions, long initialSequence, long randomSeed) {

    /** Validates every field. */
    public EngineConfig {
        if (clientAddresses != null && target != null && !clientAddresses.has(target.getAddress().length == 16)) {
            throw new IllegalArgumentException(clientAddresses.missingFamily(ClientAddresses.server(target,
                targetPort), target.getAddress().length == 16));
        }
        check("target port", targetPort, 0, 65535);
        check("path MTU", pathMtu, 576, 65535);
        if (!(speedFactor >= 0) || Double.isInfinite(speedFactor)) {
            throw new IllegalArgumentException("speed factor: " + speedFactor + " (expected: >= 0, 0 = no think)");
        }
        positive("connect timeout", connectTimeout);
        positive("response timeout", responseTimeout);
        positive("response quiet interval", responseQuiet);
        positive("idle timeout", idleTimeout);
        positive("close timeout", closeTimeout);
        positive("ACK delay", ackDelay);
        check("SYN retries", synRetries, 0, 20);
        check("max retransmissions", maxRetransmissions, 1, 30);
        check("min RTO (us)", minRtoMicros, 1_000, 60_000_000);
        check("max RTO (us)", maxRtoMicros, minRtoMicros, 600_000_000);
        check("receive window", receiveWindow, 1_024, 1 << 30);
        check("response capture bytes", responseCaptureBytes, 0, 64 << 20);
        if (!(startRate >= 0) || Double.isInfinite(startRate)) {
            throw new IllegalArgumentException("start rate: " + startRate + " (expected: >= 0 per s, 0 = unlimited)");
        }
        check("max half-open", maxHalfOpen, 1, 1 << 24);
        check("inbound queue capacity", inboundQueueCapacity, 16, 1 << 22);
        check("expected sessions", expectedSessions, 0, 1 << 28);
        if (initialSequence < -1 || initialSequence > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("initial sequence: " + initialSequence
                + " (expected: 0 to 4294967295, or -1 for random)");
        }
    }

    /**
     * Starts a builder with defaults.
     *
     * @param clientPool the fake client endpoints
     * @return a builder
     */
    public static Builder builder(ClientAddressPool clientPool) {
        return new Builder(ClientAddresses.of(Objects.requireNonNull(clientPool, "clientPool")));
    }

    /**
     * Starts a builder with defaults and fake clients of one or both families.
     *
     * @param clientAddresses the fake client endpoints, a pool per family
     * @return a builder
     */
    public static Builder builder(ClientAddresses clientAddresses) {
        return new Builder(Objects.requireNonNull(clientAddresses, "clientAddresses"));
    }

    /**
     * Starts a builder with defaults and no fake clients, for a {@link KernelReplayer}.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder(null);
    }

    /** Returns our MSS on the path: MTU minus the IP (40 bytes for IPv6, 20 for IPv4) and TCP headers. */
    int pathMss(boolean ipv6) {
        return pathMtu - (ipv6 ? 60 : 40);
    }

    private static void check(String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + ": " + value + " (expected: " + min + " to " + max + ")");
        }
    }

    private static void positive(String what, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + ": " + value + " (expected: a positive duration)");
        }
    }

    /** Builds an {@link EngineConfig}; every setter has a sensible default. */
    public static final class Builder {
        private final ClientAddresses clientAddresses;
        private InetAddress target;
        private int targetPort;
        private int pathMtu = 1500;
        private double speedFactor = 1.0;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private int synRetries = 4;
        private Duration responseTimeout = Duration.ofSeconds(30);
        private Duration responseQuiet = Duration.ofMillis(500);
        private Duration idleTimeout = Duration.ofSeconds(30);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private Duration ackDelay = Duration.ofMillis(40);
        private int maxRetransmissions = 8;
        private int minRtoMicros = RetransmissionTimeout.DEFAULT_MINIMUM_MICROS;
        private int maxRtoMicros = RetransmissionTimeout.DEFAULT_MAXIMUM_MICROS;
        private int receiveWindow = 1 << 20;
        private int responseCaptureBytes;
        private double startRate;
        private int maxHalfOpen = 10_000;
        private boolean adaptiveStarts = true;
        private boolean comet;
        private int inboundQueueCapacity = 8_192;
        private int expectedSessions = 1_024;
        private long initialSequence = -1;
        private long randomSeed = System.nanoTime();

        private Builder(ClientAddresses clientAddresses) {
            this.clientAddresses = clientAddresses;
        }

        /** Replays against this server instead of the recorded one; returns this. */
        public Builder target(InetAddress address, int port) {
            target = address;
            targetPort = port;
            return this;
        }

        /** Sets the path MTU (default 1500); returns this. */
        public Builder pathMtu(int value) {
            pathMtu = value;
            return this;
        }

        /** Sets the think-time speed factor (default 1); returns this. */
        public Builder speedFactor(double value) {
            speedFactor = value;
            return this;
        }

        /** Sets the connect timeout and SYN retries (default 10 s, 4); returns this. */
        public Builder connect(Duration timeout, int retries) {
            connectTimeout = timeout;
            synRetries = retries;
            return this;
        }

        /** Sets the response timeout and quiet interval (default 30 s, 500 ms); returns this. */
        public Builder response(Duration timeout, Duration quiet) {
            responseTimeout = timeout;
            responseQuiet = quiet;
            return this;
        }

        /** Sets the idle and close timeouts (default 30 s, 5 s); returns this. */
        public Builder closing(Duration idle, Duration close) {
            idleTimeout = idle;
            closeTimeout = close;
            return this;
        }

        /** Sets the delayed-ACK timer (default 40 ms); returns this. */
        public Builder ackDelay(Duration value) {
            ackDelay = value;
            return this;
        }

        /** Sets retransmission limits (default 8, 200 ms to 60 s); returns this. */
        public Builder retransmission(int maxAttempts, int minRto, int maxRto) {
            maxRetransmissions = maxAttempts;
            minRtoMicros = minRto;
            maxRtoMicros = maxRto;
            return this;
        }

        /** Sets the advertised receive window in bytes (default 1 MiB); returns this. */
        public Builder receiveWindow(int value) {
            receiveWindow = value;
            return this;
        }

        /** Sets how many response bytes each result keeps (default 0); returns this. */
        public Builder responseCaptureBytes(int value) {
            responseCaptureBytes = value;
            return this;
        }

        /** Sets pacing: starts per second (0 = unlimited) and the half-open cap (default 0, 10000); returns this. */
        public Builder pacing(double rate, int halfOpen) {
            startRate = rate;
            maxHalfOpen = halfOpen;
            return this;
        }

        /**
         * Sets whether starts without a start rate are paced by the adaptive handshake window (default on; off: all
         * at once up to the half-open cap); returns this.
         */
        public Builder adaptiveStarts(boolean value) {
            adaptiveStarts = value;
            return this;
        }

        /** Sets comet mode (default off); returns this. */
        public Builder comet(boolean value) {
            comet = value;
            return this;
        }

        /** Sets the inbound queue capacity in packets (default 8192); returns this. */
        public Builder inboundQueueCapacity(int value) {
            inboundQueueCapacity = value;
            return this;
        }

        /** Sets the expected number of concurrent sessions (default 1024); returns this. */
        public Builder expectedSessions(int value) {
            expectedSessions = value;
            return this;
        }

        /** Uses this ISN for every connection (tests; default random); returns this. */
        public Builder initialSequence(long value) {
            initialSequence = value;
            return this;
        }

        /** Sets the ISN generator's seed (default the clock); returns this. */
        public Builder randomSeed(long value) {
            randomSeed = value;
            return this;
        }

        /** Builds and validates the config: the config. */
        public EngineConfig build() {
            return new EngineConfig(clientAddresses, target, targetPort, pathMtu, speedFactor, connectTimeout,
                synRetries, responseTimeout, responseQuiet, idleTimeout, closeTimeout, ackDelay, maxRetransmissions,
                minRtoMicros, maxRtoMicros, receiveWindow, responseCaptureBytes, startRate, maxHalfOpen, adaptiveStarts,
                comet, inboundQueueCapacity, expectedSessions, initialSequence, randomSeed);
        }
    }
}
