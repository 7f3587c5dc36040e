package io.pcapreplay.jmeter;

import io.pcapreplay.cli.Main;
import io.pcapreplay.pcap.CaptureOptions;
import io.pcapreplay.pcap.SessionStream;
import io.pcapreplay.pcap.SessionStreams;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Runs in a JVM of its own with a small heap ({@link BoundedMemoryTest}): {@code inspect FILE [args]} prints the
 * exit status and stderr of {@code inspect}; {@code replay FILE PASSES} hands out every session of the file
 * PASSES times through a {@link SessionSource}, as the thread group does, and prints how many, whether the capture
 * was kept in memory, and the most heap used after a collection (sampled every 5,000 sessions).
 */
public final class BoundedMemoryDriver {

    private BoundedMemoryDriver() {
    }

    public static void main(String[] args) throws Exception {
        if ("inspect".equals(args[0])) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            String[] command = new String[args.length];
            command[0] = "inspect";
            System.arraycopy(args, 1, command, 1, args.length - 1);
            int status = Main.run(command, new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
            System.out.println("status " + status);
            System.out.println("stderr " + err.toString(StandardCharsets.UTF_8).strip());
            System.out.printf(Locale.ROOT, "heap-after-gc-mib %.1f%n", usedAfterCollection());
            return;
        }
        Path file = Path.of(args[1]);
        int passes = Integer.parseInt(args[2]);
        long perPass = 0;
        long handedOut = 0;
        double most = 0;
        try (SessionSource source = SessionSource.open("driver", SessionStreams.captures(List.of(file),
                CaptureOptions.defaults()), SessionStream.LeftOutListener.NONE, HandOut.ROUND_ROBIN, 1,
                SessionSource.DEFAULT_LOOK_AHEAD)) {
            long firstStart = -1;
            while (true) {
                SessionSource.Assignment assignment = source.next(0, 0);
                if (assignment == null) {
                    throw new IllegalStateException("no session: " + source.failure());
                }
                if (assignment.session().startNanos() == firstStart && perPass == 0) {
                    perPass = handedOut;
                }
                if (firstStart < 0) {
                    firstStart = assignment.session().startNanos();
                }
                handedOut++;
                if (handedOut % 5000 == 0) {
                    most = Math.max(most, usedAfterCollection());
                }
                if (perPass > 0 && handedOut == perPass * passes + 1) {
                    break;
                }
            }
            System.out.println("sessions-per-pass " + perPass);
            System.out.println("handed-out " + (handedOut - 1));
            System.out.println("in-memory " + source.inMemory());
            System.out.printf(Locale.ROOT, "heap-after-gc-mib %.1f%n", most);
            System.out.printf(Locale.ROOT, "max-heap-mib %.1f%n", Runtime.getRuntime().maxMemory() / 1048576.0);
        }
    }

    private static double usedAfterCollection() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return (runtime.totalMemory() - runtime.freeMemory()) / 1048576.0;
    }
}
