package io.pcapreplay.pcap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** {@link SessionStream}s over lists, and several streams merged by start time. */
public final class SessionStreams {

    private SessionStreams() {
    }

    /**
     * A stream over sessions already in memory (synthetic load, tests), in start order.
     *
     * @param sessions the sessions (sorted by start, stably)
     * @return the stream
     */
    public static SessionStream of(List<RecordedSession> sessions) {
        return of("memory", sessions);
    }

    /**
     * A stream over sessions already in memory, in start order, named for messages.
     *
     * @param source what they were read from, e.g. a file
     * @param sessions the sessions (sorted by start, stably)
     * @return the stream
     */
    public static SessionStream of(String source, List<RecordedSession> sessions) {
        List<RecordedSession> sorted = new ArrayList<>(sessions);
        sorted.sort(Comparator.comparingLong(RecordedSession::startNanos));
        return new SessionStream() {
            private int next;

            @Override
            public String source() {
                return source;
            }

            @Override
            public RecordedSession next() {
                return next < sorted.size() ? sorted.get(next++) : null;
            }

            @Override
            public LeftOutCounts leftOut() {
                return LeftOutCounts.NONE;
            }

            @Override
            public void close() {
                next = sorted.size();
            }
        };
    }

    /**
     * Opens capture files as one stream, merged by start time.
     *
     * @param files the files
     * @param options ports, filter, limits (the same for each file)
     * @return the opener (each call reads the files from the beginning)
     */
    public static SessionStream.Opener captures(List<Path> files, CaptureOptions options) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("capture files: none (expected: at least one pcap or pcapng file)");
        }
        List<Path> copy = List.copyOf(files);
        return listener -> {
            List<SessionStream> streams = new ArrayList<>();
            try {
                for (Path file : copy) {
                    streams.add(CaptureSessionStream.open(file, options, listener));
                }
            } catch (CaptureException | RuntimeException e) {
                streams.forEach(SessionStream::close);
                throw e;
            }
            return merge(streams);
        };
    }

    /**
     * Merges streams by session start time (ties: the earlier stream first); one stream is returned as is.
     *
     * @param streams the streams, each in start order (closed with the result)
     * @return the merged stream
     */
    public static SessionStream merge(List<SessionStream> streams) {
        return streams.size() == 1 ? streams.get(0) : new Merged(List.copyOf(streams));
    }

    /** Keeps the next session of each stream and hands out the earliest. */
    private static final class Merged implements SessionStream {

        private final List<SessionStream> streams;
        private final RecordedSession[] heads;
        private final boolean[] ended;

        Merged(List<SessionStream> streams) {
            this.streams = streams;
            this.heads = new RecordedSession[streams.size()];
            this.ended = new boolean[streams.size()];
        }

        @Override
        public String source() {
            return streams.stream().map(SessionStream::source).collect(Collectors.joining(", "));
        }

        @Override
        public RecordedSession next() throws CaptureException {
            int earliest = -1;
            for (int index = 0; index < heads.length; index++) {
                if (heads[index] == null && !ended[index]) {
                    heads[index] = streams.get(index).next();
                    ended[index] = heads[index] == null;
                }
                if (heads[index] != null && (earliest < 0
                        || heads[index].startNanos() < heads[earliest].startNanos())) {
                    earliest = index;
                }
            }
            if (earliest < 0) {
                return null;
            }
            RecordedSession session = heads[earliest];
            heads[earliest] = null;
            return session;
        }

        @Override
        public String explainNoSession() {
            return streams.stream().map(SessionStream::explainNoSession).collect(Collectors.joining("; "));
        }

        @Override
        public boolean selectionExcludedAll() {
            return streams.stream().anyMatch(SessionStream::selectionExcludedAll);
        }

        @Override
        public LeftOutCounts leftOut() {
            LeftOutCounts sum = LeftOutCounts.NONE;
            for (SessionStream stream : streams) {
                sum = sum.plus(stream.leftOut());
            }
            return sum;
        }

        @Override
        public void close() {
            for (SessionStream stream : streams) {
                stream.close();
            }
        }
    }
}
