package io.pcapreplay.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pcapreplay.pcap.Endpoint;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.SessionHandle;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReplayRuntimeTest {

    private static final int TCP_FLAGS = 20 + 13;
    private static final int SYN = 0x02;
    private static final int RST = 0x04;

    private final List<byte[]> sent = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    @AfterEach
    void stopEverything() {
        ReplayRuntime.stopAll();
    }

    @Test
    void shouldShareOneRuntimeAndStopItWithTheLastReleaseWhenSettingsAreEqual() throws Exception {
        ReplayRuntime first = ReplayRuntime.acquire(settings("198.18.31.*"), this::transport);
        ReplayRuntime second = ReplayRuntime.acquire(settings("198.18.31.*"), this::transport);

        assertThat(second).isSameAs(first);
        assertThat(ReplayRuntime.runningCount()).isEqualTo(1);
        first.release();
        assertThat(first.isStopped()).isFalse();
        second.release();
        assertThat(first.isStopped()).isTrue();
        assertThat(closed).as("transport closed").isTrue();
        assertThat(ReplayRuntime.runningCount()).isZero();
    }

    @Test
    void shouldSendThroughTheTransportAndResetOpenSessionsWhenStoppedAtTestEnd() throws Exception {
        ReplayRuntime runtime = ReplayRuntime.acquire(settings("198.18.32.*"), this::transport);
        SessionHandle handle = runtime.replayer().startSession(session());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sent.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(sent).as("the SYN").isNotEmpty();
        assertThat(sent.get(0)[TCP_FLAGS] & SYN).isEqualTo(SYN);

        ReplayRuntime.stopAll();

        assertThat(handle.awaitNext(Duration.ofSeconds(5))).as("no result after the stop").isNull();
        assertThat(handle.isDone()).isTrue();
        assertThat(sent.get(sent.size() - 1)[TCP_FLAGS] & RST).as("last packet: RST").isEqualTo(RST);
        assertThat(runtime.isStopped()).isTrue();
    }

    @Test
    void shouldExplainBadSettingsWhenTheRuntimeCannotStart() {
        assertThatThrownBy(() -> ReplayRuntime.acquire(settings("not-an-address"), this::transport))
            .isInstanceOf(ReplayRuntimeException.class).hasMessageContaining("expected");
        ReplaySettings noToken = new ReplaySettings("198.19.1.2", 80, "198.19.3.3", null, "198.18.33.*", 1,
            Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), false, 0, 0, TransportSpec.RAW_IP,
            TargetMap.EMPTY);
        assertThatThrownBy(() -> ReplayRuntime.acquire(noToken, this::transport))
            .isInstanceOf(ReplayRuntimeException.class).hasMessageContaining("token file");
        assertThatThrownBy(() -> ReplayRuntime.agentAddress("host:port"))
            .hasMessageContaining("expected: host[:port]");
        assertThat(ReplayRuntime.runningCount()).isZero();
        assertThat(closed).as("transport closed after a failed start").isTrue();
    }

    @Test
    void shouldReadTheDefaultAgentPortWhenNoneIsGiven() throws Exception {
        assertThat(ReplayRuntime.agentAddress("198.19.3.3").getPort()).isEqualTo(AgentClientConfig.DEFAULT_PORT);
        assertThat(ReplayRuntime.agentAddress("198.19.3.3:4000").getPort()).isEqualTo(4000);
    }

    private ReplayRuntime.Transport transport() {
        closed = false;
        return new ReplayRuntime.Transport() {
            @Override
            public void send(byte[] packet, int offset, int length) {
                sent.add(java.util.Arrays.copyOfRange(packet, offset, offset + length));
            }

            @Override
            public void close() {
                closed = true;
            }
        };
    }

    private static ReplaySettings settings(String clients) {
        return new ReplaySettings("198.19.1.2", 80, "", null, clients, 1, Duration.ofSeconds(5),
            Duration.ofSeconds(5), Duration.ofSeconds(5), false, 1024, 0, TransportSpec.RAW_IP,
            TargetMap.EMPTY);
    }

    private static RecordedSession session() throws Exception {
        return RecordedSession.builder(new Endpoint(InetAddress.getByName("10.0.0.1"), 40000),
                new Endpoint(InetAddress.getByName("10.0.0.2"), 80))
            .exchange("GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), new byte[0], 0)
            .build();
    }
}
