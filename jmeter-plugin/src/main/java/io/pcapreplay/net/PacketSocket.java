package io.pcapreplay.net;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * A Linux packet socket that sends complete Ethernet frames on one interface: {@code socket(AF_PACKET, SOCK_RAW, 0)},
 * bound to the interface, and {@code send(2)}. Protocol 0: the socket receives nothing, so the kernel copies no
 * packet of the interface into it; the frames skip IP routing and netfilter, and the kernel takes each frame's
 * protocol from its EtherType. Bound, a send needs no interface lookup.
 *
 * <p>{@code sockaddr_ll} for the bind (20 bytes, host order unless noted): family (2, AF_PACKET = 17), protocol (2,
 * network order: 0), interface index (4), hardware type (2), packet type (1), address length (1), address (8).
 *
 * <p>Needs root or CAP_NET_RAW; belongs to the network namespace of the thread that opened it. Sending copies the
 * frame into native memory owned by the socket (no allocation per packet); {@link #send} is synchronized. 64-bit
 * Linux only.
 */
public final class PacketSocket implements AutoCloseable {

    /** The largest frame: an Ethernet header and the largest IP packet. */
    public static final int MAX_FRAME = 14 + RawIpSocket.MAX_PACKET;
    private static final int AF_PACKET = 17;
    private static final int SOCK_RAW = 3;
    private static final int ARPHRD_ETHER = 1;
    private static final long SIOCGIFHWADDR = 0x8927;
    private static final long SIOCGIFINDEX = 0x8933;
    private static final int IFREQ = 40;
    private static final int IFNAMSIZ = 16;
    private static final int SOCKADDR_LL = 20;
    private static final int MAC_LENGTH = 6;

    static {
        Native.register(PacketSocket.class, Platform.C_LIBRARY_NAME);
    }

    private final int fd;
    private final String interfaceName;
    private final byte[] interfaceMac;
    private final Memory frame = new Memory(MAX_FRAME);
    private MessageBatch batch;
    private boolean closed;

    private PacketSocket(int fd, String interfaceName, byte[] interfaceMac) {
        this.fd = fd;
        this.interfaceName = interfaceName;
        this.interfaceMac = interfaceMac;
    }

    private static native int socket(int domain, int type, int protocol) throws LastErrorException;

    private static native int ioctl(int fd, long request, Pointer argument) throws LastErrorException;

    private static native int bind(int fd, Pointer address, int addressLength) throws LastErrorException;

    private static native long send(int fd, Pointer buffer, long length, int flags) throws LastErrorException;

    private static native int close(int fd) throws LastErrorException;

    /**
     * Opens a packet socket on an interface of the calling thread's network namespace.
     *
     * @param interfaceName the interface, e.g. eth0
     * @throws RawSocketException without root or CAP_NET_RAW, when the interface does not exist, or when it is not
     *         Ethernet
     */
    public static PacketSocket open(String interfaceName) throws RawSocketException {
        if (interfaceName == null || interfaceName.isEmpty() || interfaceName.length() >= IFNAMSIZ) {
            throw new RawSocketException(0, "datalink interface: '" + interfaceName + "' (expected: an interface "
                    + "name of 1.." + (IFNAMSIZ - 1) + " characters, see 'ip link')");
        }
        int fd;
        try {
            fd = socket(AF_PACKET, SOCK_RAW, 0);
        } catch (LastErrorException e) {
            throw new RawSocketException(e.getErrorCode(), describeOpenError(e.getErrorCode()));
        }
        try {
            Memory request = new Memory(IFREQ);
            request.clear();
            request.write(0, interfaceName.getBytes(StandardCharsets.US_ASCII), 0,
                    interfaceName.length());
            int index = query(fd, SIOCGIFINDEX, request, interfaceName).getInt(IFNAMSIZ);
            query(fd, SIOCGIFHWADDR, request, interfaceName);
            int hardwareType = request.getShort(IFNAMSIZ) & 0xFFFF;
            if (hardwareType != ARPHRD_ETHER) {
                throw new RawSocketException(0, "datalink interface " + interfaceName + ": hardware type "
                        + hardwareType + " (expected: Ethernet, " + ARPHRD_ETHER + ")");
            }
            byte[] mac = request.getByteArray(IFNAMSIZ + 2, MAC_LENGTH);
            Memory address = new Memory(SOCKADDR_LL);
            address.clear();
            address.setShort(0, (short) AF_PACKET);
            address.setInt(4, index);
            try {
                bind(fd, address, SOCKADDR_LL);
            } catch (LastErrorException e) {
                throw new RawSocketException(e.getErrorCode(), "datalink interface " + interfaceName + ": bind "
                        + "failed: errno " + Errno.name(e.getErrorCode()) + " (expected: success)");
            }
            return new PacketSocket(fd, interfaceName, mac);
        } catch (RawSocketException | RuntimeException e) {
            closeQuietly(fd);
            throw e;
        }
    }

    private static Memory query(int fd, long request, Memory ifreq, String interfaceName) throws RawSocketException {
        try {
            ioctl(fd, request, ifreq);
            return ifreq;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ENODEV) {
                throw new RawSocketException(e.getErrorCode(), "datalink interface: '" + interfaceName + "' not "
                        + "found (expected: an interface of this host, see 'ip link')");
            }
            throw new RawSocketException(e.getErrorCode(), "datalink interface " + interfaceName + ": ioctl "
                    + (request == SIOCGIFINDEX ? "SIOCGIFINDEX" : "SIOCGIFHWADDR") + " failed: errno "
                    + Errno.name(e.getErrorCode()) + " (expected: success)");
        }
    }

    /** Returns the interface's own MAC address. */
    public byte[] interfaceMac() {
        return interfaceMac.clone();
    }

    /** Returns the interface the socket sends on. */
    public String interfaceName() {
        return interfaceName;
    }

    /**
     * Sends one complete Ethernet frame (destination MAC, source MAC, EtherType, payload).
     *
     * @throws IllegalArgumentException when the bytes cannot be a frame
     * @throws RawSocketException when send(2) fails
     * @throws IllegalStateException when the socket is closed
     */
    public synchronized void send(byte[] bytes, int offset, int length) throws RawSocketException {
        if (closed) {
            throw new IllegalStateException("packet socket on " + interfaceName + ": closed (expected: open)");
        }
        if (!isFrame(bytes, offset, length)) {
            throw new IllegalArgumentException("datalink frame: " + length + " bytes at offset " + offset + " of "
                    + bytes.length + " (expected: 14.." + MAX_FRAME + " bytes inside the array)");
        }
        frame.write(0, bytes, offset, length);
        try {
            long sent = send(fd, frame, length, 0);
            if (sent != length) {
                throw new RawSocketException(0, "packet socket on " + interfaceName + ": sent " + sent + " of "
                        + length + " bytes (expected: the whole frame)");
            }
        } catch (LastErrorException e) {
            throw new RawSocketException(e.getErrorCode(), "packet socket on " + interfaceName + ": send of a "
                    + length + "-byte frame: errno " + Errno.name(e.getErrorCode()) + " (expected: success)"
                    + Errno.hint(e.getErrorCode()));
        }
    }

    /**
     * Sends several complete Ethernet frames with {@code sendmmsg(2)}, in order; a frame that cannot be one, or
     * that the kernel refuses, is skipped.
     *
     * @return how many frames could not be sent
     * @throws IllegalStateException when the socket is closed
     */
    public synchronized int send(byte[] bytes, int[] offsets, int[] lengths, int count) {
        if (closed) {
            throw new IllegalStateException("packet socket on " + interfaceName + ": closed (expected: open)");
        }
        if (batch == null) {
            batch = new MessageBatch(0, 0, 0, 0, 0);
        }
        int failed = 0;
        for (int i = 0; i < count; i++) {
            int offset = offsets[i];
            int length = lengths[i];
            if (!isFrame(bytes, offset, length)) {
                failed++;
                continue;
            }
            if (!batch.fits(length)) {
                failed += batch.send(fd);
            }
            batch.add(bytes, offset, length);
        }
        return batch.isEmpty() ? failed : failed + batch.send(fd);
    }

    /** Tells whether the bytes can be a frame: a header's worth up to the largest frame, inside the array. */
    private static boolean isFrame(byte[] bytes, int offset, int length) {
        return offset >= 0 && length >= 14 && length <= MAX_FRAME && offset <= bytes.length - length;
    }

    /** Closes the socket. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            closeQuietly(fd);
        }
    }

    private static void closeQuietly(int fd) {
        try {
            close(fd);
        } catch (LastErrorException e) {
            // the descriptor is released by the kernel anyway
        }
    }

    static String describeOpenError(int errno) {
        String call = "socket(AF_PACKET, SOCK_RAW, 0)";
        if (errno == Errno.EPERM || errno == Errno.EACCES) {
            return "datalink: permission denied for " + call + " (expected: root or CAP_NET_RAW); run as root, or "
                    + "grant the capability: sudo setcap cap_net_raw+ep $(readlink -f $(which java))";
        }
        return "datalink: " + call + " failed: errno " + Errno.name(errno) + " (expected: success)"
                + Errno.hint(errno);
    }
}
