package io.pcapreplay.pcap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The sessions of one capture file as a {@link SessionStream}: records are read only until the first session of the
 * window is complete ({@link ConnectionWindow}), frames go through the BPF filter (compiled once per link type by
 * libpcap, run in Java) and the {@link SessionAssembler}. Sessions left out for a reported reason go to the
 * listener. Totals and problems describe what was read so far (all of it once {@link #next()} returned null).
 */
public final class CaptureSessionStream implements SessionStream {

    private final CaptureFile file;
    private final CaptureOptions options;
    private final SessionAssembler assembler;
    private final LeftOutListener listener;
    private final Map<LinkType, BpfFilter> filters = new EnumMap<>(LinkType.class);
    private LeftOutSession firstLeftOut;
    private CaptureException failure;
    private boolean ended;

    private CaptureSessionStream(CaptureFile file, CaptureOptions options, LeftOutListener listener) {
        this.file = file;
        this.options = options;
        this.listener = listener;
        this.assembler = new SessionAssembler(file.linkType(), options, file.file().toString());
    }

    /**
     * Opens a capture file: reads its header (and compiles the filter), no packet yet.
     *
     * @param path the file
     * @param options ports, filter, limits
     * @param listener receives each session left out for a reported reason
     * @return the stream
     * @throws CaptureException when the file cannot be opened, is not a capture, has an unsupported link type, or the
     *     filter is invalid
     */
    static CaptureSessionStream open(Path path, CaptureOptions options, LeftOutListener listener)
            throws CaptureException {
        CaptureFile file = CaptureFile.open(path);
        CaptureSessionStream stream = new CaptureSessionStream(file, options, listener);
        try {
            if (options.filter() != null) {
                stream.filter(file.linkType());
            }
            return stream;
        } catch (CaptureException | RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    @Override
    public String source() {
        return file.file().toString();
    }

    /** Returns the file read: the path. */
    public Path file() {
        return file.file();
    }

    /** Returns the link type of the file (pcapng: of its first interface): never null. */
    public LinkType linkType() {
        return file.linkType();
    }

    @Override
    public RecordedSession next() throws CaptureException {
        if (failure != null) {
            throw failure;
        }
        while (true) {
            ConnectionWindow.Outcome outcome = assembler.poll();
            if (outcome != null) {
                if (outcome.session() != null) {
                    return outcome.session();
                }
                if (outcome.leftOut() != null) {
                    if (firstLeftOut == null) {
                        firstLeftOut = outcome.leftOut();
                    }
                    listener.leftOut(outcome.leftOut());
                }
                continue;
            }
            if (ended) {
                return null;
            }
            readUntilReady();
        }
    }

    private void readUntilReady() throws CaptureException {
        try {
            while (!assembler.ready()) {
                if (!file.next()) {
                    ended = true;
                    assembler.finishAll();
                    file.close();
                    return;
                }
                LinkType type = file.recordLinkType();
                if (type == null) {
                    assembler.unsupportedFrame(file.recordDlt());
                } else if (options.filter() != null && !filter(type).matches(file.buffer(), file.offset(),
                        file.capturedLength(), file.originalLength())) {
                    assembler.filteredFrame();
                } else {
                    assembler.frame(type, file.buffer(), file.offset(), file.capturedLength(), file.originalLength(),
                        file.timestampNanos());
                }
            }
        } catch (CaptureException e) {
            failure = e;
            close();
            throw e;
        }
    }

    private BpfFilter filter(LinkType type) throws CaptureException {
        BpfFilter filter = filters.get(type);
        if (filter == null) {
            filter = BpfCompiler.compile(options.filter(), type, file.file());
            filters.put(type, filter);
        }
        return filter;
    }

    @Override
    public LeftOutCounts leftOut() {
        return assembler.leftOut();
    }

    /** Returns the first session left out for a reported reason, or null: for messages. */
    public LeftOutSession firstLeftOut() {
        return firstLeftOut;
    }

    /** Returns the counters of what was read so far: the totals. */
    public CaptureTotals totals() {
        return assembler.totals();
    }

    /** Returns the problems of the file so far (a file cut short: READ_ERROR; malformed frames ...). */
    public List<Problem> problems() {
        List<Problem> problems = new ArrayList<>();
        if (file.truncatedEnd() != null) {
            problems.add(new Problem(ProblemKind.READ_ERROR, Side.NONE, 1, 0, file.truncatedEnd()));
        }
        problems.addAll(assembler.problems());
        return problems;
    }

    /** Returns the connections in the reading window now: the count (for tests of bounded memory). */
    public int windowSize() {
        return assembler.windowSize();
    }

    /** Returns the bytes held by the reading window now: the count. */
    public long windowBytes() {
        return assembler.windowBytes();
    }

    @Override
    public boolean selectionExcludedAll() {
        return totals().otherPortSegments() > 0 || SessionStream.super.selectionExcludedAll();
    }

    @Override
    public String explainNoSession() {
        return Capture.noSessionMessage(source(), options, totals(), firstLeftOut, problems());
    }

    @Override
    public void close() {
        file.close();
    }
}
