package io.pcapreplay.net;

import io.pcapreplay.tcp.PacketSender;
import java.io.IOException;
import java.util.Locale;

/**
 * Sends the engine's IP packets at the datalink layer, as tcpburn's {@code --pcap-send}: each packet gets an Ethernet
 * header with the given source and next-hop MAC addresses and leaves through a {@link PacketSocket} on the
 * interface. The kernel neither routes the packets nor runs netfilter on them, and no libpcap handle captures what
 * is sent. Use it where raw IP sockets are filtered or the kernel must not route the fake source addresses; it also
 * costs less per packet than the raw IP socket (docs/benchmarks.md).
 *
 * <p>Needs root or CAP_NET_RAW; opened in the network namespace of the calling thread. Not thread-safe: the engine's
 * event loop is its only caller. Reuses one frame buffer: no allocation per packet.
 */
public final class DatalinkSender implements PacketSender, AutoCloseable {

    private static final int ETHERNET_HEADER = 14;
    private static final int MAC_LENGTH = 6;

    private final PacketSocket socket;
    private final byte[] frame = new byte[ETHERNET_HEADER + RawIpSocket.MAX_PACKET];
    private final byte[] frames = new byte[MessageBatch.MAX_BYTES];
    private final int[] frameOffsets = new int[MessageBatch.MAX_PACKETS];
    private final int[] frameLengths = new int[MessageBatch.MAX_PACKETS];
    private long failures;

    private DatalinkSender(PacketSocket socket, byte[] source, byte[] nextHop) {
        this.socket = socket;
        System.arraycopy(nextHop, 0, frame, 0, MAC_LENGTH);
        System.arraycopy(source, 0, frame, MAC_LENGTH, MAC_LENGTH);
    }

    /**
     * Opens an Ethernet interface for sending.
     *
     * @param interfaceName the interface, e.g. eth0
     * @param sourceMac the source MAC ("aa:bb:cc:dd:ee:ff"), or null for the interface's own
     * @param nextHopMac the MAC of the next hop towards the target (the target itself on the same network)
     * @throws IOException without root or CAP_NET_RAW, when the interface does not exist or is not Ethernet, or a
     *         MAC is bad
     */
    public static DatalinkSender open(String interfaceName, String sourceMac, String nextHopMac) throws IOException {
        byte[] nextHop = parseMac("next-hop MAC", nextHopMac);
        byte[] source = sourceMac == null || sourceMac.isBlank() ? null : parseMac("source MAC", sourceMac);
        PacketSocket socket = PacketSocket.open(interfaceName);
        return new DatalinkSender(socket, source == null ? socket.interfaceMac() : source, nextHop);
    }

    @Override
    public void send(byte[] packet, int offset, int length) {
        try {
            socket.send(frame, 0, frame(frame, 0, packet, offset, length));
        } catch (RawSocketException | IllegalStateException e) {
            failures++;
            throw new IllegalStateException("datalink send on " + socket.interfaceName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean sendsBatches() {
        return true;
    }

    /** Sends the packets as frames, up to {@value MessageBatch#MAX_PACKETS} in one {@code sendmmsg(2)}. */
    @Override
    public int send(byte[] buffer, int[] offsets, int[] lengths, int count) {
        int failed = 0;
        int framed = 0;
        int used = 0;
        for (int i = 0; i < count; i++) {
            int length = ETHERNET_HEADER + lengths[i];
            if (framed == frameOffsets.length || used + length > frames.length) {
                failed += sendFrames(framed);
                framed = 0;
                used = 0;
            }
            frameOffsets[framed] = used;
            frameLengths[framed++] = frame(frames, used, buffer, offsets[i], lengths[i]);
            used += length;
        }
        return framed == 0 ? failed : failed + sendFrames(framed);
    }

    /** Writes the packet as a frame at {@code at}: our MACs, the EtherType of its IP version, the packet. */
    private int frame(byte[] out, int at, byte[] packet, int offset, int length) {
        System.arraycopy(frame, 0, out, at, MAC_LENGTH * 2); // the MACs, written once into the single frame
        int version = (packet[offset] >> 4) & 0x0F;
        out[at + 12] = (byte) (version == 6 ? 0x86 : 0x08);
        out[at + 13] = (byte) (version == 6 ? 0xDD : 0x00);
        System.arraycopy(packet, offset, out, at + ETHERNET_HEADER, length);
        return ETHERNET_HEADER + length;
    }

    private int sendFrames(int count) {
        try {
            int failed = socket.send(frames, frameOffsets, frameLengths, count);
            failures += failed;
            return failed;
        } catch (IllegalStateException e) {
            failures += count;
            return count;
        }
    }

    /** Sends that failed (each also surfaced to the engine as a lost packet). */
    public long failures() {
        return failures;
    }

    @Override
    public void close() {
        socket.close();
    }

    /** Parses "aa:bb:cc:dd:ee:ff" (or with '-'). */
    static byte[] parseMac(String what, String text) throws IOException {
        String[] parts = text == null ? new String[0] : text.trim().split("[:-]");
        byte[] mac = new byte[MAC_LENGTH];
        if (parts.length != MAC_LENGTH) {
            throw new IOException(what + ": '" + text + "' (expected: six hex bytes, e.g. 02:00:00:00:00:01)");
        }
        for (int i = 0; i < MAC_LENGTH; i++) {
            if (!parts[i].matches("[0-9a-fA-F]{1,2}")) {
                throw new IOException(what + ": '" + text + "' (expected: six hex bytes, e.g. 02:00:00:00:00:01)");
            }
            mac[i] = (byte) Integer.parseInt(parts[i].toLowerCase(Locale.ROOT), 16);
        }
        return mac;
    }
}
