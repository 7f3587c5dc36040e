package io.pcapreplay.protocol;

import java.util.Arrays;

/**
 * One captured IP packet inside a {@link CapturedMessage}.
 * <pre>
 * +--------+--------+--------+--------+--------+--------+--------+--------+
 * |          capture timestamp, nanoseconds since the epoch (int64)       |
 * +--------+--------+--------+--------+--------+--------+--------+--------+
 * |     original IP length (uint32)   |  carried length (uint32) = n      |
 * +--------+--------+--------+--------+--------+--------+--------+--------+
 * |  n bytes: IP header, TCP header with options, payload up to the cap   |
 * +-----------------------------------------------------------------------+
 * </pre>
 * {@code originalLength > data.length} shows the packet was truncated (payload cap or snaplen).
 *
 * @param timestampNanos capture time, nanoseconds since the epoch
 * @param originalLength the IP packet's length on the wire
 * @param data the IP packet as carried, at most 65535 bytes (not copied: do not modify)
 */
public record CapturedPacket(long timestampNanos, int originalLength, byte[] data) {

    /** Validates the lengths. */
    public CapturedPacket {
        if (data == null) {
            throw new IllegalArgumentException("packet data: null (expected: the IP packet bytes)");
        }
        Limits.range("packet length", data.length, 0, AgentProtocol.MAX_PACKET_BYTES);
        Limits.range("original IP length", originalLength, data.length, AgentProtocol.MAX_ORIGINAL_LENGTH);
    }

    /** @return true when fewer bytes are carried than were on the wire */
    public boolean truncated() {
        return data.length < originalLength;
    }

    /** @return the encoded size on the wire */
    int wireLength() {
        return 16 + data.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CapturedPacket packet && packet.timestampNanos == timestampNanos
                && packet.originalLength == originalLength && Arrays.equals(packet.data, data);
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(timestampNanos) * 31 + originalLength) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "CapturedPacket[timestampNanos=" + timestampNanos + ", originalLength=" + originalLength
                + ", carried=" + data.length + "]";
    }
}
