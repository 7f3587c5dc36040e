package io.pcapreplay.protocol;

import java.util.List;

/**
 * Replayer to agent: stop routing these ranges to me (type 0x11); each must equal a range this replayer
 * registered, else {@link ErrorCode#NOT_REGISTERED}. Same layout as {@link RegisterMessage}:
 * <pre>
 * +--------+--------+--------+--------+--------+--------+-----------------------------------+
 * |        request id (uint32)        | count (uint16)  | count x {@link AddressRange}      |
 * +--------+--------+--------+--------+--------+--------+-----------------------------------+
 * </pre>
 *
 * @param requestId chosen by the replayer, echoed in the answer
 * @param ranges 1 to 1024 ranges
 */
public record UnregisterMessage(long requestId, List<AddressRange> ranges) implements AgentMessage {

    /** Validates and copies the ranges. */
    public UnregisterMessage {
        Limits.range("request id", requestId, 0, 0xFFFF_FFFFL);
        ranges = Limits.list("ranges", ranges, 1, AgentProtocol.MAX_RANGES);
    }

    @Override
    public MessageType type() {
        return MessageType.UNREGISTER;
    }
}
