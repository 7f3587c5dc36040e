package io.pcapreplay.net;

import io.pcapreplay.tcp.EngineConfig;
import io.pcapreplay.tcp.EngineStats;
import io.pcapreplay.tcp.ReplayEngine;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Says in the log how the engine paces session starts: the thread group's start rate, or the automatic window. */
final class StartPacing {

    private static final Logger LOG = LoggerFactory.getLogger(StartPacing.class);

    private StartPacing() {
    }

    /** At the engine's start: what was chosen. */
    static void logStart(EngineConfig config) {
        if (config.startRate() > 0) {
            LOG.info(String.format(Locale.ROOT, "start pacing: %.1f sessions/s (the thread group's start rate), at "
                + "most %d handshakes in flight", config.startRate(), config.maxHalfOpen()));
        } else if (config.adaptiveStarts()) {
            LOG.info("start pacing: automatic (no start rate set): at most 256 handshakes in flight at first, one "
                + "more per SYN-ACK (doubling every round trip) up to {}, halved when a SYN goes unanswered (at most "
                + "once a second); set the thread group's session start rate for a fixed rate instead",
                config.maxHalfOpen());
        } else {
            LOG.info("start pacing: none; at most {} handshakes in flight", config.maxHalfOpen());
        }
    }

    /**
     * The paced end line: whether the engine kept the start rate, and if not, about what it offered (the schedule's
     * length plus how far it was pushed back).
     */
    static String pacedEnd(double startRate, long started, long slipNanos) {
        long catchUpMillis = ReplayEngine.START_CATCH_UP_MILLIS;
        if (slipNanos == 0) {
            return String.format(Locale.ROOT, "start pacing: %d sessions started at %.1f/s as asked (the engine was "
                + "never more than %d ms behind the schedule)", started, startRate, catchUpMillis);
        }
        double seconds = started / startRate + slipNanos / 1e9;
        return String.format(Locale.ROOT, "start pacing: %d sessions started, %.1f/s asked; the engine fell more than "
            + "%d ms behind the schedule, which was pushed back by %d ms in all (those starts went out later, not in a "
            + "burst): about %.1f/s offered. The replayer's CPU (or a pause) could not keep up with the rate",
            started, startRate, catchUpMillis, slipNanos / 1_000_000, started / seconds);
    }

    /** The line on first requests the replayer sent late: how many, how late; left out of their samples. */
    static String lateFirstRequests(EngineStats stats) {
        return String.format(Locale.ROOT, "replay engine: %d first request(s) (or handshake ACKs, where the server "
            + "speaks first) left later than due after their SYN-ACK (the relay and the replayer's loop), by %.2f ms "
            + "on average, at most %.2f ms; that time is the replayer's and is left out of their samples (timeStamp "
            + "moved, Latency and elapsed without it)",
            stats.lateFirstRequests(), stats.firstRequestLateNanos() / 1e6 / stats.lateFirstRequests(),
            stats.firstRequestLateMaxNanos() / 1e6);
    }

    /** At the engine's stop: how the automatic window went, and how many system calls sent the packets. */
    static void logEnd(ReplaySettings settings, EngineStats stats) {
        if (stats.packetsSent() > 0) {
            LOG.info(String.format(Locale.ROOT, "replay engine: %d packets sent in %d system calls (%.2f a call: ACKs, "
                + "FINs and RSTs go with the next SYN or request)", stats.packetsSent(), stats.sendCalls(),
                (double) stats.packetsSent() / stats.sendCalls()));
        }
        if (stats.lateFirstRequests() > 0) {
            LOG.info(lateFirstRequests(stats));
        }
        if (settings.startRate() > 0 && stats.started() > 0) {
            LOG.info(pacedEnd(settings.startRate(), stats.started(), stats.startSlipNanos()));
        }
        if (settings.startRate() == 0 && stats.started() > 0) {
            LOG.info("start pacing: automatic window ended at {} handshakes in flight (lowest {}, halved {} time(s)); "
                + "{} sessions started, {} SYN or segment retransmissions ({} timer(s) put off while the replayer was "
                + "behind its input)", stats.halfOpenLimit(), stats.halfOpenLimitLowest(), stats.startBackOffs(),
                stats.started(), stats.retransmissions(), stats.deferredRetransmissions());
        }
    }
}
