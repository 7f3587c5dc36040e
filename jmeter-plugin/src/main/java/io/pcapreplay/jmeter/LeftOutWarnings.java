package io.pcapreplay.jmeter;

import io.pcapreplay.pcap.LeftOutSession;
import io.pcapreplay.pcap.SessionStream;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the sessions a thread group leaves out (truncated, too large ...): one WARN line each, naming the file, the
 * session and what to do, for the first {@link #LOGGED} of them; the rest are counted in the summary line that
 * {@link SessionSource} logs when the first pass ends.
 */
final class LeftOutWarnings implements SessionStream.LeftOutListener {

    /** Left-out sessions logged one by one. */
    static final int LOGGED = 10;

    private static final Logger LOG = LoggerFactory.getLogger(LeftOutWarnings.class);

    private final String owner;
    private final AtomicLong count = new AtomicLong();

    LeftOutWarnings(String owner) {
        this.owner = owner;
    }

    @Override
    public void leftOut(LeftOutSession session) {
        long number = count.incrementAndGet();
        if (number <= LOGGED) {
            LOG.warn("{}: {}", owner, session.message());
        }
        if (number == LOGGED) {
            LOG.warn("{}: further left-out sessions are only counted (see the summary line)", owner);
        }
    }

    /** Returns the sessions reported: the count. */
    long count() {
        return count.get();
    }
}
