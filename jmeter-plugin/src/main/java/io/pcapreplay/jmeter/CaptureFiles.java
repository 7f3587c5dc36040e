package io.pcapreplay.jmeter;

import io.pcapreplay.http.GorFileReader;
import io.pcapreplay.pcap.CaptureException;
import io.pcapreplay.pcap.CaptureOptions;
import io.pcapreplay.pcap.CaptureReader;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.pcap.SessionStream;
import io.pcapreplay.pcap.SessionStreams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens a thread group's files as one {@link SessionStream}, merged by start time: pcap and pcapng streamed in
 * bounded memory ({@link CaptureReader#open}); goreplay files ({@code .gor}, {@code .gor.gz}; see
 * {@link GorFileReader}; the BPF filter does not apply to them) read whole, one pass per recorded server port.
 */
final class CaptureFiles {

    private CaptureFiles() {
    }

    /**
     * Returns the opener of the files (each call reads them from the beginning).
     *
     * @param files the files
     * @param options ports, filter, limits
     * @return the opener
     * @throws IllegalArgumentException when no file is given
     */
    static SessionStream.Opener opener(List<Path> files, CaptureOptions options) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("capture files: none (expected: at least one pcap, pcapng or gor "
                + "file)");
        }
        List<Path> copy = List.copyOf(files);
        return listener -> {
            List<SessionStream> streams = new ArrayList<>();
            try {
                for (Path file : copy) {
                    streams.add(GorFileReader.handles(file) ? gor(file, options)
                        : new CaptureReader().open(file, options, listener));
                }
            } catch (CaptureException | RuntimeException e) {
                streams.forEach(SessionStream::close);
                throw e;
            }
            return SessionStreams.merge(streams);
        };
    }

    private static SessionStream gor(Path file, CaptureOptions options) throws CaptureException {
        List<RecordedSession> sessions = new ArrayList<>();
        List<Integer> ports = options.serverPorts().isEmpty() ? List.of(0) : options.serverPorts();
        for (int port : ports) {
            sessions.addAll(new GorFileReader().read(file, port).sessions());
        }
        return SessionStreams.of(file.toString(), sessions);
    }
}
