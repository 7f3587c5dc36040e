package io.pcapreplay.packet;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Conversions of addresses held as primitives: IPv4 as an {@code int}, IPv6 as two {@code long}s (high and low
 * 64 bits, big-endian). Objects are only built when asked for.
 */
public final class IpAddresses {

    /** High 64 bits of an IPv4-mapped IPv6 address ({@code ::ffff:0:0/96}). */
    public static final long V4_MAPPED_HIGH = 0L;

    /** Low 64 bits of an IPv4-mapped IPv6 address, without the IPv4 part. */
    public static final long V4_MAPPED_LOW_PREFIX = 0x0000_FFFF_0000_0000L;

    private IpAddresses() {
    }

    /**
     * Reads a big-endian int.
     *
     * @param buffer the bytes
     * @param offset where it starts
     * @return the value
     */
    public static int readInt(byte[] buffer, int offset) {
        return (buffer[offset] & 0xFF) << 24 | (buffer[offset + 1] & 0xFF) << 16
            | (buffer[offset + 2] & 0xFF) << 8 | buffer[offset + 3] & 0xFF;
    }

    /**
     * Reads a big-endian long.
     *
     * @param buffer the bytes
     * @param offset where it starts
     * @return the value
     */
    public static long readLong(byte[] buffer, int offset) {
        return (readInt(buffer, offset) & 0xFFFF_FFFFL) << 32 | readInt(buffer, offset + 4) & 0xFFFF_FFFFL;
    }

    /**
     * Writes a big-endian int.
     *
     * @param buffer the bytes
     * @param offset where it starts
     * @param value the value
     */
    public static void writeInt(byte[] buffer, int offset, int value) {
        buffer[offset] = (byte) (value >>> 24);
        buffer[offset + 1] = (byte) (value >>> 16);
        buffer[offset + 2] = (byte) (value >>> 8);
        buffer[offset + 3] = (byte) value;
    }

    /**
     * Writes a big-endian long.
     *
     * @param buffer the bytes
     * @param offset where it starts
     * @param value the value
     */
    public static void writeLong(byte[] buffer, int offset, long value) {
        writeInt(buffer, offset, (int) (value >>> 32));
        writeInt(buffer, offset + 4, (int) value);
    }

    /**
     * Formats an IPv4 address as dotted quad.
     *
     * @param address the address
     * @return e.g. {@code "198.18.0.1"}
     */
    public static String formatV4(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xFF) + "." + (address >>> 8 & 0xFF) + "."
            + (address & 0xFF);
    }

    /**
     * Formats an IPv6 address in RFC 5952 form (via {@link #toInetAddress(long, long)}).
     *
     * @param high high 64 bits
     * @param low low 64 bits
     * @return e.g. {@code "2001:2::1"}
     */
    public static String formatV6(long high, long low) {
        return compress(toInetAddress(high, low).getHostAddress());
    }

    /**
     * Returns an IPv4 address object.
     *
     * @param address the address
     * @return the InetAddress
     */
    public static InetAddress toInetAddress(int address) {
        byte[] bytes = new byte[4];
        writeInt(bytes, 0, address);
        return byAddress(bytes);
    }

    /**
     * Returns an IPv6 address object (an IPv4-mapped address comes back as an IPv4 address, as Java does).
     *
     * @param high high 64 bits
     * @param low low 64 bits
     * @return the InetAddress
     */
    public static InetAddress toInetAddress(long high, long low) {
        byte[] bytes = new byte[16];
        writeLong(bytes, 0, high);
        writeLong(bytes, 8, low);
        return byAddress(bytes);
    }

    /**
     * Tells whether a 128-bit address is IPv4-mapped ({@code ::ffff:a.b.c.d}).
     *
     * @param high high 64 bits
     * @param low low 64 bits
     * @return whether it is IPv4-mapped
     */
    public static boolean isV4Mapped(long high, long low) {
        return high == V4_MAPPED_HIGH && (low & 0xFFFF_FFFF_0000_0000L) == V4_MAPPED_LOW_PREFIX;
    }

    /**
     * Returns the IPv4-mapped 128-bit form (low half) of an IPv4 address; the high half is 0.
     *
     * @param address the IPv4 address
     * @return the low 64 bits of {@code ::ffff:address}
     */
    public static long v4MappedLow(int address) {
        return V4_MAPPED_LOW_PREFIX | address & 0xFFFF_FFFFL;
    }

    /**
     * Formats a 128-bit address: dotted quad when IPv4-mapped, else IPv6.
     *
     * @param high high 64 bits
     * @param low low 64 bits
     * @return the text
     */
    public static String format(long high, long low) {
        return isV4Mapped(high, low) ? formatV4((int) low) : formatV6(high, low);
    }

    /**
     * Formats an address object: dotted quad, or RFC 5952 IPv6 ({@code ::1}, not Java's {@code 0:0:0:0:0:0:0:1}).
     *
     * @param address the address
     * @return the text
     */
    public static String format(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return formatV4(readInt(bytes, 0));
        }
        return compress(address.getHostAddress().replaceFirst("%.*$", ""));
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address length: " + bytes.length + " (expected: 4 or 16)", e);
        }
    }

    /** Java prints full groups ({@code 2001:2:0:0:0:0:0:1}); compress the longest zero run to "::". */
    private static String compress(String full) {
        String[] groups = full.split(":", -1);
        int bestStart = -1;
        int bestLength = 1;
        for (int index = 0; index < groups.length; index++) {
            int end = index;
            while (end < groups.length && "0".equals(groups[end])) {
                end++;
            }
            if (end - index > bestLength) {
                bestStart = index;
                bestLength = end - index;
            }
            index = Math.max(index, end);
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }
}
