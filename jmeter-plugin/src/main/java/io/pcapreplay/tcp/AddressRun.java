package io.pcapreplay.tcp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
  * A run of consecutive client addresses: IPv4 in {@code low} (unsigned), IPv6 as {@code high}/{@code low} halves.
  * IPv6 runs stay within one /64 (the low half never wraps), which {@link #parseAll} checks.
  */
record AddressRun(boolean ipv6, long high, long low, long count) {

    /** Parses comma- or space-separated items (see {@link ClientAddressPool}). */
    static List<AddressRun> parseAll(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("client addresses: empty (expected: e.g. 198.18.1.*, 198.18.0.0/16, "
                    + "198.18.1.10-198.18.1.20 or an IPv6 prefix 2001:2:0:ff00::/104)");
        }
        List<AddressRun> ranges = new ArrayList<>();
        for (String item : spec.trim().split("[,\\s]+")) {
            AddressRun range = parse(item);
            if (range.count() > 0) {
                ranges.add(range);
            }
        }
        return ranges;
    }

    /** This range without {@code address}: itself, or the (up to two) parts around it. */
    List<AddressRun> without(byte[] address) {
        if ((address.length == 16) != ipv6) {
            return List.of(this);
        }
        long addressHigh = ipv6 ? toLong(address, 0) : 0;
        long addressLow = ipv6 ? toLong(address, 8) : toLong(address, 0) & 0xFFFF_FFFFL;
        long offset = addressLow - low;
        if (addressHigh != high || offset < 0 || offset >= count) {
            return List.of(this);
        }
        List<AddressRun> parts = new ArrayList<>(2);
        if (offset > 0) {
            parts.add(new AddressRun(ipv6, high, low, offset));
        }
        if (offset + 1 < count) {
            parts.add(new AddressRun(ipv6, high, addressLow + 1, count - offset - 1));
        }
        return parts;
    }

    int ipv4At(long index) {
        return (int) (low + index);
    }

    void ipv6At(long index, byte[] target, int offset) {
        writeLong(high, target, offset);
        writeLong(low + index, target, offset + 8);
    }

    /** Adds the minimal list of aligned CIDR blocks covering this range. */
    void addCidrs(List<String> cidrs) {
        int bits = ipv6 ? 64 : 32;
        long next = low;
        long remaining = count;
        while (remaining > 0) {
            int size = next == 0 ? bits : Math.min(bits, Long.numberOfTrailingZeros(next));
            while (size > 0 && (1L << size) > remaining) {
                size--;
            }
            cidrs.add(format(next) + "/" + ((ipv6 ? 128 : 32) - size));
            next += 1L << size;
            remaining -= 1L << size;
        }
    }

    private String format(long lowPart) {
        byte[] bytes = new byte[ipv6 ? 16 : 4];
        if (ipv6) {
            writeLong(high, bytes, 0);
            writeLong(lowPart, bytes, 8);
        } else {
            for (int i = 0; i < 4; i++) {
                bytes[i] = (byte) (lowPart >>> (24 - 8 * i));
            }
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static AddressRun parse(String item) {
        try {
            if (item.contains("/")) {
                return parsePrefix(item);
            }
            if (item.contains("*")) {
                return parseWildcard(item);
            }
            if (item.indexOf('-') > 0) {
                return parseInterval(item);
            }
            byte[] address = literal(item);
            return address.length == 4
                    ? new AddressRun(false, 0, toLong(address, 0) & 0xFFFF_FFFFL, 1)
                    : new AddressRun(true, toLong(address, 0), toLong(address, 8), 1);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("client addresses: '" + item + "': " + e.getMessage(), e);
        }
    }

    private static AddressRun parsePrefix(String item) {
        int slash = item.indexOf('/');
        byte[] address = literal(item.substring(0, slash));
        int length = parseInt(item.substring(slash + 1), "prefix length");
        if (address.length == 4) {
            if (length < 8 || length > 32) {
                throw new IllegalArgumentException("prefix length " + length + " (expected: 8 to 32 for IPv4)");
            }
            long size = 1L << (32 - length);
            long network = (toLong(address, 0) & 0xFFFF_FFFFL) & ~(size - 1);
            // network and broadcast addresses are left out where the prefix has them
            return size >= 4
                    ? new AddressRun(false, 0, network + 1, size - 2)
                    : new AddressRun(false, 0, network, size);
        }
        if (length < 64 || length > 128) {
            throw new IllegalArgumentException("prefix length " + length + " (expected: 64 to 128 for IPv6)");
        }
        int hostBits = 128 - length;
        long mask = hostBits >= 64 ? 0 : ~((1L << hostBits) - 1);
        long network = toLong(address, 8) & mask;
        if (hostBits == 0) {
            return new AddressRun(true, toLong(address, 0), network, 1);
        }
        // the all-zero host (subnet-router anycast) is left out; at most MAX_IPV6_ADDRESSES are used
        long usable = hostBits > 24 ? ClientAddressPool.MAX_IPV6_ADDRESSES : (1L << hostBits) - 1;
        return new AddressRun(true, toLong(address, 0), network + 1, usable);
    }

    private static AddressRun parseWildcard(String item) {
        String[] octets = item.split("\\.");
        int fixed = 0;
        while (fixed < octets.length && !octets[fixed].equals("*")) {
            fixed++;
        }
        for (int i = fixed; i < octets.length; i++) {
            if (!octets[i].equals("*")) {
                throw new IllegalArgumentException(
                        "wildcards only at the end (expected: e.g. 198.18.1.* or 198.18.*.*)");
            }
        }
        if (octets.length != 4 || fixed < 1) {
            throw new IllegalArgumentException("not an IPv4 wildcard (expected: e.g. 198.18.1.*)");
        }
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            prefix.append(i < fixed ? octets[i] : "0").append(i < 3 ? "." : "");
        }
        return parsePrefix(prefix + "/" + (8 * fixed));
    }

    private static AddressRun parseInterval(String item) {
        int dash = item.indexOf('-');
        byte[] first = literal(item.substring(0, dash));
        String end = item.substring(dash + 1);
        if (first.length != 4) {
            throw new IllegalArgumentException("intervals are IPv4 only (expected: use a prefix for IPv6)");
        }
        long from = toLong(first, 0) & 0xFFFF_FFFFL;
        long to = end.contains(".") ? toLong(literal(end), 0) & 0xFFFF_FFFFL
                : (from & ~0xFFL) | parseInt(end, "last octet");
        if (to < from || (!end.contains(".") && parseInt(end, "last octet") > 255)) {
            throw new IllegalArgumentException("empty interval (expected: first <= last)");
        }
        return new AddressRun(false, 0, from, to - from + 1);
    }

    private static byte[] literal(String text) {
        if (!text.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            throw new IllegalArgumentException("not an IP address (expected: a literal such as 198.18.1.1)");
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address (expected: a literal such as 198.18.1.1)", e);
        }
    }

    private static int parseInt(String text, String what) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + text + "' (expected: a number)", e);
        }
    }

    private static long toLong(byte[] bytes, int offset) {
        long value = 0;
        int length = Math.min(8, bytes.length - offset);
        for (int i = 0; i < length; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    private static void writeLong(long value, byte[] target, int offset) {
        for (int i = 0; i < 8; i++) {
            target[offset + i] = (byte) (value >>> (56 - 8 * i));
        }
    }
}
