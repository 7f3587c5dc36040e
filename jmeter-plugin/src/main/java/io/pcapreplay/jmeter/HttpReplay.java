package io.pcapreplay.jmeter;

import io.pcapreplay.http.HttpSessionRewriter;
import io.pcapreplay.http.RewriteRules;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.RatePacer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A thread group's HTTP replay state: its sessions rewritten by the sampler's HTTP rules, and its requests-per-second
 * pacer. Rules are the text JMeter evaluated for the current user: equal texts share one rewriter and one cache of
 * rewritten sessions (each distinct session is rewritten once, then shared by every user); a text that differs per
 * user (a CSV Data Set token) is rewritten once per session start. The {@value #MAX_RULE_TEXTS} most recently used
 * texts are cached. Thread-safe.
 */
final class HttpReplay {

    /** Distinct rule texts whose rewritten sessions are kept. */
    static final int MAX_RULE_TEXTS = 8;
    /** Rewritten sessions kept per rule text (all of a capture kept in memory; a streamed one is new each pass). */
    static final int MAX_REWRITTEN = 4096;
    /** Sessions a user tries when the rules exclude every request, unless the source's count is known. */
    static final int MAX_TRIES = 100_000;

    /** One rule text's rewriter and rewritten sessions. */
    private record Rewrites(HttpSessionRewriter rewriter, Map<RecordedSession, RecordedSession> sessions) {
    }

    private final Map<String, Rewrites> byText = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Rewrites> eldest) {
            return size() > MAX_RULE_TEXTS;
        }
    };
    private RatePacer pacer;
    private double pacerRate;

    /**
     * Returns the session as the rules make it.
     *
     * @param session the recorded session
     * @param rulesText the evaluated rules (goreplay flags, one per line); blank for none
     * @return the rewritten session (the same when nothing changes; no exchange when every request was excluded)
     * @throws IllegalArgumentException when a rule is malformed
     */
    RecordedSession rewrite(RecordedSession session, String rulesText) {
        if (rulesText == null || rulesText.isBlank() || session.isGrowing()) {
            return session; // a live session is replayed as captured: its exchanges are not known yet
        }
        Rewrites rewrites;
        synchronized (byText) {
            rewrites = byText.get(rulesText);
            if (rewrites == null) {
                rewrites = new Rewrites(new HttpSessionRewriter(RewriteRules.parse(rulesText)),
                    new ConcurrentHashMap<>());
                byText.put(rulesText, rewrites);
            }
        }
        HttpSessionRewriter rewriter = rewrites.rewriter();
        Map<RecordedSession, RecordedSession> rewritten = rewrites.sessions();
        if (rewritten.size() >= MAX_REWRITTEN && !rewritten.containsKey(session)) {
            rewritten.clear();
        }
        return rewritten.computeIfAbsent(session, rewriter::rewrite);
    }

    /**
     * A user's next session as the rules make it, and when to start it.
     *
     * @param session the session to replay (no exchange when every request of every session is excluded)
     * @param startAtNanos System.nanoTime() at which to start it: the recorded offset (hand-out recorded), then the
     *     first request's slot of the requests-per-second limit
     * @param pacer the pacer of its later requests, or null
     * @param ticket its place in the causal order (hand-out recorded), else null: wait for {@code mayStart} before
     *     starting it, pass it to the replayer, release it when the session is not started
     */
    record Start(RecordedSession session, long startAtNanos, RatePacer pacer, CausalOrder.Ticket ticket) {

        /** Releases the ticket (the session will not be replayed). */
        void abandon() {
            if (ticket != null) {
                ticket.release();
            }
        }
    }

    /**
     * Takes the next session from the source that keeps at least one request under the rules (trying each session
     * once at most, or {@value #MAX_TRIES} while the source's count is not known), and reserves the first request's
     * slot.
     *
     * @param source the group's sessions
     * @param speedFactor divides the recorded start offsets
     * @param rulesText the evaluated HTTP rules
     * @param requestsPerSecond the limit, 0 for none
     * @return the start, or null when the source has no session left (see {@link SessionSource#failure()})
     * @throws IllegalArgumentException when a rule is malformed
     */
    Start next(SessionSource source, double speedFactor, String rulesText, double requestsPerSecond) {
        RatePacer rate = pacer(requestsPerSecond);
        SessionSource.Assignment assignment = null;
        RecordedSession session = null;
        long known = source.sessionsPerPass();
        long most = known > 0 ? Math.min(known, MAX_TRIES) : MAX_TRIES;
        for (long tries = 0; tries < most && (session == null || session.exchangeCount() == 0); tries++) {
            assignment = source.next(System.nanoTime(), speedFactor);
            if (assignment == null) {
                return null;
            }
            try {
                session = rewrite(assignment.session(), rulesText);
            } catch (RuntimeException e) {
                release(assignment);
                throw e;
            }
            if (session.exchangeCount() == 0) {
                release(assignment);
            } else if (assignment.ticket() != null) {
                assignment.ticket().bind(session);
            }
        }
        long startAt = System.nanoTime() + assignment.delayNanos();
        if (rate != null && session.exchangeCount() > 0) {
            startAt = rate.reserve(startAt); // the first request's slot; the engine paces the others
        }
        return new Start(session, startAt, rate, session.exchangeCount() > 0 ? assignment.ticket() : null);
    }

    private static void release(SessionSource.Assignment assignment) {
        if (assignment.ticket() != null) {
            assignment.ticket().release();
        }
    }

    /**
     * Returns how long requests wait for the limit now: the longest a request asking now would wait.
     *
     * @param requestsPerSecond the limit, 0 for none
     * @return ns, 0 without a limit
     */
    long backlogNanos(double requestsPerSecond) {
        RatePacer rate = pacer(requestsPerSecond);
        return rate == null ? 0 : rate.backlogNanos(System.nanoTime());
    }

    /**
     * Returns the group's pacer for a rate, or null when the rate is 0 (unlimited).
     *
     * @param requestsPerSecond the limit, 0 for none
     * @return the pacer shared by the group's users, or null
     */
    synchronized RatePacer pacer(double requestsPerSecond) {
        if (requestsPerSecond <= 0) {
            return null;
        }
        if (pacer == null || pacerRate != requestsPerSecond) {
            pacer = new RatePacer(requestsPerSecond);
            pacerRate = requestsPerSecond;
        }
        return pacer;
    }
}
