package io.pcapreplay.net;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What one {@link ReplayRuntime} is made of. Two samplers with equal settings share one runtime (one engine, one raw
 * socket, one agent connection); the record is therefore the key of the runtime registry.
 *
 * @param target the server under test (IPv4 or IPv6 address, or host name)
 * @param targetPort the port to replay against, 0 for each session's recorded port
 * @param agent the intercept agent, {@code host[:port]}; blank: no agent (nothing is ever answered; tests)
 * @param tokenFile the agent's token file (the shared secret)
 * @param clientAddresses the fake client addresses, e.g. {@code 198.18.1.*, 2001:2:0:ff00::/104}
 * @param speedFactor think-time divisor (2 = twice as fast, 0 = no think time)
 * @param connectTimeout longest wait for a SYN-ACK
 * @param responseTimeout longest time from an exchange's start to its complete response
 * @param idleTimeout after the last exchange, longest wait for the recorded server close
 * @param comet hold every connection until the server closes it
 * @param responseBytes response bytes kept per exchange (for assertions and extractors)
 * @param startRate session starts per second, 0 = unlimited
 * @param transport how packets are sent (raw IP socket, or datalink)
 * @param targetMap targets by recorded server port, overriding {@code target}/{@code targetPort} for those
 */
public record ReplaySettings(String target, int targetPort, String agent, Path tokenFile, String clientAddresses,
        double speedFactor, Duration connectTimeout, Duration responseTimeout, Duration idleTimeout, boolean comet,
        int responseBytes, double startRate, TransportSpec transport, TargetMap targetMap) {

    /** Checks the fields that have no later validation. */
    public ReplaySettings {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(clientAddresses, "clientAddresses");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(targetMap, "targetMap");
        if (targetPort < 0 || targetPort > 65535) {
            throw new IllegalArgumentException("target port: " + targetPort
                + " (expected: 1..65535, or 0 for the recorded port)");
        }
        if (responseBytes < 0) {
            throw new IllegalArgumentException("response bytes to keep: " + responseBytes + " (expected: >= 0)");
        }
    }
}
