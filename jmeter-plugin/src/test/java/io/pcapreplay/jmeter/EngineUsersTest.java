package io.pcapreplay.jmeter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.net.ReplayRuntime;
import io.pcapreplay.net.ReplaySettings;
import io.pcapreplay.net.TargetMap;
import io.pcapreplay.net.TransportSpec;
import io.pcapreplay.pcap.Endpoint;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.Outcome;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Engine-driven users against a target that never answers (packets go nowhere): every session's first exchange
 * times out after the short connect timeout, so the users' session chains run through quickly.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineUsersTest {

    @AfterEach
    void stop() {
        EngineUsers.stopAll();
        ReplayRuntime.stopAll();
    }

    @Test
    void shouldReplayLoopsTimesUsersSessionsThenBeDoneWhenLoopsAreLimited() throws Exception {
        EngineUsers users = new EngineUsers(runtime("198.18.41.*"), source(), 3, 2, Long.MAX_VALUE, 100)
            .start(Duration.ZERO);

        List<EngineUsers.Finished> published = drain(users);

        assertThat(published).hasSize(6).allSatisfy(finished -> assertThat(finished.result().outcome())
            .isEqualTo(Outcome.TIMEOUT));
        assertThat(users.activeUsers()).isZero();
        assertThat(users.dropped()).isZero();
    }

    @Test
    void shouldStartNoSessionWhenTheEndTimeHasPassed() throws Exception {
        EngineUsers users = new EngineUsers(runtime("198.18.42.*"), source(), 2, -1, System.nanoTime() - 1, 100)
            .start(Duration.ZERO);

        assertThat(drain(users)).isEmpty();
    }

    @Test
    void shouldCountDropsInsteadOfBlockingTheEngineWhenThePublishersFallBehind() throws Exception {
        EngineUsers users = new EngineUsers(runtime("198.18.43.*"), source(), 4, 1, Long.MAX_VALUE, 1)
            .start(Duration.ZERO);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (users.dropped() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        assertThat(users.dropped()).isEqualTo(3);
        assertThat(drain(users)).hasSize(1);
    }

    static List<EngineUsers.Finished> drain(EngineUsers users) throws InterruptedException {
        List<EngineUsers.Finished> published = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (!users.isDone() && System.nanoTime() < deadline) {
            EngineUsers.Finished finished = users.poll(Duration.ofMillis(100));
            if (finished != null) {
                published.add(finished);
            }
        }
        assertThat(users.isDone()).as("done in time").isTrue();
        return published;
    }

    static ReplayRuntime runtime(String clients) throws Exception {
        return runtime(clients, Duration.ofMillis(50));
    }

    /** A runtime whose packets go nowhere: each session ends with the connect timeout. */
    static ReplayRuntime runtime(String clients, Duration connectTimeout) throws Exception {
        ReplaySettings settings = new ReplaySettings("198.19.1.2", 80, "", null, clients, 0, connectTimeout,
            Duration.ofSeconds(1), Duration.ofSeconds(1), false, 0, 0, TransportSpec.RAW_IP,
            TargetMap.EMPTY);
        return ReplayRuntime.acquire(settings, targets -> new ReplayRuntime.Transport() {
            @Override
            public void send(byte[] packet, int offset, int length) {
                // nobody answers
            }

            @Override
            public void close() {
            }
        });
    }

    static SessionSource source() throws Exception {
        RecordedSession session = RecordedSession.builder(new Endpoint(InetAddress.getByName("10.0.0.1"), 40000),
                new Endpoint(InetAddress.getByName("10.0.0.2"), 80))
            .exchange("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII), new byte[0], 0)
            .build();
        return new SessionSource(List.of(session), HandOut.ROUND_ROBIN, 1);
    }
}
