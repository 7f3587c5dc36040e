package io.pcapreplay.jmeter;

import io.pcapreplay.pcap.CaptureException;
import io.pcapreplay.pcap.LeftOutCounts;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.pcap.SessionStream;
import java.util.PriorityQueue;

/**
 * What "every session once" needs to know of a capture before the users start: the sessions to replay, the most
 * of them open at once, and what was left out, counted in one pass over the stream (bounded memory: one end time per
 * session open at once).
 *
 * @param source the files, for log lines
 * @param sessions sessions with at least one exchange: each is replayed once
 * @param mostOpen the most sessions open at the same time in the capture
 * @param leftOut connections left out while reading, by reason
 */
record CaptureCensus(String source, long sessions, int mostOpen, LeftOutCounts leftOut) {

    /**
     * Reads one pass of a stream.
     *
     * @param opener opens the stream
     * @return the census
     * @throws CaptureException when the source is malformed
     */
    static CaptureCensus of(SessionStream.Opener opener) throws CaptureException {
        try (SessionStream stream = opener.open(SessionStream.LeftOutListener.NONE)) {
            PriorityQueue<Long> ends = new PriorityQueue<>();
            long sessions = 0;
            int mostOpen = 0;
            for (RecordedSession session = stream.next(); session != null; session = stream.next()) {
                if (session.exchangeCount() == 0) {
                    continue;
                }
                sessions++;
                while (!ends.isEmpty() && ends.peek() <= session.startNanos()) {
                    ends.poll();
                }
                ends.add(session.startNanos() + session.durationNanos());
                mostOpen = Math.max(mostOpen, ends.size());
            }
            return new CaptureCensus(stream.source(), sessions, mostOpen, stream.leftOut());
        }
    }

    /**
     * Returns the users that replay every session once at its recorded start: the most sessions open at once,
     * doubled for a server slower than the recorded one, at most one per session.
     *
     * @return the users, at least 1
     */
    int users() {
        long users = Math.min(sessions, 2L * Math.max(1, mostOpen));
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, users));
    }

    /** The one log line: the sessions, the users they need, and what was left out with the reasons. */
    String describe(String group) {
        return group + ": every session once: " + sessions + " session(s) in " + source + ", at most " + mostOpen
            + " open at once: " + users() + " user(s), each replaying sessions until every one was replayed once; "
            + "left out: " + leftOut;
    }
}
