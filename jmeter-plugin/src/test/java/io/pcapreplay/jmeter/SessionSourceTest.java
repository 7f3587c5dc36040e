package io.pcapreplay.jmeter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pcapreplay.pcap.Endpoint;
import io.pcapreplay.pcap.RecordedSession;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionSourceTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldHandOutInRecordedOrderWhenRoundRobin() throws Exception {
        RecordedSession late = session(2, 5 * SECOND);
        RecordedSession early = session(1, 0);
        SessionSource source = new SessionSource(List.of(late, early), HandOut.ROUND_ROBIN, 1);

        assertThat(List.of(source.next(0, 1).session(), source.next(0, 1).session(), source.next(0, 1).session()))
            .containsExactly(early, late, early);
        assertThat(source.next(0, 1).delayNanos()).isZero();
    }

    @Test
    void shouldKeepTheRecordedStartOffsetsDividedByTheSpeedWhenRecorded() throws Exception {
        SessionSource source = new SessionSource(List.of(session(1, 10 * SECOND), session(2, 14 * SECOND)),
            HandOut.RECORDED, 1);

        assertThat(source.next(100, 2).delayNanos()).isZero();
        assertThat(source.next(100 + SECOND, 2).delayNanos()).isEqualTo(SECOND);
        assertThat(source.next(100, 0).delayNanos()).as("speed 0: no waiting").isZero();
    }

    @Test
    void shouldStartTheCaptureAgainAfterItsRecordedSpanWhenLoopingInRecordedOrder() throws Exception {
        SessionSource source = new SessionSource(List.of(session(1, 10 * SECOND), session(2, 14 * SECOND)),
            HandOut.RECORDED, 1);

        source.next(0, 2);
        source.next(0, 2);
        SessionSource.Assignment again = source.next(0, 2);

        assertThat(again.delayNanos()).as("second pass: after the 5 s span (last end - first start) at 200%")
            .isEqualTo(5 * SECOND / 2);
        assertThat(source.next(0, 2).delayNanos()).as("its second session: 4 s later in the recording")
            .isEqualTo((5 + 4) * SECOND / 2);
    }

    @Test
    void shouldHandOutOnlySessionsOfTheCaptureWhenRandom() throws Exception {
        List<RecordedSession> sessions = List.of(session(1, 0), session(2, SECOND), session(3, 2 * SECOND));
        SessionSource source = new SessionSource(sessions, HandOut.RANDOM, 42);

        for (int i = 0; i < 20; i++) {
            assertThat(sessions).contains(source.next(0, 1).session());
        }
    }

    @Test
    void shouldRejectBadNamesAndPortsWithTheRule() {
        assertThat(HandOut.parse("Round Robin")).isEqualTo(HandOut.ROUND_ROBIN);
        assertThat(HandOut.parse("")).isEqualTo(HandOut.ROUND_ROBIN);
        assertThatThrownBy(() -> HandOut.parse("fifo")).hasMessageContaining("expected: round-robin");
        assertThat(LabelStyle.parse("port-and-index")).isEqualTo(LabelStyle.PORT_AND_INDEX);
        assertThatThrownBy(() -> LabelStyle.parse("x")).hasMessageContaining("expected: request-line");
        assertThat(PcapReplayThreadGroup.ports("80, 443")).containsExactly(80, 443);
        assertThat(PcapReplayThreadGroup.ports(" ")).isEmpty();
        assertThatThrownBy(() -> PcapReplayThreadGroup.ports("80,http")).hasMessageContaining("'http'");
        assertThat(PcapReplayThreadGroup.files("/a.pcap; /b.pcapng,")).containsExactly(Path.of("/a.pcap"),
            Path.of("/b.pcapng"));
    }

    private static RecordedSession session(int client, long startNanos) throws Exception {
        return RecordedSession.builder(new Endpoint(InetAddress.getByName("10.0.0." + client), 40000),
                new Endpoint(InetAddress.getByName("10.0.0.100"), 80))
            .timing(startNanos, SECOND)
            .exchange(new byte[] {'x'}, new byte[] {'y'}, 0)
            .build();
    }
}
