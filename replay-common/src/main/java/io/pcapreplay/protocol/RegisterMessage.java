package io.pcapreplay.protocol;

import java.util.List;

/**
 * Replayer to agent: route packets sent to these client ranges to me (type 0x10). The agent answers
 * {@link AckMessage} or {@link ErrorMessage} with the same request id; a range overlapping another replayer's
 * fails the whole request with {@link ErrorCode#RANGE_OWNED}.
 * <pre>
 * +--------+--------+--------+--------+--------+--------+-----------------------------------+
 * |        request id (uint32)        | count (uint16)  | count x {@link AddressRange}      |
 * +--------+--------+--------+--------+--------+--------+-----------------------------------+
 * </pre>
 *
 * @param requestId chosen by the replayer, echoed in the answer
 * @param ranges 1 to 1024 ranges
 */
public record RegisterMessage(long requestId, List<AddressRange> ranges) implements AgentMessage {

    /** Validates and copies the ranges. */
    public RegisterMessage {
        Limits.range("request id", requestId, 0, 0xFFFF_FFFFL);
        ranges = Limits.list("ranges", ranges, 1, AgentProtocol.MAX_RANGES);
    }

    @Override
    public MessageType type() {
        return MessageType.REGISTER;
    }
}
