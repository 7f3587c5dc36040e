package io.pcapreplay.agent.server;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bounds the connections that have not authenticated yet: at most {@code maxPerAddress} from one source address
 * (beyond it the NEW connection is refused: that source already holds its share) and at most {@code max} in all
 * (beyond it the OLDEST is closed for the newcomer: a real replayer sends HELLO right after connecting, so the
 * oldest pending connection is the one least likely to be one; refusing the newest instead would let a peer that
 * keeps {@code max} connections open lock every replayer out). Thread-safe (event loops share it).
 */
final class HandshakeLimiter {

    /** What to do with a new connection. */
    record Admission(boolean admitted, Channel evicted) {
    }

    private final int max;
    private final int maxPerAddress;
    private final Map<Channel, InetAddress> pending = new LinkedHashMap<>();
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();

    HandshakeLimiter(int max, int maxPerAddress) {
        this.max = max;
        this.maxPerAddress = maxPerAddress;
    }

    /**
     * @param channel a connection just accepted
     * @return refused (not admitted), or admitted with the oldest pending connection to close (or null)
     */
    synchronized Admission admit(Channel channel) {
        InetAddress address = address(channel.remoteAddress());
        int count = perAddress.getOrDefault(address, 0);
        if (count >= maxPerAddress) {
            return new Admission(false, null);
        }
        pending.put(channel, address);
        perAddress.put(address, count + 1);
        Channel evicted = null;
        if (pending.size() > max) {
            Iterator<Map.Entry<Channel, InetAddress>> oldest = pending.entrySet().iterator();
            Map.Entry<Channel, InetAddress> entry = oldest.next();
            oldest.remove();
            evicted = entry.getKey();
            release(entry.getValue());
        }
        return new Admission(true, evicted);
    }

    /** @param channel a connection that authenticated, was refused or closed (no-op when not pending) */
    synchronized void done(Channel channel) {
        if (pending.containsKey(channel)) {
            release(pending.remove(channel));
        }
    }

    /** @return connections awaiting HELLO now */
    synchronized int pending() {
        return pending.size();
    }

    /** @return the most connections awaiting HELLO in all */
    int max() {
        return max;
    }

    /** @return the most connections awaiting HELLO from one address */
    int maxPerAddress() {
        return maxPerAddress;
    }

    private void release(InetAddress address) {
        perAddress.computeIfPresent(address, (key, count) -> count > 1 ? count - 1 : null);
    }

    private static InetAddress address(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
