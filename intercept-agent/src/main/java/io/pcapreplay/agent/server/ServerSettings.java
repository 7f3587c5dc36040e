package io.pcapreplay.agent.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * How the agent serves replayers.
 *
 * @param bindAddress where to listen
 * @param token the shared secret replayers must present
 * @param agentVersion reported in ACCEPT
 * @param snaplen reported in ACCEPT
 * @param maxRanges most ranges per replayer
 * @param queueBytes bound of each replayer's outbound queue; packets beyond it are dropped and counted
 * @param queueTotalBytes bound of all replayers' queues together; packets beyond it are dropped and counted
 * @param handshakeTimeout a connection without HELLO by then is closed
 * @param heartbeatTimeout a replayer silent for this long is closed and its ranges freed; one that read nothing
 *                         for this long while bytes were waiting for it too
 * @param maxReplayers most replayers accepted at once; more are refused with TOO_MANY_REPLAYERS
 * @param maxHandshakes most connections awaiting HELLO; beyond it the oldest is closed
 * @param maxHandshakesPerAddress most connections awaiting HELLO from one address; beyond it the new one is refused
 * @param hostFacts what a HOST_QUERY is answered
 */
public record ServerSettings(InetSocketAddress bindAddress, String token, String agentVersion, int snaplen,
        int maxRanges, long queueBytes, long queueTotalBytes, Duration handshakeTimeout, Duration heartbeatTimeout,
        int maxReplayers, int maxHandshakes, int maxHandshakesPerAddress, HostFacts hostFacts) {

    /** Settings whose host facts name no capture (tests). */
    public ServerSettings(InetSocketAddress bindAddress, String token, String agentVersion, int snaplen,
            int maxRanges, long queueBytes, long queueTotalBytes, Duration handshakeTimeout, Duration heartbeatTimeout,
            int maxReplayers, int maxHandshakes, int maxHandshakesPerAddress) {
        this(bindAddress, token, agentVersion, snaplen, maxRanges, queueBytes, queueTotalBytes, handshakeTimeout,
                heartbeatTimeout, maxReplayers, maxHandshakes, maxHandshakesPerAddress, new HostFacts(List.of(), ""));
    }
}
