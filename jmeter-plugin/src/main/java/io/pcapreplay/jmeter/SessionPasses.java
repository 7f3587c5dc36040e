package io.pcapreplay.jmeter;

import io.pcapreplay.pcap.CaptureException;
import io.pcapreplay.pcap.LeftOutCounts;
import io.pcapreplay.pcap.LiveCounters;
import io.pcapreplay.pcap.LiveSessionStream;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.pcap.SessionStream;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The passes of a {@link SessionSource} over its stream: pulls the sessions with exchanges in recorded start order,
 * opens the stream again at its end, keeps the first pass in memory when it fits ({@link SessionSource#MEMORY_SESSIONS}
 * sessions, {@link SessionSource#MEMORY_BYTES} bytes), places each pass on the hand-out timeline (offset and span)
 * and remembers why reading stopped. Not thread-safe: guarded by its source's lock.
 */
final class SessionPasses {

    /** The source's log lines: same category as before the split. */
    private static final Logger LOG = LoggerFactory.getLogger(SessionSource.class);

    private final String name;
    private final SessionStream.Opener opener;
    private final SessionStream.LeftOutListener reporter;
    private final int memorySessions;
    private SessionStream stream;
    private RecordedSession peeked;
    private boolean peekedEnd;
    private boolean once;
    private RecordedSession first;
    private long sessionsPerPass = -1;
    private List<RecordedSession> memory;
    private List<RecordedSession> firstPass = new ArrayList<>();
    private long firstPassBytes;
    private long pass;
    private long sessionsThisPass;
    private long passFirstStart = -1;
    private long passEnd;
    private long passOffset;
    private long span;
    private LeftOutCounts firstPassLeftOut;
    private String failure;
    private boolean live;

    /**
     * @param name the owner, for log lines
     * @param opener opens the stream (again for each pass)
     * @param reporter receives the sessions left out during the first pass
     * @param memorySessions the most sessions kept in memory
     */
    SessionPasses(String name, SessionStream.Opener opener, SessionStream.LeftOutListener reporter,
                  int memorySessions) {
        this.name = name;
        this.opener = opener;
        this.reporter = reporter;
        this.memorySessions = memorySessions;
    }

    /** Opens the stream and reads up to its first session (none to wait for from a live one). */
    void start() throws CaptureException {
        stream = opener.open(reporter);
        if (stream.endless()) {
            live = true; // sessions come as they are captured: none to wait for now
            firstPass = null;
            return;
        }
        try {
            peeked = pull();
            if (peeked == null) {
                throw NoSessionException.of(stream);
            }
            first = peeked;
        } catch (CaptureException | RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    /** Reads one pass only: the stream is not opened again at its end. */
    void once() {
        once = true;
    }

    /** Tells whether one pass only is read. */
    boolean isOnce() {
        return once;
    }

    /** Returns the hand-out timeline's offset of a session of the current pass, nanoseconds. */
    long offset(RecordedSession session) {
        return passOffset + session.startNanos() - passFirstStart;
    }

    /**
     * The recorded start of the next session to hand out, on the hand-out timeline (reads it from the stream when
     * needed); Long.MAX_VALUE when none will come (every session once, or the source failed).
     *
     * @param handedOut the sessions handed out so far
     */
    long frontierOffset(long handedOut) {
        if (memory != null) {
            int size = memory.size();
            int index = (int) (handedOut % size);
            if (once && handedOut >= size) {
                return Long.MAX_VALUE;
            }
            return passOffset + (index == 0 ? span : 0) + memory.get(index).startNanos() - passFirstStart;
        }
        if (stream == null || failure != null) {
            return Long.MAX_VALUE;
        }
        if (peeked == null && !peekedEnd) {
            try {
                peeked = pull();
                peekedEnd = peeked == null;
            } catch (CaptureException | RuntimeException e) {
                fail(e.getMessage());
                return Long.MAX_VALUE;
            }
        }
        if (peeked != null) {
            return passOffset + peeked.startNanos() - passFirstStart;
        }
        return once ? Long.MAX_VALUE : passOffset + Math.max(1_000_000L, passEnd - passFirstStart);
    }

    /** The next session kept in memory, the pass starting again after its end; null after one pass if once. */
    RecordedSession fromMemory(long handedOut) {
        if (once && handedOut >= memory.size()) {
            return null;
        }
        int size = memory.size();
        int index = (int) (handedOut % size);
        if (index == 0 && handedOut > 0) {
            passOffset += span;
        }
        return memory.get(index);
    }

    /** Every session once: the stream's first pass is over. */
    boolean exhaustedStream() {
        return once && sessionsPerPass >= 0;
    }

    /** The next session of the stream, starting a new pass at its end; null after a failure. */
    RecordedSession nextOfStream() {
        if (failure != null || stream == null) {
            return null;
        }
        if (live) {
            try {
                RecordedSession session = stream.poll(SessionSource.LIVE_WAIT_NANOS);
                if (session != null) {
                    sessionsThisPass++;
                }
                return session;
            } catch (CaptureException | RuntimeException e) {
                fail(e.getMessage());
                return null;
            }
        }
        try {
            RecordedSession session = peeked != null ? peeked : peekedEnd ? null : pull();
            peeked = null;
            peekedEnd = false;
            if (session == null) {
                endPass();
                if (memory != null || failure != null || once) {
                    return null;
                }
                stream = opener.open(SessionStream.LeftOutListener.NONE);
                session = pull();
                if (session == null) {
                    fail(stream.source() + ": no session in pass " + (pass + 1) + " (expected: the same sessions as "
                        + "the first pass; did the file change?)");
                    return null;
                }
            }
            return session;
        } catch (CaptureException | RuntimeException e) {
            fail(e.getMessage());
            return null;
        }
    }

    private RecordedSession pull() throws CaptureException {
        RecordedSession session = stream.next();
        while (session != null && session.exchangeCount() == 0) {
            session = stream.next();
        }
        if (session == null) {
            return null;
        }
        sessionsThisPass++;
        if (passFirstStart < 0) {
            passFirstStart = session.startNanos();
        }
        passEnd = Math.max(passEnd, session.startNanos() + session.durationNanos());
        if (firstPass != null) {
            firstPassBytes += session.requestBytes() + session.responseBytes() + 64L * session.exchangeCount();
            if (firstPass.size() >= memorySessions || firstPassBytes > SessionSource.MEMORY_BYTES) {
                firstPass = null;
            } else {
                firstPass.add(session);
            }
        }
        return session;
    }

    /** The stream is exhausted: measure the span; after the first pass, summarize it and keep it if it fit. */
    private void endPass() {
        span = Math.max(1_000_000L, passEnd - passFirstStart);
        if (pass == 0) {
            sessionsPerPass = sessionsThisPass;
            firstPassLeftOut = stream.leftOut();
            summarize();
        }
        stream.close();
        pass++;
        if (firstPass != null) {
            memory = List.copyOf(firstPass);
            firstPass = null;
            stream = null;
            return;
        }
        firstPass = null;
        passOffset += span;
        sessionsThisPass = 0;
    }

    private void summarize() {
        String line = name + ": " + stream.source() + ": " + sessionsThisPass + " session(s) per pass"
            + (firstPass != null ? ", replayed from memory" : ", read again for each pass") + "; left out: "
            + firstPassLeftOut;
        if (firstPassLeftOut.reported() > 0) {
            LOG.warn("{}", line);
        } else {
            LOG.info("{}", line);
        }
    }

    private void fail(String reason) {
        failure = name + ": reading sessions stopped: " + reason;
        LOG.error("{}", failure);
        if (stream != null) {
            stream.close();
        }
    }

    /** Tells whether the sessions are copied from a live interface (handed out as they are captured). */
    boolean isLive() {
        return live;
    }

    /** Returns the stream read, or null once closed or kept in memory. */
    SessionStream stream() {
        return stream;
    }

    /** Returns the first session (read by {@link #start()}; null for a live source). */
    RecordedSession first() {
        return first;
    }

    /** Returns the sessions of one pass once the first pass ended, else -1: the count. */
    long sessionsPerPass() {
        return sessionsPerPass;
    }

    /** Returns the sessions kept in memory, or null while the source is read from its stream. */
    List<RecordedSession> memory() {
        return memory;
    }

    /** Returns why no session can be read any more, or null. */
    String failure() {
        return failure;
    }

    /** Returns what the first pass left out, by reason (null until it ended): the counts. */
    LeftOutCounts leftOut() {
        return firstPassLeftOut;
    }

    /** Releases the stream (logging a live copy's counters) and the sessions in memory; reading ends. */
    void close() {
        if (stream != null) {
            stream.close();
            if (stream instanceof LiveSessionStream capture) {
                LiveCounters counters = capture.counters();
                if (counters.drops() > 0 || counters.kernelDrops() > 0) {
                    LOG.warn("{}: live copy: {}", name, counters);
                } else {
                    LOG.info("{}: live copy: {}", name, counters);
                }
            }
            stream = null;
        }
        if (failure == null) {
            failure = name + ": closed (the test ended)";
        }
        memory = null;
    }
}
