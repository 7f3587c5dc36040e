package io.pcapreplay.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Runs {@code inspect} in-process on mutations of capture files, in a JVM of its own with a small heap
 * ({@link CaptureFuzzTest}). Usage: {@code SEED SECONDS FAILURE_DIRECTORY WORK_DIRECTORY FILE...}. Each input: a
 * seed file changed by 1 to 3 mutations (bit flips, a 32-bit field of a record or block header set to an edge
 * value, a cut, a spliced range), inspected with random options ({@code --json}, a filter, a port, tiny limits).
 * A run fails when {@code inspect} exits with neither 0 nor 2, prints a stack trace, an exception name or
 * "internal error", takes more than {@link #MAX_MILLIS} ms, or throws (out of memory included); the input is kept
 * in FAILURE_DIRECTORY as {@code fuzz-SEED-NUMBER.EXT} (make it a reproducer). Prints one summary line
 * {@code inputs N exit0 A exit2 B failures F}; exit status 1 when F &gt; 0.
 */
public final class FuzzDriver {

    /** Longest run of {@code inspect} on one input. */
    static final long MAX_MILLIS = 10_000;

    private static final int[] EDGES = {0, 1, 2, 4, 12, 16, 20, 28, 32, 0x7F, 0x80, 0xFF, 0xFFFF, 65_536, 262_144,
        262_145, 999_999, 1_000_000, 999_999_999, 1_000_000_000, 0x0A0D0D0A, 0x1A2B3C4D, 0xA1B2C3D4, 0xA1B23C4D,
        Integer.MAX_VALUE, Integer.MIN_VALUE, -1, -2};

    private FuzzDriver() {
    }

    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(args[0]);
        long deadline = System.nanoTime() + Long.parseLong(args[1]) * 1_000_000_000L;
        Path failures = Path.of(args[2]);
        Path work = Path.of(args[3]);
        List<byte[]> seeds = new ArrayList<>();
        List<String> extensions = new ArrayList<>();
        for (int index = 4; index < args.length; index++) {
            seeds.add(Files.readAllBytes(Path.of(args[index])));
            extensions.add(args[index].endsWith(".pcapng") ? ".pcapng" : ".pcap");
        }
        Files.createDirectories(work);
        Random random = new Random(seed);
        long inputs = 0;
        long[] exits = new long[3];
        long failed = 0;
        while (System.nanoTime() < deadline) {
            int pick = random.nextInt(seeds.size());
            byte[] input = mutate(seeds.get(pick), random);
            Path file = work.resolve("input" + extensions.get(pick));
            Files.write(file, input);
            String problem = inspect(file, options(random), exits);
            inputs++;
            if (problem != null) {
                failed++;
                Files.createDirectories(failures);
                Path kept = failures.resolve("fuzz-" + seed + "-" + inputs + extensions.get(pick));
                Files.write(kept, input);
                System.out.println("FAIL " + kept + ": " + problem);
            }
        }
        System.out.println("inputs " + inputs + " exit0 " + exits[0] + " exit2 " + exits[2] + " failures " + failed);
        System.exit(failed > 0 ? 1 : 0);
    }

    private static String inspect(Path file, List<String> options, long[] exits) {
        List<String> command = new ArrayList<>(List.of("inspect", file.toString()));
        command.addAll(options);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long start = System.nanoTime();
        int status;
        try {
            status = Main.run(command.toArray(String[]::new), new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        } catch (Throwable e) {
            return command + ": threw " + e;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        String errors = err.toString(StandardCharsets.UTF_8);
        if (status != Main.OK && status != Main.BAD_INPUT) {
            return command + ": exit " + status + ": " + errors.strip();
        }
        exits[status]++;
        if (errors.contains("\tat ") || errors.contains("Exception") || errors.contains("internal error")) {
            return command + ": stderr " + errors.strip();
        }
        if (status == Main.BAD_INPUT && !errors.contains("(expected: ")) {
            return command + ": message without the rule: " + errors.strip();
        }
        return millis > MAX_MILLIS ? command + ": took " + millis + " ms" : null;
    }

    private static List<String> options(Random random) {
        List<String> options = new ArrayList<>();
        if (random.nextInt(5) == 0) {
            options.add("--json");
        }
        if (random.nextInt(10) == 0) {
            options.addAll(List.of("--filter", random.nextBoolean() ? "tcp" : "tcp port 80 or vlan"));
        }
        if (random.nextInt(10) == 0) {
            options.addAll(List.of("--port", "80"));
        }
        if (random.nextInt(8) == 0) {
            options.addAll(List.of("--max-open-sessions", "2", "--max-session-mib", "1", "--idle-seconds", "1"));
        }
        return options;
    }

    static byte[] mutate(byte[] original, Random random) {
        byte[] bytes = original.clone();
        int mutations = 1 + random.nextInt(3);
        for (int mutation = 0; mutation < mutations && bytes.length > 0; mutation++) {
            switch (random.nextInt(5)) {
                case 0 -> {
                    for (int flip = 1 + random.nextInt(8); flip > 0; flip--) {
                        bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> setWord(bytes, headerField(bytes, random), random);
                case 2 -> setWord(bytes, random.nextInt(Math.min(bytes.length, 64)) & ~3, random);
                case 3 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
                default -> bytes = splice(bytes, random);
            }
        }
        return bytes;
    }

    /** An offset of a 32-bit field in a record header (pcap) or a block header or body (pcapng). */
    private static int headerField(byte[] bytes, Random random) {
        boolean pcapng = bytes.length >= 4 && bytes[0] == 0x0A && bytes[1] == 0x0D;
        List<Integer> fields = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(bytes.length > 0 && (bytes[0] & 0xFF) == 0xA1 && !pcapng
            ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int position = pcapng ? 0 : 24;
        while (position + 16 <= bytes.length && fields.size() < 10_000) {
            int length = buffer.getInt(position + (pcapng ? 4 : 8));
            for (int field = 0; field < (pcapng ? 7 : 4); field++) {
                fields.add(position + 4 * field);
            }
            long next = pcapng ? position + (long) length : position + 16L + (length & 0xFFFF_FFFFL);
            if (length <= 0 || next <= position || next > bytes.length) {
                break;
            }
            position = (int) next;
        }
        return fields.isEmpty() ? 0 : fields.get(random.nextInt(fields.size()));
    }

    private static void setWord(byte[] bytes, int offset, Random random) {
        if (offset + 4 > bytes.length) {
            return;
        }
        int value = random.nextInt(4) == 0 ? random.nextInt() : EDGES[random.nextInt(EDGES.length)];
        ByteBuffer.wrap(bytes).order(random.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN)
            .putInt(offset, value);
    }

    /** Deletes or repeats a random range. */
    private static byte[] splice(byte[] bytes, Random random) {
        int from = random.nextInt(bytes.length);
        int length = 1 + random.nextInt(Math.min(256, bytes.length - from));
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + length);
        if (random.nextBoolean()) {
            out.write(bytes, 0, from + length);
            out.write(bytes, from, bytes.length - from);
        } else {
            out.write(bytes, 0, from);
            out.write(bytes, from + length, bytes.length - from - length);
        }
        return out.toByteArray();
    }
}
