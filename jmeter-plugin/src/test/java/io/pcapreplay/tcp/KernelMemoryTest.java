package io.pcapreplay.tcp;

import static io.pcapreplay.tcp.EngineHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.pcap.RecordedSession;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Measures the kernel replayer's heap per open idle session, as {@link EngineMemoryTest} does for the engine: 5,000
 * comet sessions (connect, the request, the response, then held) against a holding server in another JVM (its
 * connections are not in this heap). Counted: the session, its handle, the JDK's socket channel with its file
 * descriptor object and addresses, the selection key and the selector's entries. Not counted: the kernel's socket
 * memory (about 2 to 4 KiB per idle socket, outside the JVM).
 */
class KernelMemoryTest {

    private static final int SESSIONS = 5_000;
    private static final int WARM_UP = 200;

    private static long usedHeap() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            System.gc();
            Thread.sleep(20);
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }

    @Test
    @Timeout(120)
    void shouldKeepEachIdleCometSessionUnder1536Bytes() throws Exception {
        RecordedSession session = EngineHarness.builder().exchange(text("GET /events HTTP/1.1\r\n\r\n"),
            text("event: hello\n\n"), 0).build();
        try (ForkedJava server = ForkedJava.start(List.of(), HoldingServer.class.getName())) {
            int port = Integer.parseInt(server.awaitLine("port ").substring(5).trim());
            EngineConfig config = EngineConfig.builder().target(InetAddress.getLoopbackAddress(), port).comet(true)
                .pacing(0, 500).response(Duration.ofSeconds(30), Duration.ofMillis(200)).build();
            KernelReplayer replayer = KernelReplayer.start(config, List.of(), 1, message -> { });
            AtomicLong ok = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            ExchangeListener listener = result -> (result.ok() ? ok : failed).incrementAndGet();
            try {
                open(replayer, session, listener, WARM_UP, ok, failed);
                long before = usedHeap();
                open(replayer, session, listener, SESSIONS, ok, failed);
                long after = usedHeap();

                assertThat(failed.get()).isZero();
                assertThat(ok.get()).isEqualTo(WARM_UP + SESSIONS);
                assertThat(replayer.stats().openSessions()).isEqualTo(WARM_UP + SESSIONS);
                long perSession = (after - before) / SESSIONS;
                System.out.println("kernel replayer heap per idle comet session: " + perSession + " bytes");
                assertThat(perSession).isLessThan(1_536);
            } finally {
                replayer.stop(Duration.ofSeconds(10));
            }
            assertThat(replayer.stats().openSessions()).isZero();
        }
    }

    private static void open(KernelReplayer replayer, RecordedSession session, ExchangeListener listener, int count,
            AtomicLong ok, AtomicLong failed) throws InterruptedException {
        long target = ok.get() + failed.get() + count;
        for (int index = 0; index < count; index++) {
            replayer.startSession(session, listener);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (ok.get() + failed.get() < target && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
