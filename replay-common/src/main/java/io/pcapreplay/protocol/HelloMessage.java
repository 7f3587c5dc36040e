package io.pcapreplay.protocol;

/**
 * Replayer to agent, first frame of every connection (type 0x01).
 * <pre>
 * +--------+--------+--------+--------+--------+--------+--------+--------+------------------+
 * |          magic "PRAG" (uint32)    | version (uint16)| token length    | token (UTF-8)    |
 * +--------+--------+--------+--------+--------+--------+--------+--------+------------------+
 * | name   | name (UTF-8)    |     payload cap (int32): -1 whole payload, |
 * | length |                 |     0 headers only, n first n bytes        |
 * +--------+-----------------+--------+--------+--------+--------+
 * </pre>
 *
 * @param version the protocol version the replayer speaks (0..65535)
 * @param token the shared secret from the agent's token file (at most 256 UTF-8 bytes)
 * @param replayerName a name for logs and stats (at most 64 UTF-8 bytes)
 * @param payloadCap how many TCP payload bytes of each packet to forward: -1 all, 0 none, n the first n
 */
public record HelloMessage(int version, String token, String replayerName, int payloadCap) implements AgentMessage {

    /** Validates every field against the protocol limits. */
    public HelloMessage {
        Limits.range("protocol version", version, 0, 0xFFFF);
        Limits.text("auth token", token, AgentProtocol.MAX_TOKEN_BYTES);
        Limits.text("replayer name", replayerName, AgentProtocol.MAX_NAME_BYTES);
        Limits.range("payload cap", payloadCap, AgentProtocol.WHOLE_PAYLOAD, AgentProtocol.MAX_PACKET_BYTES);
    }

    /**
     * @param token the shared secret
     * @param replayerName a name for logs
     * @param payloadCap -1 all payload, 0 headers only, n the first n payload bytes
     * @return a HELLO for this protocol version
     */
    public static HelloMessage of(String token, String replayerName, int payloadCap) {
        return new HelloMessage(AgentProtocol.VERSION, token, replayerName, payloadCap);
    }

    @Override
    public MessageType type() {
        return MessageType.HELLO;
    }

    @Override
    public String toString() {
        return "HelloMessage[version=" + version + ", token=(" + token.length() + " chars), replayerName="
                + replayerName + ", payloadCap=" + payloadCap + "]";
    }
}
