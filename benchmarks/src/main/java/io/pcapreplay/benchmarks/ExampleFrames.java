package io.pcapreplay.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the Ethernet frames of the bundled example capture (classic little-endian pcap) for the benchmarks. */
final class ExampleFrames {

    private static final String CAPTURE = "examples/pcaps/http-keepalive.pcap";

    private ExampleFrames() {
    }

    static List<byte[]> load() {
        Path path = Path.of(System.getProperty("project.root", "."), CAPTURE);
        if (!Files.isReadable(path)) {
            path = Path.of("..", CAPTURE);
        }
        try {
            ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
            file.position(24);
            List<byte[]> frames = new ArrayList<>();
            while (file.remaining() >= 16) {
                file.getInt();
                file.getInt();
                int captured = file.getInt();
                file.getInt();
                byte[] frame = new byte[captured];
                file.get(frame);
                frames.add(frame);
            }
            return frames;
        } catch (IOException e) {
            throw new UncheckedIOException("benchmark capture: " + path + " not readable (expected: run from the "
                    + "project root, or set -Dproject.root)", e);
        }
    }
}
