package io.pcapreplay.net;

import io.pcapreplay.libpcap.LibpcapLocator;
import io.pcapreplay.tcp.PacketSender;
import java.io.IOException;
import java.util.Locale;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.Pcaps;
import org.pcap4j.util.LinkLayerAddress;

/**
 * Sends the engine's IP packets at the datalink layer through libpcap ({@code pcap_sendpacket}), as tcpburn's
 * {@code --pcap-send}: each packet gets an Ethernet header with the given source and next-hop MAC addresses. Use it
 * where raw IP sockets are filtered or the kernel must not route the fake source addresses.
 *
 * <p>Needs root or CAP_NET_RAW; opened in the network namespace of the calling thread. Not thread-safe: the engine's
 * event loop is its only caller. Reuses one frame buffer: no allocation per packet.
 */
public final class DatalinkSender implements PacketSender, AutoCloseable {

    private static final int ETHERNET_HEADER = 14;
    private static final int MAC_LENGTH = 6;

    private final PcapHandle handle;
    private final String interfaceName;
    private final byte[] frame = new byte[ETHERNET_HEADER + RawIpSocket.MAX_PACKET];
    private long failures;

    private DatalinkSender(PcapHandle handle, String interfaceName, byte[] source, byte[] nextHop) {
        this.handle = handle;
        this.interfaceName = interfaceName;
        System.arraycopy(nextHop, 0, frame, 0, MAC_LENGTH);
        System.arraycopy(source, 0, frame, MAC_LENGTH, MAC_LENGTH);
    }

    /**
     * Opens an Ethernet interface for sending.
     *
     * @param interfaceName the interface, e.g. eth0
     * @param sourceMac the source MAC ("aa:bb:cc:dd:ee:ff"), or null for the interface's own
     * @param nextHopMac the MAC of the next hop towards the target (the target itself on the same network)
     * @throws IOException when libpcap is missing, the interface does not exist or cannot be opened, or a MAC is bad
     */
    public static DatalinkSender open(String interfaceName, String sourceMac, String nextHopMac) throws IOException {
        byte[] nextHop = parseMac("next-hop MAC", nextHopMac);
        if (LibpcapLocator.configure().isEmpty()) {
            throw new IOException(LibpcapLocator.notFoundMessage());
        }
        try {
            PcapNetworkInterface device = Pcaps.getDevByName(interfaceName);
            if (device == null) {
                throw new IOException("datalink interface: '" + interfaceName + "' not found (expected: an interface "
                        + "of this host, see 'ip link')");
            }
            byte[] source = sourceMac == null || sourceMac.isBlank() ? interfaceMac(device)
                    : parseMac("source MAC", sourceMac);
            PcapHandle handle = device.openLive(ETHERNET_HEADER + 128, PromiscuousMode.NONPROMISCUOUS, 10);
            return new DatalinkSender(handle, interfaceName, source, nextHop);
        } catch (PcapNativeException e) {
            throw new IOException("datalink interface " + interfaceName + ": cannot open: " + e.getMessage()
                    + " (expected: root or CAP_NET_RAW, and an Ethernet interface)", e);
        }
    }

    @Override
    public void send(byte[] packet, int offset, int length) {
        int version = (packet[offset] >> 4) & 0x0F;
        frame[12] = (byte) (version == 6 ? 0x86 : 0x08);
        frame[13] = (byte) (version == 6 ? 0xDD : 0x00);
        System.arraycopy(packet, offset, frame, ETHERNET_HEADER, length);
        try {
            handle.sendPacket(frame, ETHERNET_HEADER + length);
        } catch (PcapNativeException | NotOpenException e) {
            failures++;
            throw new IllegalStateException("datalink send on " + interfaceName + ": " + e.getMessage(), e);
        }
    }

    /** Sends that failed (each also surfaced to the engine as a lost packet). */
    public long failures() {
        return failures;
    }

    @Override
    public void close() {
        handle.close();
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

    private static byte[] interfaceMac(PcapNetworkInterface device) throws IOException {
        for (LinkLayerAddress address : device.getLinkLayerAddresses()) {
            if (address.length() == MAC_LENGTH) {
                return address.getAddress();
            }
        }
        throw new IOException("datalink interface " + device.getName() + ": no MAC address (expected: an Ethernet "
                + "interface, or give the source MAC)");
    }
}
