package io.pcapreplay.jmeter;

import io.pcapreplay.http.GorFileReader;
import io.pcapreplay.pcap.CaptureException;
import io.pcapreplay.pcap.CaptureOptions;
import io.pcapreplay.pcap.CaptureReader;
import io.pcapreplay.pcap.RecordedSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The recorded sessions of a thread group and who gets which next: thread-safe, shared by every user of the group.
 * Sessions without exchanges are left out (nothing to replay).
 */
public final class SessionSource {

    private final List<RecordedSession> sessions;
    private final HandOut handOut;
    private final Random random;
    private final long firstStart;
    private final long span;
    private long handedOut;
    private long originNanos = -1;

    /** One session for one user, and how long the user waits before starting it. */
    public record Assignment(RecordedSession session, long delayNanos) {
    }

    /**
     * @param sessions the sessions (at least one with an exchange)
     * @param handOut the order
     * @param seed seed of the RANDOM order
     */
    public SessionSource(List<RecordedSession> sessions, HandOut handOut, long seed) {
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
        usable.sort(Comparator.comparingLong(RecordedSession::startNanos));
        this.sessions = List.copyOf(usable);
        this.handOut = handOut;
        this.random = new Random(seed);
        this.firstStart = usable.get(0).startNanos();
        long end = firstStart;
        for (RecordedSession session : usable) {
            end = Math.max(end, session.startNanos() + session.durationNanos());
        }
        this.span = Math.max(1_000_000L, end - firstStart);
    }

    /**
     * Reads every capture file for every server port: pcap and pcapng, and goreplay files ({@code .gor},
     * {@code .gor.gz}; see {@link GorFileReader}; the filter does not apply to them).
     *
     * @param files the capture files
     * @param serverPorts recorded server ports; empty for any port
     * @param filter a BPF filter, or blank
     * @return the sessions, in file then port order
     * @throws CaptureException when a file cannot be read or yields no session
     */
    public static List<RecordedSession> read(List<Path> files, List<Integer> serverPorts, String filter)
            throws CaptureException {
        if (files.isEmpty()) {
            throw new CaptureException("capture files: none (expected: at least one pcap or pcapng file)");
        }
        CaptureReader reader = new CaptureReader();
        List<RecordedSession> sessions = new ArrayList<>();
        List<Integer> ports = serverPorts.isEmpty() ? List.of(0) : serverPorts;
        for (Path file : files) {
            if (GorFileReader.handles(file)) {
                for (int port : ports) {
                    sessions.addAll(new GorFileReader().read(file, port).sessions());
                }
                continue;
            }
            for (int port : ports) {
                CaptureOptions options = CaptureOptions.defaults().withServerPort(port).withFilter(filter);
                sessions.addAll(reader.readSessions(file, options));
            }
        }
        return sessions;
    }

    /** Returns the sessions in recorded start order: the list. */
    public List<RecordedSession> sessions() {
        return sessions;
    }

    /**
     * Hands out the next session.
     *
     * @param nowNanos the current System.nanoTime()
     * @param speedFactor divides the recorded start offsets (RECORDED); 0 = all at once
     * @return the session and the wait before starting it (0 unless RECORDED)
     */
    public synchronized Assignment next(long nowNanos, double speedFactor) {
        if (originNanos < 0) {
            originNanos = nowNanos;
        }
        long turn = handedOut++;
        return switch (handOut) {
            case ROUND_ROBIN -> new Assignment(sessions.get((int) (turn % sessions.size())), 0);
            case RANDOM -> new Assignment(sessions.get(random.nextInt(sessions.size())), 0);
            case RECORDED -> recorded(turn, nowNanos, speedFactor);
        };
    }

    private Assignment recorded(long turn, long nowNanos, double speedFactor) {
        RecordedSession session = sessions.get((int) (turn % sessions.size()));
        long round = turn / sessions.size();
        long offset = round * span + session.startNanos() - firstStart;
        long scaled = speedFactor <= 0 ? 0 : (long) (offset / speedFactor);
        return new Assignment(session, Math.max(0, originNanos + scaled - nowNanos));
    }
}
