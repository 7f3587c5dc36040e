package io.pcapreplay.packet;

/** Test helper: builds IPv6 TCP packets, with extension headers inserted after the fixed header. */
final class Ipv6Packets {

    static final long SOURCE_HIGH = 0x2001_0002_0000_0000L;
    static final long DESTINATION_HIGH = 0x2001_0002_0000_0001L;

    private Ipv6Packets() {
    }

    static byte[] tcpPacket(byte[] payload) {
        IpTcpEncoder encoder = new IpTcpEncoder().ipv6(SOURCE_HIGH, 1, DESTINATION_HIGH, 2).ports(40000, 80)
            .sequence(1000).acknowledgment(2000).flags(TcpHeader.ACK | TcpHeader.PSH);
        byte[] out = new byte[encoder.headerLength() + payload.length];
        encoder.encode(out, 0, payload, 0, payload.length);
        return out;
    }

    /** Inserts extension headers of the given types and lengths (multiples of 8; fragment: 8). */
    static byte[] withExtensionHeaders(byte[] packet, int[] types, int[] lengths) {
        int extra = 0;
        for (int length : lengths) {
            extra += length;
        }
        byte[] out = new byte[packet.length + extra];
        System.arraycopy(packet, 0, out, 0, 40);
        System.arraycopy(packet, 40, out, 40 + extra, packet.length - 40);
        int upper = out[Ipv6Header.NEXT_HEADER_OFFSET] & 0xFF;
        out[Ipv6Header.NEXT_HEADER_OFFSET] = (byte) types[0];
        int position = 40;
        for (int index = 0; index < types.length; index++) {
            out[position] = (byte) (index + 1 < types.length ? types[index + 1] : upper);
            out[position + 1] = (byte) (types[index] == Ipv6Header.FRAGMENT ? 0 : lengths[index] / 8 - 1);
            if (types[index] == Ipv6Header.HOP_BY_HOP || types[index] == Ipv6Header.DESTINATION_OPTIONS) {
                out[position + 2] = 1;
                out[position + 3] = (byte) (lengths[index] - 4);
            }
            position += lengths[index];
        }
        Ipv4Header.writeShort(out, Ipv6Header.PAYLOAD_LENGTH_OFFSET, out.length - 40);
        return out;
    }
}
