package io.pcapreplay.jmeter;

import io.pcapreplay.pcap.CaptureException;
import io.pcapreplay.pcap.LeftOutCounts;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.pcap.SessionStream;
import io.pcapreplay.pcap.SessionStreams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The recorded sessions of a thread group and who gets which next: thread-safe, shared by every user of the group
 * (thread per user and engine-driven alike). Sessions come from a {@link SessionStream} in recorded start order,
 * pulled when a user needs one (no reading thread: the stream's window does the buffering), so a capture of any
 * size replays in a heap sized for the sessions open at once in it. A loop past the end reads the source again;
 * when the whole source fit in {@link #MEMORY_SESSIONS} sessions and {@link #MEMORY_BYTES} bytes during the first
 * pass it is kept in memory instead (small captures are read once).
 *
 * <p>Hand-out: ROUND_ROBIN and RECORDED in start order; RECORDED at the recorded start offsets, each pass after the
 * span of the ones before; RANDOM uniformly among all sessions when the source is kept in memory, else among the
 * next {@code lookAhead} sessions of the stream (a random pick within a sliding window, so the order is random
 * only locally). Sessions left out while reading (truncated, too large ...) are reported during the first pass
 * only, and summed up in one log line when it ends. A source that fails midway (malformed record) ends the
 * hand-out: {@link #next(long, double)} returns null and {@link #failure()} says why (logged once).
 *
 * <p>This class holds the lock, the recorded offsets and the causal order; reading the stream pass after pass is
 * {@link SessionPasses}', the RANDOM pick {@link RandomWindow}'s.
 */
public final class SessionSource implements AutoCloseable {

    /** Sessions kept to replay a small source from memory. */
    static final int MEMORY_SESSIONS = 100_000;
    /** Bytes kept to replay a small source from memory: 64 MiB, or a sixteenth of a smaller heap. */
    static final long MEMORY_BYTES = Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 16);
    /** Longest wait of {@link #next(long, double)} for a live session: 500 ms (then null; ask again). */
    static final long LIVE_WAIT_NANOS = 500_000_000L;
    /** Default window of the RANDOM hand-out over a stream: sessions. */
    public static final int DEFAULT_LOOK_AHEAD = 1024;

    private static final Set<SessionSource> OPEN = ConcurrentHashMap.newKeySet();

    /**
     * One session for one user, how long the user waits before starting it, and its place in the causal order.
     *
     * @param session the session
     * @param delayNanos the wait before starting it (0 unless the hand-out keeps recorded offsets)
     * @param ticket its place in the causal order (hand-out RECORDED), else null
     */
    public record Assignment(RecordedSession session, long delayNanos, CausalOrder.Ticket ticket) {

        /** An assignment outside the causal order. */
        public Assignment(RecordedSession session, long delayNanos) {
            this(session, delayNanos, null);
        }
    }

    private final String name;
    private final HandOut handOut;
    private final SessionPasses passes;
    private final RandomWindow randomWindow;
    private final ReentrantLock lock = new ReentrantLock();
    private CausalOrder causal;
    private boolean exhausted;
    private long handedOut;
    private long originNanos = -1;
    private boolean closed;

    /**
     * A source over sessions in memory (tests, synthetic load).
     *
     * @param sessions the sessions (at least one with an exchange)
     * @param handOut the order
     * @param seed seed of the RANDOM order
     */
    public SessionSource(List<RecordedSession> sessions, HandOut handOut, long seed) {
        this("sessions", listener -> SessionStreams.of(withExchanges(sessions)), SessionStream.LeftOutListener.NONE,
            handOut, seed, DEFAULT_LOOK_AHEAD, MEMORY_SESSIONS);
        try {
            passes.start();
        } catch (CaptureException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private SessionSource(String name, SessionStream.Opener opener, SessionStream.LeftOutListener reporter,
                          HandOut handOut, long seed, int lookAhead, int memorySessions) {
        this.name = name;
        this.handOut = handOut;
        this.passes = new SessionPasses(name, opener, reporter, memorySessions);
        this.randomWindow = new RandomWindow(seed, lookAhead);
        if (handOut == HandOut.RECORDED) {
            this.causal = new CausalOrder(name, CausalOrder.DEFAULT_MAX_WAIT);
        }
    }

    /** Sets the longest wait of one exchange or session start for what it depends on (RECORDED); returns this. */
    public SessionSource causalMaxWait(Duration maxWait) {
        lock.lock();
        try {
            if (causal != null) {
                causal = new CausalOrder(name, maxWait);
            }
            return this;
        } finally {
            lock.unlock();
        }
    }

    /** Hands out every session once: then {@link #next(long, double)} returns null, {@link #isExhausted()} true. */
    public SessionSource once() {
        lock.lock();
        try {
            passes.once();
            return this;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts the clock of the recorded start offsets now, unless a session was handed out already: the offsets
     * count from the replay's start, not from when a user happened to be ready.
     *
     * @param nowNanos System.nanoTime()
     */
    public void startClock(long nowNanos) {
        lock.lock();
        try {
            if (originNanos < 0) {
                originNanos = nowNanos;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Opens a source and reads up to its first session, so that a source without any fails now.
     *
     * @param name the owner, for log lines (e.g. the thread group's name)
     * @param opener opens the stream (again for each pass)
     * @param reporter receives the sessions left out during the first pass
     * @param handOut the order
     * @param seed seed of the RANDOM order
     * @param lookAhead the RANDOM window over a stream: sessions
     * @return the source (close it)
     * @throws CaptureException when the source cannot be read or holds no session to replay
     */
    public static SessionSource open(String name, SessionStream.Opener opener,
                                     SessionStream.LeftOutListener reporter, HandOut handOut, long seed,
                                     int lookAhead) throws CaptureException {
        return open(name, opener, reporter, handOut, seed, lookAhead, MEMORY_SESSIONS);
    }

    /** As {@link #open(String, SessionStream.Opener, SessionStream.LeftOutListener, HandOut, long, int)}, with the
     * most sessions kept in memory (tests). */
    static SessionSource open(String name, SessionStream.Opener opener, SessionStream.LeftOutListener reporter,
                              HandOut handOut, long seed, int lookAhead, int memorySessions) throws CaptureException {
        SessionSource source = new SessionSource(name, opener, reporter, handOut, seed, lookAhead, memorySessions);
        source.passes.start();
        OPEN.add(source);
        return source;
    }

    private static List<RecordedSession> withExchanges(List<RecordedSession> sessions) {
        List<RecordedSession> usable = new ArrayList<>();
        for (RecordedSession session : sessions) {
            if (session.exchangeCount() > 0) {
                usable.add(session);
            }
        }
        if (usable.isEmpty()) {
            throw new IllegalArgumentException("sessions: " + sessions.size() + " without any request (expected: at "
                + "least one session with an exchange)");
        }
        return usable;
    }

    /**
     * Hands out the next session.
     *
     * @param nowNanos the current System.nanoTime()
     * @param speedFactor divides the recorded start offsets (RECORDED); 0 = all at once
     * @return the session and the wait before starting it (0 unless RECORDED), or null when no session can be
     *     handed out any more (see {@link #failure()}); for a live source, also when none was captured within
     *     {@link #LIVE_WAIT_NANOS} (ask again while {@link #failure()} is null)
     */
    public Assignment next(long nowNanos, double speedFactor) {
        lock.lock();
        try {
            if (originNanos < 0) {
                originNanos = nowNanos;
            }
            if (exhausted) {
                return null;
            }
            boolean once = passes.isOnce();
            long sessionsPerPass = passes.sessionsPerPass();
            if (once && handedOut > 0 && sessionsPerPass >= 0 && handedOut >= sessionsPerPass) {
                exhausted = true;
                return null;
            }
            RecordedSession session = passes.isLive() ? passes.nextOfStream()
                : handOut == HandOut.RANDOM ? randomWindow.pick(passes)
                : passes.memory() != null ? passes.fromMemory(handedOut) : passes.nextOfStream();
            if (session == null && passes.memory() != null && !(once && handOut != HandOut.RANDOM)) {
                session = handOut == HandOut.RANDOM ? randomWindow.pick(passes) : passes.fromMemory(handedOut);
            }
            if (session == null) {
                exhausted = once && passes.failure() == null;
                return null;
            }
            handedOut++;
            if (!handOut.recordedOffsets() || passes.isLive()) {
                return new Assignment(session, 0);
            }
            long offset = passes.offset(session);
            long delay = Math.max(0, originNanos + scaled(offset, speedFactor) - nowNanos);
            if (causal == null) {
                return new Assignment(session, delay);
            }
            CausalOrder.Ticket ticket = causal.admit(session, offset);
            long frontier = passes.frontierOffset(handedOut);
            causal.frontier(frontier, frontier == Long.MAX_VALUE ? Long.MAX_VALUE
                : originNanos + scaled(frontier, speedFactor) + CausalOrder.FRONTIER_GRACE.toNanos());
            return new Assignment(session, delay, ticket);
        } finally {
            lock.unlock();
        }
    }

    private static long scaled(long offset, double speedFactor) {
        return speedFactor <= 0 ? 0 : (long) (Math.max(0, offset) / speedFactor);
    }

    /** Tells whether the sessions are copied from a live interface (handed out as they are captured). */
    public boolean isLive() {
        return passes.isLive();
    }

    /** Returns the stream read (for a live source's counters), or null once closed. */
    public SessionStream stream() {
        lock.lock();
        try {
            return passes.stream();
        } finally {
            lock.unlock();
        }
    }

    /** Returns the first session of the source (read when it was opened; null for a live source): e.g. to check
     * rules once. */
    public RecordedSession first() {
        return passes.first();
    }

    /** Returns the sessions of one pass over the source once the first pass ended, else -1: the count. */
    public long sessionsPerPass() {
        lock.lock();
        try {
            return passes.sessionsPerPass();
        } finally {
            lock.unlock();
        }
    }

    /** Returns why no session can be handed out any more, or null. */
    public String failure() {
        lock.lock();
        try {
            return passes.failure();
        } finally {
            lock.unlock();
        }
    }

    /** Returns what the first pass left out, by reason (null until it ended): the counts. */
    public LeftOutCounts leftOut() {
        lock.lock();
        try {
            return passes.leftOut();
        } finally {
            lock.unlock();
        }
    }

    /** Tells whether the whole source is replayed from memory (it fit during the first pass). */
    public boolean inMemory() {
        lock.lock();
        try {
            return passes.memory() != null;
        } finally {
            lock.unlock();
        }
    }

    /** Tells whether {@link #close()} was called (the test ended): then no session is a failure. */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Releases the stream (end of the test); later calls of {@link #next(long, double)} return null. */
    @Override
    public void close() {
        OPEN.remove(this);
        lock.lock();
        try {
            passes.close();
            closed = true;
            randomWindow.clear();
        } finally {
            lock.unlock();
        }
        CausalOrder order = causalOrder();
        if (order != null) {
            order.close();
        }
    }

    /** Returns the causal order of the hand-out RECORDED, or null. */
    CausalOrder causalOrder() {
        lock.lock();
        try {
            return causal;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Tells whether every session was handed out once (see {@link #once()}): then no session is not a failure.
     *
     * @return whether it was
     */
    public boolean isExhausted() {
        lock.lock();
        try {
            return exhausted;
        } finally {
            lock.unlock();
        }
    }

    /** Closes every open source (end of the test). */
    static void closeAll() {
        for (SessionSource source : Set.copyOf(OPEN)) {
            source.close();
        }
    }
}
