package io.pcapreplay.net;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * A Linux raw IP socket that sends complete IP packets, header included: {@code socket(AF_INET, SOCK_RAW,
 * IPPROTO_RAW)} (IP_HDRINCL implied) or {@code socket(AF_INET6, SOCK_RAW, IPPROTO_RAW)} (on Linux the caller also
 * supplies the IPv6 header). The destination of each {@code sendto(2)} is read from the packet's own header.
 *
 * <p>Needs root or CAP_NET_RAW. The socket belongs to the network namespace of the thread that opened it. Sending
 * copies the packet into native memory owned by the socket (no allocation per packet); {@link #send} is
 * synchronized, so use one socket per sending thread for throughput. 64-bit Linux only.
 */
public final class RawIpSocket implements AutoCloseable {
    /** The largest packet: the IPv4 total length / IPv6 header plus payload length limit. */
    public static final int MAX_PACKET = 65535 + 40;
    private static final int SOCK_RAW = 3;
    private static final int IPPROTO_RAW = 255;
    private static final int SOL_SOCKET = 1;
    private static final int SO_SNDBUF = 7;
    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int SOCKADDR_IN = 16;
    private static final int SOCKADDR_IN6 = 28;

    /** The address family of a raw socket. */
    public enum Family {
        IPV4(2, 4),
        IPV6(10, 6);

        private final int addressFamily;
        private final int version;

        Family(int addressFamily, int version) {
            this.addressFamily = addressFamily;
            this.version = version;
        }

        /** The IP version in the first nibble of the packets of this family. */
        public int version() {
            return version;
        }
    }

    static {
        Native.register(RawIpSocket.class, Platform.C_LIBRARY_NAME);
    }

    private final Family family;
    private final int fd;
    private final Memory packet = new Memory(MAX_PACKET);
    private final Memory destination;
    private final int destinationLength;
    private MessageBatch batch;
    private boolean closed;

    private RawIpSocket(Family family, int fd) {
        this.family = family;
        this.fd = fd;
        this.destinationLength = family == Family.IPV4 ? SOCKADDR_IN : SOCKADDR_IN6;
        this.destination = new Memory(destinationLength);
        destination.clear();
        destination.setShort(0, (short) family.addressFamily);
    }

    private static native int socket(int domain, int type, int protocol) throws LastErrorException;

    private static native long sendto(int fd, Pointer buffer, long length, int flags, Pointer address,
            int addressLength) throws LastErrorException;

    private static native int setsockopt(int fd, int level, int name, Pointer value, int length)
            throws LastErrorException;

    private static native int close(int fd) throws LastErrorException;

    /**
     * Opens a raw socket in the network namespace of the calling thread.
     *
     * @throws RawSocketException when socket(2) fails, e.g. EPERM without root or CAP_NET_RAW
     */
    public static RawIpSocket open(Family family) throws RawSocketException {
        try {
            return new RawIpSocket(family, socket(family.addressFamily, SOCK_RAW, IPPROTO_RAW));
        } catch (LastErrorException e) {
            throw new RawSocketException(e.getErrorCode(), describeOpenError(family, e.getErrorCode()));
        }
    }

    /** Opens an IPv4 raw socket; see {@link #open(Family)}. */
    public static RawIpSocket openIpv4() throws RawSocketException {
        return open(Family.IPV4);
    }

    /** Opens an IPv6 raw socket; see {@link #open(Family)}. */
    public static RawIpSocket openIpv6() throws RawSocketException {
        return open(Family.IPV6);
    }

    public Family family() {
        return family;
    }

    /** Sets SO_SNDBUF (the kernel doubles it and caps it at net.core.wmem_max). */
    public synchronized void sendBufferSize(int bytes) throws RawSocketException {
        ensureOpen();
        IntByReference value = new IntByReference(bytes);
        try {
            setsockopt(fd, SOL_SOCKET, SO_SNDBUF, value.getPointer(), Integer.BYTES);
        } catch (LastErrorException e) {
            throw new RawSocketException(e.getErrorCode(), "raw socket: setsockopt(SO_SNDBUF, " + bytes
                    + "): errno " + Errno.name(e.getErrorCode()) + " (expected: success)");
        }
    }

    /**
     * Sends one complete IP packet (IP header first) to the destination address in its header.
     *
     * @throws IllegalArgumentException when the bytes are not an IP packet of this socket's family
     * @throws RawSocketException when sendto(2) fails
     * @throws IllegalStateException when the socket is closed
     */
    public synchronized void send(byte[] bytes, int offset, int length) throws RawSocketException {
        ensureOpen();
        checkPacket(bytes, offset, length);
        packet.write(0, bytes, offset, length);
        if (family == Family.IPV4) {
            destination.write(4, bytes, offset + 16, 4);
        } else {
            destination.write(8, bytes, offset + 24, 16);
        }
        try {
            long sent = sendto(fd, packet, length, 0, destination, destinationLength);
            if (sent != length) {
                throw new RawSocketException(0, "raw socket: sent " + sent + " of " + length
                        + " bytes (expected: the whole packet)");
            }
        } catch (LastErrorException e) {
            throw new RawSocketException(e.getErrorCode(), "raw socket: sendto of a " + length + "-byte " + family
                    + " packet: errno " + Errno.name(e.getErrorCode()) + " (expected: success)"
                    + Errno.hint(e.getErrorCode()));
        }
    }

    /**
     * Sends several complete IP packets of this socket's family with {@code sendmmsg(2)}, in order, each to the
     * destination address in its header; a packet that is not one, or that the kernel refuses, is skipped.
     *
     * @return how many packets could not be sent
     * @throws IllegalStateException when the socket is closed
     */
    public synchronized int send(byte[] bytes, int[] offsets, int[] lengths, int count) {
        ensureOpen();
        if (batch == null) {
            batch = family == Family.IPV4 ? new MessageBatch(family.addressFamily, SOCKADDR_IN, 16, 4, 4)
                    : new MessageBatch(family.addressFamily, SOCKADDR_IN6, 24, 16, 8);
        }
        int failed = 0;
        for (int i = 0; i < count; i++) {
            try {
                checkPacket(bytes, offsets[i], lengths[i]);
            } catch (IllegalArgumentException e) {
                failed++;
                continue;
            }
            if (!batch.fits(lengths[i])) {
                failed += batch.send(fd);
            }
            batch.add(bytes, offsets[i], lengths[i]);
        }
        return batch.isEmpty() ? failed : failed + batch.send(fd);
    }

    /** Closes the socket. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            close(fd);
        } catch (LastErrorException e) {
            // the descriptor is released by the kernel anyway
        }
    }

    static String describeOpenError(Family family, int errno) {
        String call = "socket(" + (family == Family.IPV4 ? "AF_INET" : "AF_INET6") + ", SOCK_RAW, IPPROTO_RAW)";
        if (errno == Errno.EPERM || errno == Errno.EACCES) {
            return "raw socket: permission denied for " + call + " (expected: root or CAP_NET_RAW); run as root, "
                    + "or grant the capability: sudo setcap cap_net_raw+ep $(readlink -f $(which java))";
        }
        return "raw socket: " + call + " failed: errno " + Errno.name(errno) + " (expected: success)"
                + Errno.hint(errno);
    }

    private void checkPacket(byte[] bytes, int offset, int length) {
        int header = family == Family.IPV4 ? IPV4_HEADER : IPV6_HEADER;
        if (offset < 0 || length < header || length > MAX_PACKET || offset > bytes.length - length) {
            throw new IllegalArgumentException("raw " + family + " packet: " + length + " bytes at offset " + offset
                    + " of " + bytes.length + " (expected: " + header + ".." + MAX_PACKET + " bytes inside the array)");
        }
        int version = (bytes[offset] >> 4) & 0x0F;
        if (version != family.version) {
            throw new IllegalArgumentException("raw " + family + " packet: IP version " + version + " (expected: "
                    + family.version + ")");
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("raw socket: closed (expected: open; open a new one)");
        }
    }
}
