package io.pcapreplay.pcap;

import io.pcapreplay.libpcap.LibpcapLocator;
import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapHandle.TimestampPrecision;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

/**
 * Reads a capture file (pcap with µs or ns timestamps, pcapng) through libpcap (pcap4j, raw bytes only: no pcap4j
 * packet objects) and reassembles its TCP sessions.
 *
 * <p>Who is the client of a connection: the sender of the SYN; without a SYN, the receiver of the SYN-ACK; without
 * either, the side whose port is not the chosen server port; without a chosen port, the side with the higher port
 * (ephemeral ports are higher than well-known ones), and on equal ports the side that sent the first captured
 * packet. Sessions with a server port other than the chosen one are left out.
 *
 * <p>Exchanges are cut where the client sends data after the server did: consecutive client data is one request,
 * the server data that follows is its response (a pipelined request that overlaps a response ends up in the next
 * exchange). Data in a SYN (TCP Fast Open) is request data. Checksums are not checked (offload makes them wrong).
 *
 * <p>Thread-safe: each call reads with its own state.
 */
public final class CaptureReader {

    /**
     * Reads every session with the default options.
     *
     * @param file the capture file
     * @return the capture (possibly without sessions)
     * @throws CaptureException when the file cannot be read as a capture
     */
    public Capture read(Path file) throws CaptureException {
        return read(file, CaptureOptions.defaults());
    }

    /**
     * Reads the sessions selected by the options. A file that libpcap stops reading midway (truncated, or a
     * pcapng interface with another link type) gives the sessions read until then and a READ_ERROR problem.
     *
     * @param file the capture file
     * @param options port, filter, buffer limit
     * @return the capture (possibly without sessions: see {@link Capture#requireSessions(CaptureOptions)})
     * @throws CaptureException when the file is missing, empty, not a capture, of an unsupported link type, or the
     *     filter is invalid
     */
    public Capture read(Path file, CaptureOptions options) throws CaptureException {
        checkFile(file);
        if (LibpcapLocator.configure().isEmpty()) {
            throw new CaptureException(LibpcapLocator.notFoundMessage());
        }
        PcapHandle handle = open(file);
        try {
            LinkType linkType = linkType(handle, file);
            if (options.filter() != null) {
                setFilter(handle, file, options.filter());
            }
            SessionAssembler assembler = new SessionAssembler(linkType, options);
            List<Problem> problems = new ArrayList<>();
            String error = readFrames(handle, assembler);
            if (error == null) {
                return assembler.finish(file, problems);
            }
            if (error.contains("different from") && options.filter() == null && PcapngReader.isPcapng(file)) {
                return readWithoutLibpcap(file, options, linkType);
            }
            problems.add(new Problem(ProblemKind.READ_ERROR, Side.NONE, 1, 0, "libpcap stopped reading " + file
                + " after " + assembler.frames() + " frame(s): " + error + " (the sessions read before are kept"
                + (options.filter() != null && error.contains("different from") ? "; without --filter the built-in "
                + "pcapng reader would read the whole file" : "") + ")"));
            return assembler.finish(file, problems);
        } finally {
            handle.close();
        }
    }

    /** libpcap refuses pcapng interfaces that differ in link type or snaplen: read the file ourselves. */
    private static Capture readWithoutLibpcap(Path file, CaptureOptions options, LinkType linkType) {
        SessionAssembler assembler = new SessionAssembler(linkType, options);
        String error = PcapngReader.read(file, assembler::frame);
        List<Problem> problems = new ArrayList<>();
        if (error != null) {
            problems.add(new Problem(ProblemKind.READ_ERROR, Side.NONE, 1, 0, "reading " + file + " (pcapng with "
                + "differing interfaces, read without libpcap) stopped: " + error + " (the sessions read before "
                + "are kept)"));
        }
        return assembler.finish(file, problems);
    }

    /**
     * Reads the sessions, failing when there is none.
     *
     * @param file the capture file
     * @param options port, filter, buffer limit
     * @return at least one session
     * @throws CaptureException when the file cannot be read or holds no matching session
     */
    public List<RecordedSession> readSessions(Path file, CaptureOptions options) throws CaptureException {
        return read(file, options).requireSessions(options);
    }

    private static void checkFile(Path file) throws CaptureException {
        if (!Files.exists(file)) {
            throw new CaptureException("capture file " + file + ": not found (expected: an existing pcap or pcapng "
                + "file; check the path)");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CaptureException("capture file " + file + ": not a readable file (expected: a readable pcap "
                + "or pcapng file; check the path and permissions)");
        }
        try {
            if (Files.size(file) == 0) {
                throw new CaptureException("capture file " + file + ": empty, 0 bytes (expected: a pcap or pcapng "
                    + "file; capture again)");
            }
        } catch (java.io.IOException e) {
            throw new CaptureException("capture file " + file + ": " + e.getMessage()
                + " (expected: a readable file)", e);
        }
    }

    private static PcapHandle open(Path file) throws CaptureException {
        try {
            return Pcaps.openOffline(file.toString(), TimestampPrecision.NANO);
        } catch (PcapNativeException e) {
            throw new CaptureException("capture file " + file + ": " + e.getMessage() + " (expected: a pcap or "
                + "pcapng file readable by libpcap; check it with tcpdump -r)", e);
        } catch (LinkageError e) {
            throw new CaptureException("libpcap: cannot be loaded: " + e.getMessage() + " (expected: libpcap "
                + "installed; run: apt-get install libpcap0.8, or set -D" + LibpcapLocator.LIBRARY_PROPERTY + ")", e);
        }
    }

    private static LinkType linkType(PcapHandle handle, Path file) throws CaptureException {
        int dlt = handle.getDlt().value();
        LinkType linkType = LinkType.valueOf(dlt);
        if (linkType == null) {
            throw new CaptureException("link type of " + file + ": " + dlt + " (" + handle.getDlt().name()
                + ") (expected: one of " + LinkType.supported() + "; convert the capture, e.g. capture on an "
                + "Ethernet interface or with tcpdump -i any)");
        }
        return linkType;
    }

    private static void setFilter(PcapHandle handle, Path file, String filter) throws CaptureException {
        try {
            handle.setFilter(filter, BpfCompileMode.OPTIMIZE);
        } catch (PcapNativeException | NotOpenException e) {
            throw new CaptureException("BPF filter '" + filter + "' for " + file + ": " + e.getMessage()
                + " (expected: a pcap-filter(7) expression, e.g. 'tcp port 80')", e);
        }
    }

    /** Feeds every frame to the assembler; returns null at the end of the file, else libpcap's error. */
    private static String readFrames(PcapHandle handle, SessionAssembler assembler) {
        while (true) {
            byte[] frame;
            try {
                frame = handle.getNextRawPacketEx();
            } catch (EOFException e) {
                return null;
            } catch (PcapNativeException | NotOpenException | TimeoutException e) {
                return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            Integer originalLength = handle.getOriginalLength();
            assembler.frame(frame, frame.length, originalLength == null ? frame.length : originalLength,
                nanos(handle.getTimestamp()));
        }
    }

    private static long nanos(Timestamp timestamp) {
        if (timestamp == null) {
            return 0;
        }
        long seconds = Math.floorDiv(timestamp.getTime(), 1000L);
        return seconds * 1_000_000_000L + timestamp.getNanos();
    }
}
