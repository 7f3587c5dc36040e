package io.pcapreplay.tcp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;

/**
  * The fake client addresses and ports a replayer sends from, and the order it hands them out.
  *
  * <p>A pool is parsed from a spec such as {@code 198.18.1.*}, {@code 198.18.0.0/16},
  * {@code 198.18.1.10-198.18.1.20}, {@code 198.18.2.7} or an IPv6 prefix {@code 2001:2:0:ff00::/104}, several
  * separated by commas; one address family per pool. Network and broadcast addresses of IPv4 prefixes, the all-zero
  * host of IPv6 prefixes and excluded addresses (the target's own) are never used. Each run starts at a random point
  * of the address × port space and rotates the ports by a random offset, so a new run does not reuse the endpoints of
  * the last one's half-open leftovers. Endpoints are handed out as packed longs ({@code addressIndex << 16 | port}):
  * no allocation per user. Not thread-safe: the engine's event loop owns it.
  */
public final class ClientAddressPool {

    /** Lowest port used by default (below it are the privileged ports). */
    public static final int DEFAULT_MIN_PORT = 1024;
    /** Highest port. */
    public static final int DEFAULT_MAX_PORT = 65535;
    /** Most addresses taken from one IPv6 prefix. */
    public static final long MAX_IPV6_ADDRESSES = 1L << 24;

    private final String spec;
    private final List<AddressRun> ranges;
    private final long[] rangeStarts;
    private final long addressCount;
    private final boolean ipv6;
    private final int minPort;
    private final int portCount;
    private final AddressAllocation allocation;
    private final long capacity;
    private final long start;
    private final int portOffset;
    private long handedOut;

    private ClientAddressPool(String spec, List<AddressRun> ranges, int minPort, int maxPort,
            AddressAllocation allocation, Random random) {
        this.spec = spec;
        this.ranges = List.copyOf(ranges);
        this.rangeStarts = new long[ranges.size()];
        long total = 0;
        for (int i = 0; i < ranges.size(); i++) {
            rangeStarts[i] = total;
            total += ranges.get(i).count();
        }
        this.addressCount = total;
        this.ipv6 = ranges.get(0).ipv6();
        this.minPort = minPort;
        this.portCount = maxPort - minPort + 1;
        this.allocation = allocation;
        this.capacity = total * portCount;
        this.start = Math.floorMod(random.nextLong(), capacity);
        this.portOffset = random.nextInt(portCount);
    }

    /**
      * Parses a pool.
      *
      * @param spec the address spec (see the class comment)
      * @param excludedAddresses addresses never used (the target's)
      * @param allocation the walk order
      * @param seed seed of the run's random start (use a random seed per run)
      */
    public static ClientAddressPool parse(String spec, Collection<InetAddress> excludedAddresses,
            AddressAllocation allocation, long seed) {
        return parse(spec, excludedAddresses, allocation, DEFAULT_MIN_PORT, DEFAULT_MAX_PORT, seed);
    }

    /** Parses a pool with a port range. */
    public static ClientAddressPool parse(String spec, Collection<InetAddress> excludedAddresses,
            AddressAllocation allocation, int minPort, int maxPort, long seed) {
        if (minPort < 1 || maxPort > 65535 || minPort > maxPort) {
            throw new IllegalArgumentException("client port range: " + minPort + "-" + maxPort
                    + " (expected: 1 <= min <= max <= 65535)");
        }
        List<AddressRun> ranges = AddressRun.parseAll(spec);
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("client addresses: '" + spec
                    + "' is empty (expected: at least one address)");
        }
        boolean ipv6 = ranges.get(0).ipv6();
        for (AddressRun range : ranges) {
            if (range.ipv6() != ipv6) {
                throw new IllegalArgumentException("client addresses: '" + spec
                        + "' mixes IPv4 and IPv6 (expected: one address family per pool)");
            }
        }
        for (InetAddress address : excludedAddresses) {
            List<AddressRun> kept = new ArrayList<>();
            for (AddressRun range : ranges) {
                kept.addAll(range.without(address.getAddress()));
            }
            ranges = kept;
        }
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("client addresses: '" + spec
                    + "' has no usable address left (expected: at least one address that is not the target's)");
        }
        return new ClientAddressPool(spec.trim(), ranges, minPort, maxPort, allocation, new Random(seed));
    }

    /** Returns the spec the pool was parsed from. */
    public String spec() {
        return spec;
    }

    /** Whether the pool holds IPv6 addresses. */
    public boolean ipv6() {
        return ipv6;
    }

    /** Number of usable addresses in the pool. */
    public long addressCount() {
        return addressCount;
    }

    /** Number of distinct endpoints (addresses × ports). */
    public long capacity() {
        return capacity;
    }

    /** The ranges as CIDR blocks that cover exactly the pool's addresses, for registering with the agent. */
    public List<String> cidrs() {
        List<String> cidrs = new ArrayList<>();
        for (AddressRun range : ranges) {
            range.addCidrs(cidrs);
        }
        return cidrs;
    }

    /**
      * Hands out the next endpoint: {@code addressIndex << 16 | port}. After {@link #capacity()} calls the walk starts
      * over; the caller skips endpoints still in use.
      */
    public long next() {
        long index = (start + handedOut++) % capacity;
        long addressIndex;
        long portIndex;
        if (allocation == AddressAllocation.IP_FIRST) {
            addressIndex = index % addressCount;
            portIndex = index / addressCount;
        } else {
            addressIndex = index / portCount;
            portIndex = index % portCount;
        }
        int port = minPort + (int) ((portIndex + portOffset) % portCount);
        return (addressIndex << 16) | port;
    }

    /** The port of a packed endpoint. */
    public static int port(long endpoint) {
        return (int) (endpoint & 0xFFFF);
    }

    /** The address index of a packed endpoint. */
    public static long addressIndex(long endpoint) {
        return endpoint >>> 16;
    }

    /** The IPv4 address (as an int) at an index. */
    public int ipv4(long addressIndex) {
        int range = rangeOf(addressIndex);
        return ranges.get(range).ipv4At(addressIndex - rangeStarts[range]);
    }

    /** Writes the 16-byte IPv6 address at an index into {@code target} at {@code offset}. */
    public void ipv6(long addressIndex, byte[] target, int offset) {
        int range = rangeOf(addressIndex);
        ranges.get(range).ipv6At(addressIndex - rangeStarts[range], target, offset);
    }

    /** The address at an index, as an InetAddress (for messages and tests, not the hot path). */
    public InetAddress address(long addressIndex) {
        byte[] bytes = new byte[ipv6 ? 16 : 4];
        if (ipv6) {
            ipv6(addressIndex, bytes, 0);
        } else {
            int value = ipv4(addressIndex);
            for (int i = 0; i < 4; i++) {
                bytes[i] = (byte) (value >>> (24 - 8 * i));
            }
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private int rangeOf(long addressIndex) {
        if (addressIndex < 0 || addressIndex >= addressCount) {
            throw new IndexOutOfBoundsException("client address index: " + addressIndex + " (expected: 0 to "
                    + (addressCount - 1) + ")");
        }
        int low = 0;
        int high = rangeStarts.length - 1;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (rangeStarts[middle] <= addressIndex) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low;
    }
}
