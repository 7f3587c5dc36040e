package io.pcapreplay.packet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test helper: reads the frames of a classic pcap file from ../shared/pcaps/public (Ethernet only). */
final class CaptureFrames {

    private CaptureFrames() {
    }

    static Path publicCapture(String name) {
        String shared = System.getProperty("shared.dir");
        Path directory;
        if (shared != null) {
            directory = Paths.get(shared);
        } else {
            String root = System.getProperty("project.root", "..");
            directory = Paths.get(root, "..", "shared");
        }
        return directory.resolve("pcaps").resolve("public").resolve(name);
    }

    /** Returns each frame's IP packet (the Ethernet header, 14 bytes, removed). */
    static List<byte[]> ipPacketsOf(String name) throws IOException {
        byte[] file = Files.readAllBytes(publicCapture(name));
        ByteBuffer reader = ByteBuffer.wrap(file);
        int magic = reader.getInt(0);
        if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
            reader.order(ByteOrder.LITTLE_ENDIAN);
        }
        List<byte[]> packets = new ArrayList<>();
        int position = 24;
        while (position + 16 <= file.length) {
            int captured = reader.getInt(position + 8);
            int start = position + 16;
            packets.add(Arrays.copyOfRange(file, start + 14, start + captured));
            position = start + captured;
        }
        return packets;
    }
}
