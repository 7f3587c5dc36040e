package io.pcapreplay.pcap;

import io.pcapreplay.libpcap.LibpcapLocator;
import java.io.EOFException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;

/**
 * Capture reading speed (scripts/bench-read.sh): generates a large capture, and times our reader on it, in the
 * same package as the reader (it uses the package-private record loop). Printed as one line per measure,
 * {@code name packets seconds packets/s}, the best of a few runs (the first warms the JIT).
 *
 * <p>Usage: {@code generate FILE SESSIONS EXCHANGES REQUEST_BYTES RESPONSE_BYTES CONCURRENT}, {@code read FILE RUNS},
 * {@code pcap4j FILE} (the previous reader's loop: libpcap through pcap4j, one JNA call and array per record).
 */
public final class ReadBenchmark {

    private ReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        switch (args[0]) {
            case "generate" -> {
                SyntheticCapture.Result result = new SyntheticCapture().sessions(Integer.parseInt(args[2]))
                    .exchanges(Integer.parseInt(args[3])).requestBytes(Integer.parseInt(args[4]))
                    .responseBytes(Long.parseLong(args[5])).concurrent(Integer.parseInt(args[6])).write(file);
                System.out.printf(Locale.ROOT, "generated %s: %d sessions, %d packets, %d bytes%n", file,
                    result.sessions(), result.packets(), result.bytes());
            }
            case "read" -> {
                int runs = Integer.parseInt(args[2]);
                measure("records", runs, () -> records(file));
                measure("sessions", runs, () -> sessions(file, CaptureOptions.defaults()));
                measure("sessions-filtered", runs, () -> sessions(file, CaptureOptions.defaults()
                    .withFilter("tcp port 80")));
            }
            case "pcap4j" -> measure("pcap4j-records", 1, () -> pcap4jRecords(file));
            default -> throw new IllegalArgumentException("command: " + args[0]
                + " (expected: generate, read or pcap4j)");
        }
    }

    /** Counts something in a file: returns the packets read. */
    private interface Reading {
        long read() throws Exception;
    }

    private static void measure(String name, int runs, Reading reading) throws Exception {
        double best = Double.MAX_VALUE;
        long packets = 0;
        for (int run = 0; run < runs; run++) {
            long start = System.nanoTime();
            packets = reading.read();
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        System.out.printf(Locale.ROOT, "%s %d %.3f %.0f%n", name, packets, best, packets / best);
    }

    private static long records(Path file) throws CaptureException {
        long bytes = 0;
        try (CaptureFile capture = CaptureFile.open(file)) {
            while (capture.next()) {
                bytes += capture.capturedLength();
            }
            if (bytes < 0) {
                throw new IllegalStateException("bytes: " + bytes);
            }
            return capture.records();
        }
    }

    private static long sessions(Path file, CaptureOptions options) throws CaptureException {
        long exchanges = 0;
        try (CaptureSessionStream stream = new CaptureReader().open(file, options,
                SessionStream.LeftOutListener.NONE)) {
            for (RecordedSession session = stream.next(); session != null; session = stream.next()) {
                exchanges += session.exchangeCount();
            }
            if (exchanges == 0) {
                throw new IllegalStateException("no exchange in " + file);
            }
            return stream.totals().frames();
        }
    }

    private static long pcap4jRecords(Path file) throws Exception {
        LibpcapLocator.configure();
        long packets = 0;
        PcapHandle handle = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO);
        try {
            while (true) {
                try {
                    byte[] frame = handle.getNextRawPacketEx();
                    handle.getOriginalLength();
                    handle.getTimestamp();
                    packets += frame.length > 0 ? 1 : 0;
                } catch (EOFException e) {
                    return packets;
                } catch (TimeoutException e) {
                    // offline: does not happen
                }
            }
        } finally {
            handle.close();
        }
    }
}
