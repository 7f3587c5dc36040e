package io.pcapreplay.protocol;

import java.util.List;

/**
 * Agent to replayer: captured packets, oldest first (type 0x20).
 * <pre>
 * +--------+--------+-------------------------------------------+
 * | count (uint16)  | count x {@link CapturedPacket}            |
 * +--------+--------+-------------------------------------------+
 * </pre>
 * A batch never exceeds {@link AgentProtocol#MAX_PACKETS_PER_BATCH} packets nor, encoded,
 * {@link AgentProtocol#MAX_FRAME_LENGTH} bytes; use {@link #fits(int, int, int)} to fill one.
 *
 * @param packets 1 to 1024 packets
 */
public record CapturedMessage(List<CapturedPacket> packets) implements AgentMessage {

    /** Bytes of a CAPTURED frame before its packets: length prefix, type, count. */
    public static final int OVERHEAD = AgentProtocol.LENGTH_FIELD_BYTES + 1 + 2;

    /** Validates and copies the list. */
    public CapturedMessage {
        packets = Limits.list("captured packets", packets, 1, AgentProtocol.MAX_PACKETS_PER_BATCH);
        long frame = 1 + 2;
        for (CapturedPacket packet : packets) {
            frame += packet.wireLength();
        }
        Limits.range("captured frame length", frame, 1, AgentProtocol.MAX_FRAME_LENGTH);
    }

    /**
     * @param packetCount packets already in the batch
     * @param frameBytes encoded bytes of the batch so far, starting at {@link #OVERHEAD}
     * @param nextPacketBytes length of the next packet's data
     * @return true when the next packet still fits in the same frame
     */
    public static boolean fits(int packetCount, int frameBytes, int nextPacketBytes) {
        return packetCount < AgentProtocol.MAX_PACKETS_PER_BATCH
                && frameBytes + 16L + nextPacketBytes - AgentProtocol.LENGTH_FIELD_BYTES
                <= AgentProtocol.MAX_FRAME_LENGTH;
    }

    /**
     * @param dataLength length of a packet's data
     * @return the bytes that packet adds to a CAPTURED frame
     */
    public static int packetWireLength(int dataLength) {
        return 16 + dataLength;
    }

    @Override
    public MessageType type() {
        return MessageType.CAPTURED;
    }
}
