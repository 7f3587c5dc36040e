package io.pcapreplay.jmeter;

import io.pcapreplay.pcap.RecordedSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The RANDOM hand-out of a {@link SessionSource}: uniformly among all sessions when they are kept in memory, else
 * among the next {@code lookAhead} sessions of the stream (a random pick within a sliding window, so the order is
 * random only locally). Not thread-safe: guarded by its source's lock.
 */
final class RandomWindow {

    private final Random random;
    private final int lookAhead;
    private final List<RecordedSession> window = new ArrayList<>();

    /**
     * @param seed seed of the order
     * @param lookAhead the window over a stream: sessions (at least 1)
     */
    RandomWindow(long seed, int lookAhead) {
        this.random = new Random(seed);
        this.lookAhead = Math.max(1, lookAhead);
    }

    /** Picks the next session of the passes, or null when none is left (every session once, or a failure). */
    RecordedSession pick(SessionPasses passes) {
        if (passes.memory() != null && !passes.isOnce()) {
            return passes.memory().get(random.nextInt(passes.memory().size()));
        }
        while (window.size() < lookAhead && (passes.memory() == null || passes.isOnce())
            && !passes.exhaustedStream()) {
            RecordedSession next = passes.nextOfStream();
            if (next == null) {
                break;
            }
            window.add(next);
        }
        if (passes.memory() != null && !passes.isOnce()) {
            window.clear();
            return passes.memory().get(random.nextInt(passes.memory().size()));
        }
        if (window.isEmpty()) {
            return null;
        }
        int index = random.nextInt(window.size());
        RecordedSession picked = window.get(index);
        window.set(index, window.get(window.size() - 1));
        window.remove(window.size() - 1);
        return picked;
    }

    /** Forgets the sessions in the window (the source closed). */
    void clear() {
        window.clear();
    }
}
