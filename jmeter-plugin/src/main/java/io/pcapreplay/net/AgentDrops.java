package io.pcapreplay.net;

import io.pcapreplay.protocol.StatsMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * What the agent dropped on the way to this replayer, from its STATS: packets its capture devices' kernel buffers had
 * no room for (agent-wide) and packets its queue for this replayer had no room for. Both are lost responses the
 * engine must retransmit for, so the log says so instead of leaving users to wonder about connect timeouts.
 *
 * <p>STATS carry counters since the agent started (kernel) and since this replayer connected (queue): the first STATS
 * of each connection is the kernel counter's baseline (the agent sends one right after ACCEPT, then one every
 * {@code --stats-interval}), growth after it is this run's. A restarted agent's counters start again with the new
 * connection. {@link #onStats} answers a WARN line when drops grew, at most one per {@link #WARN_INTERVAL} (the next
 * one covers everything since the last); {@link #summary} sums the whole run. Thread-safe.
 */
final class AgentDrops {

    /** Shortest time between two warnings. */
    static final Duration WARN_INTERVAL = Duration.ofSeconds(30);

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final String agent;
    private final Clock clock;
    private final Instant opened;
    private int connection;
    private boolean kernelBaseline;
    private long lastKernel;
    private long lastQueue;
    private boolean kernelUnknown;
    private boolean statsSeen;
    private long kernelTotal;
    private long queueTotal;
    private long kernelPending;
    private long queuePending;
    private Instant pendingSince;
    private Instant lastWarning;

    /**
     * @param agent the agent's address, for the lines
     * @param clock the wall clock (the lines name times; tests inject one)
     */
    AgentDrops(String agent, Clock clock) {
        this.agent = agent;
        this.clock = clock;
        this.opened = clock.instant();
        this.pendingSince = opened;
    }

    /**
     * A new connection to the agent: its counters start again.
     *
     * @return the connection's number, for {@link #onStats}
     */
    synchronized int connected() {
        connection++;
        kernelBaseline = false;
        lastQueue = 0;
        return connection;
    }

    /**
     * Takes a STATS message.
     *
     * @param from the connection it came on ({@link #connected()}); STATS of an older one are ignored
     * @param stats the agent's counters
     * @return a WARN line when drops grew and the last warning is old enough, else null
     */
    synchronized String onStats(int from, StatsMessage stats) {
        if (from != connection) {
            return null;
        }
        statsSeen = true;
        long kernel = stats.kernelDrops();
        if (kernel < 0) {
            kernelUnknown = true;
        } else if (kernelBaseline && kernel >= lastKernel) {
            kernelPending += kernel - lastKernel;
            kernelTotal += kernel - lastKernel;
        }
        if (kernel >= 0) {
            lastKernel = kernel;
            kernelBaseline = true;
        }
        long queue = Math.max(0, stats.dropped() - lastQueue);
        lastQueue = Math.max(lastQueue, stats.dropped());
        queuePending += queue;
        queueTotal += queue;
        Instant now = clock.instant();
        if (kernelPending + queuePending == 0
                || lastWarning != null && Duration.between(lastWarning, now).compareTo(WARN_INTERVAL) < 0) {
            return null;
        }
        String line = "agent " + agent + " dropped " + kernelPending + " packets (kernel) / " + queuePending
            + " (queue for this replayer) since " + time(pendingSince) + "; the engine retransmits (fewer with a "
            + "larger agent --buffer-mib / --queue-mib, or a lower session start rate)";
        kernelPending = 0;
        queuePending = 0;
        pendingSince = now;
        lastWarning = now;
        return line;
    }

    /** @return whether drops were reported by the agent at all (kernel or queue) */
    synchronized boolean any() {
        return kernelTotal + queueTotal > 0;
    }

    /** @return the kernel drops of this run, from the agent's STATS */
    synchronized long kernelDrops() {
        return kernelTotal;
    }

    /** @return the queue drops for this replayer in this run, from the agent's STATS */
    synchronized long queueDrops() {
        return queueTotal;
    }

    /**
     * The line for the end of the test.
     *
     * @param engine what the engine adds: its retransmissions and inbound queue drops, or "" for nothing
     * @return the summary of the run
     */
    synchronized String summary(String engine) {
        String tail = engine.isEmpty() ? "" : "; " + engine;
        if (!statsSeen) {
            return "agent " + agent + ": no STATS received since " + time(opened) + " (is its --stats-interval 0?): "
                + "its drops are unknown" + tail;
        }
        if (kernelTotal + queueTotal == 0 && !kernelUnknown) {
            return "agent " + agent + ": no packet dropped during the test since " + time(opened) + " (kernel 0, "
                + "queue for this replayer 0)" + tail;
        }
        String kernel = kernelUnknown && kernelTotal == 0 ? "an unknown number of (its capture gives no count)"
            : Long.toString(kernelTotal);
        return "agent " + agent + " dropped " + kernel + " packets (kernel) / " + queueTotal + " (queue for this "
            + "replayer) during the test since " + time(opened) + tail;
    }

    private String time(Instant instant) {
        return TIME.format(instant.atZone(clock.getZone()));
    }
}
