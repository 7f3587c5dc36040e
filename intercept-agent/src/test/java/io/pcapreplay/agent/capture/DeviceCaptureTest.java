package io.pcapreplay.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pcapreplay.agent.Privileges;
import io.pcapreplay.libpcap.LibpcapLocator;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both capture methods on the loopback device (root or CAP_NET_RAW): every packet of a TCP exchange once, in order,
 * whole, the large ones too (on the ring, packets larger than a frame come through the socket queue).
 */
@Timeout(60)
class DeviceCaptureTest {

    /** One captured IP packet. */
    private record Captured(long nanos, byte[] ip, int originalLength) {
    }

    @ParameterizedTest
    @EnumSource(CaptureMethod.class)
    void shouldDeliverEveryPacketOnceAndWholeWhenLargePacketsAreMixedIn(CaptureMethod method) throws Exception {
        assumeTrue(Privileges.canCapture(), "needs root or CAP_NET_RAW");
        String library = LibpcapLocator.configure().orElse(null);
        assumeTrue(library != null, "needs libpcap");
        List<Captured> packets = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger batches = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            CaptureSettings settings = new CaptureSettings("tcp and dst port " + port, 65_535, 32 << 20, library,
                    method, java.time.Duration.ZERO);
            PacketSink sink = new PacketSink() {
                @Override
                public void accept(long nanos, byte[] frame, int ipOffset, int ipLength, int originalLength) {
                    packets.add(new Captured(nanos, java.util.Arrays.copyOfRange(frame, ipOffset,
                            ipOffset + ipLength), originalLength));
                }

                @Override
                public void endOfBatch() {
                    batches.incrementAndGet();
                }
            };
            long sent = 0;
            long before = System.currentTimeMillis();
            try (DeviceCapture capture = DeviceCapture.open(settings, "lo", sink)) {
                capture.start();
                Thread.sleep(200);
                try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port);
                        Socket accepted = server.accept()) {
                    client.setTcpNoDelay(true);
                    OutputStream out = client.getOutputStream();
                    for (int i = 0; i < 50; i++) {
                        out.write(new byte[] {(byte) i});
                        out.flush();
                        sent++;
                    }
                    byte[] large = new byte[48_000];
                    out.write(large);
                    out.flush();
                    sent += large.length;
                    InputStream in = accepted.getInputStream();
                    byte[] buffer = new byte[65_536];
                    long received = 0;
                    while (received < sent) {
                        received += in.read(buffer);
                    }
                }
                long deadline = System.currentTimeMillis() + 5000;
                while (payloadBytes(packets) < sent && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                Thread.sleep(200);
                assertThat(capture.kernelDrops()).isZero();
                assertThat(capture.method()).contains(method == CaptureMethod.RING ? "packet ring" : "libpcap");
            }
            synchronized (packets) {
                assertThat(payloadBytes(packets)).as("payload bytes captured").isEqualTo(sent);
                // a packet delivered twice by the capture is byte-identical (IP ID included); a retransmission by
                // the sender (a tail loss probe on a loaded machine) is not, and is counted once above
                assertThat(packets.stream().map(packet -> java.nio.ByteBuffer.wrap(packet.ip)).distinct().count())
                    .as("each packet once").isEqualTo(packets.size());
                assertThat(packets).filteredOn(packet -> (packet.ip[33] & 0x02) != 0).as("SYNs").hasSize(1);
                assertThat(packets).anySatisfy(packet -> assertThat(packet.ip.length).isGreaterThan(4096));
                assertThat(packets).allSatisfy(packet -> {
                    assertThat(packet.originalLength).isEqualTo(packet.ip.length);
                    assertThat(packet.nanos / 1_000_000).isBetween(before - 1000, System.currentTimeMillis());
                });
                for (int i = 1; i < packets.size(); i++) {
                    assertThat(packets.get(i).nanos).isGreaterThanOrEqualTo(packets.get(i - 1).nanos);
                }
            }
            assertThat(batches.get()).isPositive();
        }
    }

    @ParameterizedTest
    @EnumSource(CaptureMethod.class)
    void shouldReadAPacketAfterQuietAtOnceAndTheFollowingBurstAsOneBatchWhenPausing(CaptureMethod method)
            throws Exception {
        assumeTrue(Privileges.canCapture(), "needs root or CAP_NET_RAW");
        String library = LibpcapLocator.configure().orElse(null);
        assumeTrue(library != null, "needs libpcap");
        java.time.Duration pause = java.time.Duration.ofSeconds(3);
        // batch of each payload byte by its sequence number (a retransmission repeats one)
        java.util.Map<Long, Integer> payloadBatches = new java.util.concurrent.ConcurrentSkipListMap<>();
        AtomicInteger batches = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            CaptureSettings settings = new CaptureSettings("tcp and dst port " + port, 65_535, 32 << 20, library,
                    method, pause);
            PacketSink sink = new PacketSink() {
                @Override
                public void accept(long nanos, byte[] frame, int ipOffset, int ipLength, int originalLength) {
                    int ipHeader = (frame[ipOffset] & 0x0F) * 4;
                    int tcpHeader = ((frame[ipOffset + ipHeader + 12] >> 4) & 0x0F) * 4;
                    long sequence = java.nio.ByteBuffer.wrap(frame, ipOffset + ipHeader + 4, 4).getInt() & 0xFFFFFFFFL;
                    for (int i = ipHeader + tcpHeader; i < ipLength; i++) {
                        payloadBatches.putIfAbsent(sequence + i - ipHeader - tcpHeader, batches.get());
                    }
                }

                @Override
                public void endOfBatch() {
                    batches.incrementAndGet();
                }
            };
            try (DeviceCapture capture = DeviceCapture.open(settings, "lo", sink);
                    Socket client = new Socket()) {
                capture.start();
                Thread.sleep(200);
                client.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                client.setTcpNoDelay(true);
                try (Socket accepted = server.accept()) {
                    Thread.sleep(pause.toMillis() + 1000); // the handshake's batches and their pauses are over
                    OutputStream out = client.getOutputStream();
                    long quietEnded = System.nanoTime();
                    out.write(1);
                    out.flush();
                    while (payloadBatches.isEmpty() && System.nanoTime() - quietEnded < pause.toNanos() * 2) {
                        Thread.sleep(5);
                    }
                    long firstRead = System.nanoTime() - quietEnded;
                    for (int i = 0; i < 20; i++) { // while the capture pauses after the first byte's batch
                        out.write(2);
                        out.flush();
                    }
                    long deadline = System.nanoTime() + pause.toNanos() * 3;
                    while (payloadBatches.size() < 21 && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    assertThat(firstRead).as("first byte after a quiet spell read before the pause would end")
                        .isLessThan(pause.toNanos() / 2);
                }
                assertThat(capture.method()).contains("pause of 3000000 us after each batch");
            }
            List<Integer> inOrder = new ArrayList<>(payloadBatches.values()); // sequence order (no wrap in 21 bytes)
            assertThat(inOrder).as("batch of each payload byte").hasSize(21);
            assertThat(inOrder.subList(1, 21)).as("the burst during the pause: one batch").containsOnly(
                    inOrder.get(1)).doesNotContain(inOrder.get(0));
        }
    }

    /** The payload bytes captured, each TCP sequence number counted once (retransmissions repeat one). */
    private static long payloadBytes(List<Captured> packets) {
        synchronized (packets) {
            java.util.Map<Long, Integer> bySequence = new java.util.HashMap<>();
            for (Captured packet : packets) {
                byte[] ip = packet.ip;
                int ipHeader = (ip[0] & 0x0F) * 4;
                int tcpHeader = ((ip[ipHeader + 12] >> 4) & 0x0F) * 4;
                int totalLength = ((ip[2] & 0xFF) << 8) | (ip[3] & 0xFF);
                long sequence = java.nio.ByteBuffer.wrap(ip, ipHeader + 4, 4).getInt() & 0xFFFFFFFFL;
                bySequence.merge(sequence, totalLength - ipHeader - tcpHeader, Math::max);
            }
            return bySequence.values().stream().mapToLong(Integer::longValue).sum();
        }
    }
}
