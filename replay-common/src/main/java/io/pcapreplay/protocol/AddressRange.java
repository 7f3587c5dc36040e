package io.pcapreplay.protocol;

import io.pcapreplay.packet.IpAddresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A CIDR block of client addresses, IPv4 or IPv6, with all host bits zero.
 *
 * <p>On the wire (inside REGISTER and UNREGISTER):
 * <pre>
 * +--------+--------+---------------------------------+
 * | family | prefix | address (4 bytes for family 4,  |
 * | 4 or 6 | length |          16 bytes for family 6) |
 * +--------+--------+---------------------------------+
 * </pre>
 *
 * @param address the network address, 4 or 16 bytes (copied)
 * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
 */
public record AddressRange(byte[] address, int prefixLength) {

    /** Validates the range and copies the address. */
    public AddressRange {
        if (address == null || (address.length != 4 && address.length != 16)) {
            throw new IllegalArgumentException("range address length: " + (address == null ? "null" : address.length)
                    + " (expected: 4 or 16 bytes)");
        }
        address = address.clone();
        int bits = address.length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("range prefix length: " + prefixLength + " (expected: 0.." + bits + ")");
        }
        for (int bit = prefixLength; bit < bits; bit++) {
            if ((address[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                throw new IllegalArgumentException("range " + format(address, prefixLength)
                        + ": host bits set (expected: a network address, e.g. " + format(mask(address, prefixLength),
                        prefixLength) + ")");
            }
        }
    }

    /**
     * @param cidr e.g. {@code 198.18.0.0/15} or {@code 2001:2::/48}; a bare address means a single host
     * @return the range
     * @throws IllegalArgumentException when the text is no literal address or prefix
     */
    public static AddressRange parse(String cidr) {
        String text = cidr.trim();
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = host.indexOf(':') >= 0 ? parseIpv6(cidr, host) : parseIpv4(cidr, host);
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("address range prefix: '" + cidr + "' (expected: /0../"
                        + bytes.length * 8 + ")", e);
            }
        }
        return new AddressRange(bytes, prefix);
    }

    /** @return whether this is an IPv6 range */
    public boolean ipv6() {
        return address.length == 16;
    }

    /** @return a copy of the network address */
    @Override
    public byte[] address() {
        return address.clone();
    }

    /** @return true for an IPv4 range */
    public boolean isIpv4() {
        return address.length == 4;
    }

    /**
     * @param ip an IPv4 (4 bytes) or IPv6 (16 bytes) address
     * @return true when the address lies in this range (an address of the other family never does)
     */
    public boolean contains(byte[] ip) {
        return contains(ip, 0, ip.length);
    }

    /**
     * @param buffer bytes holding an address
     * @param offset where the address starts
     * @param length 4 or 16
     * @return true when the address lies in this range
     */
    public boolean contains(byte[] buffer, int offset, int length) {
        if (length != address.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (buffer[offset + i] != address[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF00 >>> rest) & 0xFF;
        return (buffer[offset + full] & mask) == (address[full] & mask);
    }

    /**
     * @param other another range
     * @return true when the two ranges share at least one address
     */
    public boolean overlaps(AddressRange other) {
        if (other.address.length != address.length) {
            return false;
        }
        return prefixLength <= other.prefixLength ? contains(other.address) : other.contains(address);
    }

    /** @return the encoded size on the wire */
    int wireLength() {
        return 2 + address.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AddressRange range && range.prefixLength == prefixLength
                && Arrays.equals(range.address, address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        return format(address, prefixLength);
    }

    private static byte[] parseIpv4(String cidr, String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("address range: '" + cidr
                    + "' (expected: CIDR with a literal address, e.g. 198.18.0.0/15 or 2001:2::/48)");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!parts[i].matches("[0-9]{1,3}") || Integer.parseInt(parts[i]) > 255) {
                throw new IllegalArgumentException("address range: '" + cidr
                        + "' (expected: four decimal numbers 0..255 separated by dots)");
            }
            bytes[i] = (byte) Integer.parseInt(parts[i]);
        }
        return bytes;
    }

    private static byte[] parseIpv6(String cidr, String host) {
        if (!host.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("address range: '" + cidr + "' (expected: a literal IPv6 address)");
        }
        try {
            byte[] bytes = InetAddress.getByName(host).getAddress();
            if (bytes.length != 16) {
                throw new IllegalArgumentException("address range: '" + cidr + "' (expected: a literal IPv6 address)");
            }
            return bytes;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address range: '" + cidr + "' (expected: a literal IPv6 address)", e);
        }
    }

    private static byte[] mask(byte[] address, int prefixLength) {
        byte[] masked = address.clone();
        for (int bit = prefixLength; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return masked;
    }

    private static String format(byte[] address, int prefixLength) {
        try {
            return IpAddresses.format(InetAddress.getByAddress(address)) + "/" + prefixLength; // RFC 5952: ::/0
        } catch (UnknownHostException e) {
            return Arrays.toString(address) + "/" + prefixLength;
        }
    }
}
