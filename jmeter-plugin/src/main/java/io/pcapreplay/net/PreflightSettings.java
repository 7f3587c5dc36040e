package io.pcapreplay.net;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What the pre-flight checks look at: the replay's target, agent, fake clients and transport, as the sampler names
 * them.
 *
 * @param target the server under test (IPv4 address or name)
 * @param targetPort its port, 1..65535
 * @param agent the intercept agent, {@code host[:port]}; blank: none
 * @param tokenFile the agent's token file, or null
 * @param clientAddresses the fake client addresses, e.g. {@code 198.18.1.*}
 * @param transport how the replay sends
 * @param probeTimeout how long the probe waits for the target's answer
 * @param recordedMss the largest MSS the recorded clients announced, -1 unknown
 */
public record PreflightSettings(String target, int targetPort, String agent, Path tokenFile, String clientAddresses,
        TransportSpec transport, Duration probeTimeout, int recordedMss) {

    /** Checks the fields. */
    public PreflightSettings {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(clientAddresses, "clientAddresses");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(probeTimeout, "probeTimeout");
        if (targetPort < 1 || targetPort > 65535) {
            throw new IllegalArgumentException("target port: " + targetPort + " (expected: 1..65535)");
        }
        if (probeTimeout.isNegative() || probeTimeout.isZero()) {
            throw new IllegalArgumentException("probe timeout: " + probeTimeout + " (expected: more than 0)");
        }
    }
}
