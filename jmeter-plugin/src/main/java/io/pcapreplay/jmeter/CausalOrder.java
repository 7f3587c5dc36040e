package io.pcapreplay.jmeter;

import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.ExchangeGate;
import java.time.Duration;
import java.util.Comparator;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture's happens-before order across sessions, kept by the recorded hand-out: an exchange (or a session
 * start) that in the capture began after another session's exchange had completed (that exchange's last response
 * byte captured before this one's first byte) waits until that exchange has completed in the replay (its response
 * ended, or it failed); sessions that overlapped in the capture still run at once.
 *
 * <p>Times are recorded times on the hand-out's timeline (a session's start offset from the first session of the
 * pass, plus the earlier passes' spans). Memory is bounded by the sessions handed out and not over: each holds one
 * {@link Ticket} whose key is the recorded end of its first unfinished exchange (a session's exchanges finish in
 * order), in one sorted set; the sessions not yet handed out are represented by the next one's start offset (the
 * frontier: no later session can end an exchange before it starts). An exchange starting at recorded time T may go
 * when no other session's ticket has a key below T and the frontier is at T or later (the watermark). The frontier
 * counts only until the next session is due: when no user took it within {@link #FRONTIER_GRACE} after its recorded
 * start (too few users), it is not waited for. Every wait is bounded ({@code maxWait}): then the exchange goes
 * anyway, counted and logged. Thread-safe; {@link Ticket#mayBegin(int)} is called on the replayer's loop and never
 * blocks.
 */
final class CausalOrder {

    /** How long after its recorded start a session not handed out yet is still waited for. */
    static final Duration FRONTIER_GRACE = Duration.ofSeconds(1);
    /** Default longest wait of one exchange or session start. */
    static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(CausalOrder.class);

    private final String name;
    private final long maxWaitNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final TreeSet<Ticket> pending = new TreeSet<>(Comparator.comparingLong((Ticket ticket) -> ticket.key)
        .thenComparingLong(ticket -> ticket.sequence));
    private final AtomicLong waited = new AtomicLong();
    private final AtomicLong waitedNanos = new AtomicLong();
    private final AtomicLong gaveUp = new AtomicLong();
    private long sequence;
    private long frontierOffset = Long.MAX_VALUE;
    private long frontierDueNanos = Long.MAX_VALUE;
    private boolean closed;

    /**
     * @param name the owner, for log lines
     * @param maxWait the longest one exchange or session start waits for what it depends on
     */
    CausalOrder(String name, Duration maxWait) {
        this.name = name;
        this.maxWaitNanos = maxWait.toNanos();
    }

    /**
     * Registers a session being handed out: its exchanges become dependencies of later ones.
     *
     * @param session the session
     * @param offsetNanos its recorded start on the hand-out timeline
     * @return its ticket: bind it to the session actually replayed, pass it to the replayer, release it when the
     *     session is not replayed
     */
    Ticket admit(RecordedSession session, long offsetNanos) {
        lock.lock();
        try {
            Ticket ticket = new Ticket(session, offsetNanos, sequence++);
            if (!closed) {
                pending.add(ticket);
            } else {
                ticket.ended = true;
            }
            return ticket;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sets the next session not handed out yet.
     *
     * @param offsetNanos its recorded start on the hand-out timeline (Long.MAX_VALUE: none)
     * @param dueNanos System.nanoTime() after which it is no longer waited for
     */
    void frontier(long offsetNanos, long dueNanos) {
        lock.lock();
        try {
            boolean later = offsetNanos > frontierOffset;
            frontierOffset = offsetNanos;
            frontierDueNanos = dueNanos;
            if (later) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Tells whether something starting at recorded time {@code at} may go now; under the lock. */
    private boolean open(Ticket self, long at, long now) {
        if (closed) {
            return true;
        }
        if (frontierOffset < at && now - frontierDueNanos < 0) {
            return false;
        }
        for (Ticket ticket : pending) {
            if (ticket.key >= at) {
                return true;
            }
            if (ticket != self) {
                return false;
            }
        }
        return true;
    }

    /** Ends the order (end of the test): nothing waits any more; logs what the waits were. */
    void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            pending.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (waited.get() > 0 || gaveUp.get() > 0) {
            LOG.info("{}: causal order: {} exchange(s) or session start(s) waited for another session's exchange "
                + "(total {} ms); {} stopped waiting after {} s", name, waited.get(),
                waitedNanos.get() / 1_000_000, gaveUp.get(), maxWaitNanos / 1_000_000_000L);
        }
    }

    /** Returns the waits so far: exchanges and session starts that were held at least once. */
    long waits() {
        return waited.get();
    }

    /** Returns the waits that ended at the longest wait instead of the dependency's completion. */
    long gaveUp() {
        return gaveUp.get();
    }

    /**
     * One handed-out session's place in the order: a dependency of later exchanges until its exchanges finish, and
     * the gate of its own exchanges.
     */
    final class Ticket implements ExchangeGate {

        private RecordedSession session;
        private final long offset;
        private final long sequence;
        private long key;
        private int next;
        private boolean ended;
        private long waitingSince = -1;
        private int waitingFor = -1;

        private Ticket(RecordedSession session, long offset, long sequence) {
            this.session = session;
            this.offset = offset;
            this.sequence = sequence;
            this.key = endOf(0);
        }

        private long endOf(int index) {
            if (index >= session.exchangeCount()) {
                return Long.MAX_VALUE;
            }
            return offset + Math.max(session.exchange(index).responseEndOffsetNanos(),
                session.exchange(index).startOffsetNanos());
        }

        /** Re-keys this ticket (under the lock); wakes the waiters when the watermark may have risen. */
        private void rekey(long newKey) {
            if (ended || newKey == key) {
                return;
            }
            boolean wasPending = pending.remove(this);
            key = newKey;
            if (wasPending && newKey != Long.MAX_VALUE) {
                pending.add(this);
            }
            changed.signalAll();
        }

        /**
         * Replays this ticket's session as rewritten (HTTP rules): its exchanges' recorded times are the ones to
         * keep.
         *
         * @param replayed the session replayed
         */
        void bind(RecordedSession replayed) {
            lock.lock();
            try {
                session = replayed;
                rekey(endOf(next));
            } finally {
                lock.unlock();
            }
        }

        /** The session will not be replayed (excluded, stopped, failed to start): nothing waits for it. */
        void release() {
            sessionEnded();
        }

        /** Tells whether the session may start now (its SYN), without waiting. */
        boolean mayStart() {
            lock.lock();
            try {
                return decide(-1, offset, System.nanoTime());
            } finally {
                lock.unlock();
            }
        }

        /**
         * Waits until the session may start (its recorded start is after what it depends on), at most the order's
         * longest wait.
         *
         * @throws InterruptedException when the waiting thread is interrupted
         */
        void awaitStart() throws InterruptedException {
            lock.lock();
            try {
                while (true) {
                    long now = System.nanoTime();
                    if (decide(-1, offset, now)) {
                        return;
                    }
                    long untilDue = frontierOffset < offset ? frontierDueNanos - now : Long.MAX_VALUE;
                    long left = Math.min(waitingSince + maxWaitNanos - now, Math.max(1, untilDue));
                    changed.awaitNanos(Math.max(1, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100))));
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean mayBegin(int exchangeIndex) {
            lock.lock();
            try {
                if (exchangeIndex >= session.exchangeCount()) {
                    return true;
                }
                return decide(exchangeIndex, offset + session.exchange(exchangeIndex).startOffsetNanos(),
                    System.nanoTime());
            } finally {
                lock.unlock();
            }
        }

        /** Under the lock: open, or closed with the wait noted; open anyway past the longest wait. */
        private boolean decide(int what, long at, long now) {
            if (open(this, at, now)) {
                if (waitingFor == what && waitingSince >= 0) {
                    waitedNanos.addAndGet(now - waitingSince);
                }
                waitingSince = -1;
                return true;
            }
            if (waitingFor != what || waitingSince < 0) {
                waitingFor = what;
                waitingSince = now;
                waited.incrementAndGet();
                return false;
            }
            if (now - waitingSince < maxWaitNanos) {
                return false;
            }
            waitedNanos.addAndGet(now - waitingSince);
            waitingSince = -1;
            if (gaveUp.getAndIncrement() == 0) {
                LOG.warn("{}: causal order: {} of session {} -> {} waited {} s for an earlier exchange of another "
                    + "session that did not complete; it goes now (later ones are counted at the end)", name,
                    what < 0 ? "the start" : "exchange " + what, session.client(), session.server(),
                    maxWaitNanos / 1_000_000_000L);
            }
            return true;
        }

        @Override
        public void finished(int exchangeIndex) {
            lock.lock();
            try {
                if (exchangeIndex + 1 > next) {
                    next = exchangeIndex + 1;
                    rekey(endOf(next));
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void sessionEnded() {
            lock.lock();
            try {
                if (!ended) {
                    pending.remove(this);
                    ended = true;
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public String toString() {
            return "ticket " + session.client() + " -> " + session.server() + " at " + offset + " ns, key " + key;
        }
    }
}
