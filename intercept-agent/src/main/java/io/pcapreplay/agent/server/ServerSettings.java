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
 * @param handshakeTimeout a connection without HELLO by then is closed
 * @param heartbeatTimeout a replayer silent for this long is closed and its ranges freed
 * @param maxReplayers most replayers accepted at once; more are refused with TOO_MANY_REPLAYERS
 * @param hostFacts what a HOST_QUERY is answered
 */
public record ServerSettings(InetSocketAddress bindAddress, String token, String agentVersion, int snaplen,
        int maxRanges, long queueBytes, Duration handshakeTimeout, Duration heartbeatTimeout, int maxReplayers,
        HostFacts hostFacts) {

    /** Settings whose host facts name no capture (tests). */
    public ServerSettings(InetSocketAddress bindAddress, String token, String agentVersion, int snaplen,
            int maxRanges, long queueBytes, Duration handshakeTimeout, Duration heartbeatTimeout, int maxReplayers) {
        this(bindAddress, token, agentVersion, snaplen, maxRanges, queueBytes, handshakeTimeout, heartbeatTimeout,
                maxReplayers, new HostFacts(List.of(), ""));
    }
}
