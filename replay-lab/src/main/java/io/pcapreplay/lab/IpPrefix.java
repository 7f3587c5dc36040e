package io.pcapreplay.lab;

import java.math.BigInteger;
import java.net.InetAddress;

/**
 * An IP network: an address and a prefix length, like 198.18.0.0/15.
 *
 * @param network the first address of the network
 * @param length the prefix length in bits
 */
public record IpPrefix(InetAddress network, int length) {

    public IpPrefix {
        int bits = network.getAddress().length * 8;
        if (length < 0 || length > bits) {
            throw new IllegalArgumentException("prefix length: " + length + " (expected: 0.." + bits + ")");
        }
    }

    /** True when the address is in this network (same family). */
    public boolean contains(InetAddress address) {
        byte[] mine = network.getAddress();
        byte[] other = address.getAddress();
        if (mine.length != other.length) {
            return false;
        }
        int shift = mine.length * 8 - length;
        return new BigInteger(1, mine).shiftRight(shift).equals(new BigInteger(1, other).shiftRight(shift));
    }

    /**
     * The address at an offset from the start of the network, e.g. {@code host(0x0102)} of 198.18.0.0/15 is
     * 198.18.1.2.
     *
     * @throws IllegalArgumentException when the offset is outside the network
     */
    public InetAddress host(long offset) {
        byte[] bytes = network.getAddress();
        int hostBits = bytes.length * 8 - length;
        if (offset < 0 || (hostBits < 63 && offset >= (1L << hostBits))) {
            throw new IllegalArgumentException("offset: " + offset + " (expected: inside " + this + ")");
        }
        byte[] sum = new BigInteger(1, bytes).add(BigInteger.valueOf(offset)).toByteArray();
        byte[] result = new byte[bytes.length];
        int copy = Math.min(sum.length, result.length);
        System.arraycopy(sum, sum.length - copy, result, result.length - copy, copy);
        return LabLink.address(result);
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + length;
    }
}
