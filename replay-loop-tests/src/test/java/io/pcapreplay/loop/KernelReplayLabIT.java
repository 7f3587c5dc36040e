package io.pcapreplay.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.lab.LabTest;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.EngineConfig;
import io.pcapreplay.tcp.ExchangeListener;
import io.pcapreplay.tcp.ExchangeResult;
import io.pcapreplay.tcp.KernelReplayer;
import io.pcapreplay.tcp.Outcome;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kernel transport in the lab, with no agent, no routes and no fake clients: a {@link KernelReplayer} started in
 * the client namespace (its loop threads and sockets live there) replays examples/pcaps/http-keepalive.pcap against
 * nginx and a recorded redis session against a fresh redis in the target namespace, from addresses of the client's
 * own interface. The servers' own records (nginx's access log, redis's keys) show the replay.
 */
@LabTest
class KernelReplayLabIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int FRESH_REDIS = 6380;
    private static RecordedNginx nginx;
    private static List<RecordedSession> keepAlive;
    private static List<RecordedSession> redisSession;

    @BeforeAll
    static void start(Lab lab) throws Exception {
        nginx = RecordedNginx.start(lab, "kernel-nginx", 80);
        lab.target().startRedis(RecordedRedis.RECORDING_PORT);
        lab.target().startRedis(FRESH_REDIS);
        keepAlive = EngineReplayLabIT.keepAliveSessions();
        redisSession = RecordedRedis.record(lab);
        // addresses of the client's own interface to the target, to bind and to find in the servers' records
        String device = lab.client().interfaceTo(LabRole.TARGET);
        for (String address : List.of("198.19.1.101", "198.19.1.102", "198.19.1.111")) {
            lab.client().exec(WAIT, "ip", "address", "add", address + "/24", "dev", device).orThrow();
        }
    }

    @Test
    void shouldReplayTheKeepAliveCaptureAgainstNginxOverKernelSocketsWithoutAgent(Lab lab) throws Exception {
        int copies = 20;
        Run run = replay(lab, keepAlive, copies, 80, List.of("198.19.1.101", "198.19.1.102"));

        assertThat(run.finished).as(run.toString()).isTrue();
        assertThat(run.results).as(run.toString()).hasSize(4 * copies)
            .allSatisfy(result -> assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.OK));
        ExchangeResult first = run.results.get(0);
        assertThat(new String(first.response(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200 OK");
        assertThat(first.connectEndNanos()).isGreaterThanOrEqualTo(first.startNanos());
        assertThat(run.results).filteredOn(result -> result.exchangeIndex() == 2).allSatisfy(result ->
            assertThat(new String(result.response(), StandardCharsets.ISO_8859_1))
                .endsWith(RecordedNginx.LOGIN_ANSWER));
        assertThat(run.ends).containsOnly("closed");
        List<String> fromFirst = nginx.accessLog("198.19.1.101:");
        List<String> fromSecond = nginx.accessLog("198.19.1.102:");
        assertThat(fromFirst).as("round-robin over the bound addresses").hasSize(2 * copies);
        List<String> all = new ArrayList<>(fromFirst);
        all.addAll(fromSecond);
        assertThat(all).containsExactlyInAnyOrderElementsOf(EngineReplayLabIT.recordedRequests(copies));
    }

    @Test
    void shouldLeaveTheRecordedKeysInAFreshRedisWhenReplayedOverKernelSockets(Lab lab) throws Exception {
        assertThat(RecordedRedis.redis(lab, FRESH_REDIS, "DBSIZE")).isEqualTo("0");
        int copies = 50;
        Run run = replay(lab, redisSession, copies, FRESH_REDIS, List.of());

        assertThat(run.finished).as(run.toString()).isTrue();
        assertThat(run.results).as(run.toString()).hasSize(4 * copies)
            .allSatisfy(result -> assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.OK));
        assertThat(RecordedRedis.redis(lab, FRESH_REDIS, "GET", "replay:key1")).isEqualTo("value-one");
        assertThat(RecordedRedis.redis(lab, FRESH_REDIS, "GET", "replay:key2")).isEqualTo("value-two");
        assertThat(RecordedRedis.redis(lab, FRESH_REDIS, "GET", "replay:counter"))
            .isEqualTo(Integer.toString(copies));
        assertThat(RecordedRedis.redis(lab, FRESH_REDIS, "DBSIZE")).isEqualTo("3");
    }

    @Test
    void shouldReportRefusedWhenTheTargetPortIsClosed(Lab lab) throws Exception {
        Run run = replay(lab, keepAlive, 2, 81, List.of("198.19.1.111"));

        assertThat(run.finished).as(run.toString()).isTrue();
        assertThat(run.results).as("one result per session, its first exchange").hasSize(4)
            .allSatisfy(result -> {
                assertThat(result.outcome()).isEqualTo(Outcome.REFUSED);
                assertThat(result.message()).isEqualTo("connection refused: RST in answer to the SYN from "
                    + lab.target().ipv4To(LabRole.CLIENT).getHostAddress() + ":81");
            });
        assertThat(nginx.accessLog("198.19.1.111:")).isEmpty();
    }

    /** Replays every session {@code copies} times at once from the client namespace; waits for every end. */
    private static Run replay(Lab lab, List<RecordedSession> sessions, int copies, int port, List<String> local)
            throws Exception {
        InetAddress target = lab.target().ipv4To(LabRole.CLIENT);
        EngineConfig config = EngineConfig.builder().target(target, port).connect(Duration.ofSeconds(5), 3)
            .response(Duration.ofSeconds(10), Duration.ofMillis(300)).responseCaptureBytes(4_096).build();
        List<InetAddress> addresses = new ArrayList<>();
        for (String address : local) {
            addresses.add(InetAddress.getByName(address));
        }
        Run run = new Run(sessions.size() * copies);
        KernelReplayer replayer = lab.client().call(() -> KernelReplayer.start(config, addresses, 2,
            run.warnings::add));
        try {
            for (int copy = 0; copy < copies; copy++) {
                for (RecordedSession session : sessions) {
                    replayer.startSession(session, run);
                }
            }
            run.finished = run.ended.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            run.sort();
            assertThat(replayer.stats().loopErrors()).isZero();
            assertThat(run.warnings).isEmpty();
            return run;
        } finally {
            replayer.stop(Duration.ofSeconds(5));
        }
    }

    /** One replay's results and session ends. */
    private static final class Run implements ExchangeListener {
        final CountDownLatch ended;
        final ConcurrentLinkedQueue<ExchangeResult> collected = new ConcurrentLinkedQueue<>();
        final List<String> ends = new CopyOnWriteArrayList<>();
        final List<String> warnings = new CopyOnWriteArrayList<>();
        List<ExchangeResult> results = List.of();
        boolean finished;

        Run(int sessions) {
            ended = new CountDownLatch(sessions);
        }

        @Override
        public void onResult(ExchangeResult result) {
            collected.add(result);
        }

        @Override
        public void onSessionEnd(long sessionId, String reason) {
            ends.add(reason);
            ended.countDown();
        }

        void sort() {
            List<ExchangeResult> sorted = new ArrayList<>(collected);
            sorted.sort(Comparator.comparingLong(ExchangeResult::sessionId)
                .thenComparingInt(ExchangeResult::exchangeIndex));
            results = sorted;
        }

        @Override
        public String toString() {
            Map<Outcome, Long> outcomes = collected.stream()
                .collect(Collectors.groupingBy(ExchangeResult::outcome, Collectors.counting()));
            return collected.size() + " results " + outcomes + ", ends " + ends.stream()
                .collect(Collectors.groupingBy(reason -> reason, Collectors.counting()));
        }
    }
}
