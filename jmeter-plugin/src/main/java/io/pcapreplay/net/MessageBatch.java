package io.pcapreplay.net;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * Several packets sent with one {@code sendmmsg(2)}: their bytes copied into native memory owned by the batch, one
 * {@code struct mmsghdr} and one {@code struct iovec} per packet, and, for a socket that is not bound to its peer,
 * one destination address per packet copied from the packet's own header. Used by one socket under its lock; no
 * allocation per packet.
 *
 * <p>Layout on 64-bit Linux: {@code struct mmsghdr} (64 bytes) = {@code struct msghdr} (name pointer at 0, name
 * length at 8, iovec pointer at 16, iovec count at 24, control pointer at 32, control length at 40, flags at 48) and
 * the kernel's {@code msg_len} at 56; {@code struct iovec} (16 bytes) = base pointer, length.
 */
final class MessageBatch {

    /** Most packets in one call. */
    static final int MAX_PACKETS = 64;
    /** Most bytes in one call: the largest frame and then some. */
    static final int MAX_BYTES = PacketSocket.MAX_FRAME + 16_384;
    private static final int MMSGHDR = 64;
    private static final int IOVEC = 16;

    static {
        Native.register(MessageBatch.class, Platform.C_LIBRARY_NAME);
    }

    private final Memory data = new Memory(MAX_BYTES);
    private final Memory messages = new Memory((long) MAX_PACKETS * MMSGHDR);
    private final Memory vectors = new Memory((long) MAX_PACKETS * IOVEC);
    private final Memory addresses;
    private final int addressLength;
    private final int packetAddressOffset;
    private final int addressBytes;
    private final int sockaddrAddressOffset;
    private final long dataAddress;
    private int count;
    private int used;

    /**
     * @param family the address family written into each destination address, or 0 for none (a bound socket)
     * @param addressLength the length of a destination address ({@code sockaddr_in}: 16, {@code sockaddr_in6}: 28)
     * @param packetAddressOffset where a packet's destination address starts in its header
     * @param addressBytes how long that address is (4 or 16; 0 for none)
     * @param sockaddrAddressOffset where it goes in the destination address (4 or 8)
     */
    MessageBatch(int family, int addressLength, int packetAddressOffset, int addressBytes,
            int sockaddrAddressOffset) {
        this.addressLength = addressLength;
        this.packetAddressOffset = packetAddressOffset;
        this.addressBytes = addressBytes;
        this.sockaddrAddressOffset = sockaddrAddressOffset;
        this.dataAddress = Pointer.nativeValue(data);
        this.addresses = addressLength == 0 ? null : new Memory((long) MAX_PACKETS * addressLength);
        messages.clear();
        if (addresses != null) {
            addresses.clear();
        }
        long vectorAddress = Pointer.nativeValue(vectors);
        for (int i = 0; i < MAX_PACKETS; i++) {
            long message = (long) i * MMSGHDR;
            if (addresses != null) {
                addresses.setShort((long) i * addressLength, (short) family);
                messages.setLong(message, Pointer.nativeValue(addresses) + (long) i * addressLength);
                messages.setInt(message + 8, addressLength);
            }
            messages.setLong(message + 16, vectorAddress + (long) i * IOVEC);
            messages.setLong(message + 24, 1);
        }
    }

    private static native int sendmmsg(int fd, Pointer messages, int count, int flags) throws LastErrorException;

    /** Tells whether a packet of this length still fits in the batch. */
    boolean fits(int length) {
        return count < MAX_PACKETS && used + length <= MAX_BYTES;
    }

    /** Adds a packet (call {@link #fits} first), and its destination address from its header. */
    void add(byte[] bytes, int offset, int length) {
        data.write(used, bytes, offset, length);
        if (addressBytes > 0) {
            addresses.write((long) count * addressLength + sockaddrAddressOffset, bytes,
                    offset + packetAddressOffset, addressBytes);
        }
        long vector = (long) count * IOVEC;
        vectors.setLong(vector, dataAddress + used);
        vectors.setLong(vector + 8, length);
        used += length;
        count++;
    }

    /** Tells whether the batch holds no packet. */
    boolean isEmpty() {
        return count == 0;
    }

    /**
     * Sends the packets on {@code fd} and empties the batch; a packet the kernel refuses is skipped.
     *
     * @return how many packets could not be sent
     */
    int send(int fd) {
        int failed = 0;
        int done = 0;
        try {
            while (done < count) {
                Pointer from = done == 0 ? messages : messages.share((long) done * MMSGHDR);
                try {
                    done += Math.max(1, sendmmsg(fd, from, count - done, 0));
                } catch (LastErrorException e) {
                    failed++; // this packet: the next call starts after it
                    done++;
                }
            }
        } finally {
            count = 0;
            used = 0;
        }
        return failed;
    }
}
