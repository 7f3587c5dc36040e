package io.pcapreplay.net;

import io.pcapreplay.protocol.AgentProtocol;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * How to reach and talk to an intercept agent.
 *
 * @param agent the agent's address (port 36524 by default)
 * @param token the shared secret of the agent's token file
 * @param replayerName this replayer's name in the agent's logs
 * @param payloadCap -1 whole payload, 0 headers only, n the first n payload bytes
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout how long to wait for the handshake and each REGISTER/UNREGISTER answer
 */
public record AgentClientConfig(InetSocketAddress agent, String token, String replayerName, int payloadCap,
        Duration connectTimeout, Duration requestTimeout) {

    /** The intercept agent's default port. */
    public static final int DEFAULT_PORT = 36524;

    /**
     * @param agent the agent's address
     * @param token the shared secret
     * @param replayerName this replayer's name
     * @return a config forwarding whole payloads, with 5 s connect and 10 s request timeouts
     */
    public static AgentClientConfig of(InetSocketAddress agent, String token, String replayerName) {
        return new AgentClientConfig(agent, token, replayerName, AgentProtocol.WHOLE_PAYLOAD, Duration.ofSeconds(5),
                Duration.ofSeconds(10));
    }

    /**
     * @param cap -1 whole payload, 0 headers only, n the first n payload bytes
     * @return a copy with that payload cap
     */
    public AgentClientConfig withPayloadCap(int cap) {
        return new AgentClientConfig(agent, token, replayerName, cap, connectTimeout, requestTimeout);
    }
}
