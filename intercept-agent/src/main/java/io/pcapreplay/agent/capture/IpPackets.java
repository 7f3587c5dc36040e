package io.pcapreplay.agent.capture;

/**
 * The little IP/TCP header arithmetic the agent's hot path needs: the packet's real length (Ethernet pads short
 * frames) and where the TCP payload starts. Works on raw bytes, never throws on malformed input.
 */
public final class IpPackets {

    private static final int PROTOCOL_TCP = 6;

    private IpPackets() {
    }

    /**
     * @param bytes the buffer
     * @param offset the IP header's offset
     * @param available captured bytes from the offset
     * @return the IP packet's length as its header states it, or 0 when the header gives none (too short, not IP,
     *         or an IPv4 total length of 0 under segmentation offload)
     */
    public static int statedLength(byte[] bytes, int offset, int available) {
        if (available < 20) {
            return 0;
        }
        int version = (bytes[offset] & 0xFF) >>> 4;
        if (version == 4) {
            return readShort(bytes, offset + 2);
        }
        if (version == 6 && available >= 40) {
            int payload = readShort(bytes, offset + 4);
            return payload == 0 ? 0 : 40 + payload;
        }
        return 0;
    }

    /**
     * @param bytes the buffer
     * @param offset the IP header's offset
     * @param available captured bytes from the offset
     * @return the captured part of the IP packet: its stated length (dropping link padding) capped to what is
     *         available, or {@code available} when the header states none
     */
    public static int ipLength(byte[] bytes, int offset, int available) {
        int stated = statedLength(bytes, offset, available);
        return stated == 0 ? available : Math.min(stated, available);
    }

    /**
     * @param bytes the buffer
     * @param offset the IP header's offset
     * @param length the IP packet's length
     * @return bytes of IP header plus TCP header (with options) when the packet is TCP, else the IP header alone;
     *         never more than {@code length}
     */
    public static int headersLength(byte[] bytes, int offset, int length) {
        if (length < 20) {
            return length;
        }
        int version = (bytes[offset] & 0xFF) >>> 4;
        int ipHeader;
        int protocol;
        if (version == 4) {
            ipHeader = (bytes[offset] & 0x0F) * 4;
            protocol = bytes[offset + 9] & 0xFF;
        } else if (version == 6 && length >= 40) {
            ipHeader = 40;
            protocol = bytes[offset + 6] & 0xFF;
        } else {
            return length;
        }
        if (protocol != PROTOCOL_TCP || length < ipHeader + 20) {
            return Math.min(ipHeader, length);
        }
        int tcpHeader = ((bytes[offset + ipHeader + 12] & 0xFF) >>> 4) * 4;
        return Math.min(ipHeader + tcpHeader, length);
    }

    /**
     * @param bytes the buffer
     * @param offset the IP header's offset
     * @param length the IP packet's length
     * @param payloadCap -1 for the whole payload, else how many payload bytes to keep
     * @return how many bytes of the packet to forward
     */
    public static int carriedLength(byte[] bytes, int offset, int length, int payloadCap) {
        if (payloadCap < 0) {
            return length;
        }
        return (int) Math.min(length, (long) headersLength(bytes, offset, length) + payloadCap);
    }

    private static int readShort(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }
}
