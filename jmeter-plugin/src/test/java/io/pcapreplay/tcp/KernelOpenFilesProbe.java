package io.pcapreplay.tcp;

import static io.pcapreplay.tcp.EngineHarness.text;

import io.pcapreplay.pcap.RecordedSession;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Run in a JVM with a low open-files limit ({@link KernelOpenFilesTest}): opens comet sessions to a loopback port
 * until the descriptors run out, then prints {@code limits ...}, {@code outcomes ...}, {@code first ...} (the first
 * LOCAL_LIMIT message), {@code warned ...} and {@code stats ...}.
 */
final class KernelOpenFilesProbe {

    private KernelOpenFilesProbe() {
    }

    /**
     * @param arguments the server port, the sessions to open
     * @throws Exception when the probe fails
     */
    public static void main(String[] arguments) throws Exception {
        int port = Integer.parseInt(arguments[0]);
        int sessions = Integer.parseInt(arguments[1]);
        RecordedSession session = EngineHarness.builder().exchange(text("GET /events HTTP/1.1\r\n\r\n"),
            text("event: hello\n\n"), 0).build();
        KernelLimits limits = KernelLimits.detect(0, 1);
        System.out.println("limits " + limits.openFilesSoft() + " " + limits.capacity() + " " + limits.describe());
        Map<Outcome, AtomicLong> outcomes = new ConcurrentHashMap<>();
        AtomicReference<String> first = new AtomicReference<>("");
        AtomicReference<String> warned = new AtomicReference<>("");
        CountDownLatch results = new CountDownLatch(sessions);
        EngineConfig config = EngineConfig.builder().target(InetAddress.getLoopbackAddress(), port).comet(true)
            .response(Duration.ofSeconds(20), Duration.ofMillis(200)).build();
        KernelReplayer replayer = KernelReplayer.start(config, List.of(), 1, warned::set);
        CountDownLatch warmUp = new CountDownLatch(1);
        replayer.startSession(session, result -> warmUp.countDown()); // loads the classes of a session's path
        warmUp.await(10, TimeUnit.SECONDS);
        for (int index = 0; index < sessions; index++) {
            replayer.startSession(session, result -> {
                outcomes.computeIfAbsent(result.outcome(), key -> new AtomicLong()).incrementAndGet();
                if (result.outcome() == Outcome.LOCAL_LIMIT) {
                    first.compareAndSet("", result.message());
                }
                results.countDown();
            });
        }
        boolean all = results.await(30, TimeUnit.SECONDS);
        System.out.println("outcomes " + all + " " + outcomes);
        System.out.println("first " + first.get());
        System.out.println("warned " + warned.get());
        System.out.println("stats " + replayer.stats());
        replayer.stop(Duration.ofSeconds(10));
    }
}
