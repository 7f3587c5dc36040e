package io.pcapreplay.agent.router;

import io.pcapreplay.protocol.AddressRange;
import io.pcapreplay.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Maps the destination address of a captured packet (a fake client address) to the replayer that registered a
 * range containing it. Changes (rare) are serialized and publish a new immutable {@link RangeTable}; lookups (every
 * captured packet, on the capture threads) read the current table without locking.
 *
 * @param <T> the owner type (a replayer connection)
 */
public final class Router<T> {

    private final int maxRangesPerOwner;
    private final Map<T, Set<AddressRange>> ranges = new IdentityHashMap<>();
    private volatile RangeTable<T> table = RangeTable.empty();

    /** @param maxRangesPerOwner most ranges one owner may hold */
    public Router(int maxRangesPerOwner) {
        this.maxRangesPerOwner = maxRangesPerOwner;
    }

    /**
     * Adds ranges for an owner, all or none.
     *
     * @param owner the replayer
     * @param requested the ranges; ranges the owner already holds are kept once
     * @param nameOf names owners in messages (quoted and escaped by the caller)
     * @return null when done, else the refusal
     */
    public synchronized Refusal register(T owner, List<AddressRange> requested,
            Function<T, String> nameOf) {
        for (AddressRange range : requested) {
            for (Map.Entry<T, Set<AddressRange>> entry : ranges.entrySet()) {
                if (entry.getKey() == owner) {
                    continue;
                }
                for (AddressRange held : entry.getValue()) {
                    if (held.overlaps(range)) {
                        return new Refusal(ErrorCode.RANGE_OWNED, "range " + range + ": overlaps " + held
                                + " registered by replayer " + nameOf.apply(entry.getKey())
                                + " (expected: a range no other replayer holds; give each engine its own block)");
                    }
                }
            }
        }
        Set<AddressRange> mine = new LinkedHashSet<>(ranges.getOrDefault(owner, Set.of()));
        mine.addAll(requested);
        if (mine.size() > maxRangesPerOwner) {
            return new Refusal(ErrorCode.TOO_MANY_RANGES, "ranges held: " + mine.size() + " (expected: at most "
                    + maxRangesPerOwner + "; register wider CIDR blocks)");
        }
        ranges.put(owner, mine);
        publish();
        return null;
    }

    /**
     * Removes ranges of an owner, all or none.
     *
     * @param owner the replayer
     * @param released ranges it registered before, exactly as registered
     * @return null when done, else the refusal
     */
    public synchronized Refusal unregister(T owner, List<AddressRange> released) {
        Set<AddressRange> mine = ranges.getOrDefault(owner, Set.of());
        for (AddressRange range : released) {
            if (!mine.contains(range)) {
                return new Refusal(ErrorCode.NOT_REGISTERED, "range " + range + ": not registered by this replayer"
                        + " (expected: one of " + mine + ")");
            }
        }
        Set<AddressRange> rest = new LinkedHashSet<>(mine);
        released.forEach(rest::remove);
        if (rest.isEmpty()) {
            ranges.remove(owner);
        } else {
            ranges.put(owner, rest);
        }
        publish();
        return null;
    }

    /**
     * Frees every range of an owner (its connection closed).
     *
     * @param owner the replayer
     */
    public synchronized void removeOwner(T owner) {
        if (ranges.remove(owner) != null) {
            publish();
        }
    }

    /**
     * @param owner a replayer
     * @return the ranges it holds
     */
    public synchronized List<AddressRange> rangesOf(T owner) {
        return new ArrayList<>(ranges.getOrDefault(owner, Set.of()));
    }

    /**
     * Finds the owner of a packet's destination address.
     *
     * @param packet bytes holding an IP packet
     * @param offset where the IP header starts
     * @param length bytes of the IP packet available
     * @return the owner, or null when the packet is no IP packet or no range contains its destination
     */
    public T route(byte[] packet, int offset, int length) {
        if (length < 20) {
            return null;
        }
        int version = (packet[offset] & 0xFF) >>> 4;
        if (version == 4) {
            return table.lookupIpv4(readLong(packet, offset + 16, 4));
        }
        if (version == 6 && length >= 40) {
            return table.lookupIpv6(readLong(packet, offset + 24, 8), readLong(packet, offset + 32, 8));
        }
        return null;
    }

    private void publish() {
        table = RangeTable.build(ranges);
    }

    private static long readLong(byte[] bytes, int offset, int length) {
        long value = 0;
        for (int i = 0; i < length; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    /**
     * Why a change was refused.
     *
     * @param code the protocol error code
     * @param text details for a person
     */
    public record Refusal(ErrorCode code, String text) {
    }
}
