package io.pcapreplay.jmeter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pcapreplay.pcap.CaptureException;
import io.pcapreplay.pcap.Endpoint;
import io.pcapreplay.pcap.LeftOutCounts;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.pcap.SessionStream;
import io.pcapreplay.pcap.SessionStreams;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hand-out from a stream: in start order, passes read again (or kept in memory when small), recorded offsets across
 * passes, random within a window, a failing source ending the hand-out with the reason.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
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
    void shouldReadTheSourceAgainForEachPassWhenItDoesNotFitInMemory() throws Exception {
        List<RecordedSession> sessions = sessions(30);
        AtomicInteger opened = new AtomicInteger();
        SessionSource source = SessionSource.open("test", listener -> {
            opened.incrementAndGet();
            return SessionStreams.of(sessions);
        }, SessionStream.LeftOutListener.NONE, HandOut.ROUND_ROBIN, 1, 8, 10);

        List<RecordedSession> handedOut = new ArrayList<>();
        for (int turn = 0; turn < 75; turn++) {
            handedOut.add(source.next(0, 1).session());
        }

        assertThat(handedOut.subList(0, 30)).containsExactlyElementsOf(sessions);
        assertThat(handedOut.subList(30, 60)).containsExactlyElementsOf(sessions);
        assertThat(opened.get()).isEqualTo(3);
        assertThat(source.inMemory()).isFalse();
        source.close();
    }

    @Test
    void shouldKeepTheSourceInMemoryWhenItFitsDuringTheFirstPass() throws Exception {
        AtomicInteger opened = new AtomicInteger();
        SessionSource source = SessionSource.open("test", listener -> {
            opened.incrementAndGet();
            return SessionStreams.of(sessions(5));
        }, SessionStream.LeftOutListener.NONE, HandOut.ROUND_ROBIN, 1, 8, 10);

        for (int turn = 0; turn < 23; turn++) {
            assertThat(source.next(0, 1)).isNotNull();
        }

        assertThat(opened.get()).isEqualTo(1);
        assertThat(source.inMemory()).isTrue();
        source.close();
    }

    @Test
    void shouldAddTheSpanOfEarlierPassesToRecordedOffsetsWhenStreaming() throws Exception {
        SessionSource source = SessionSource.open("test", listener -> SessionStreams.of(List.of(session(1, 0),
            session(2, 3 * SECOND))), SessionStream.LeftOutListener.NONE, HandOut.RECORDED, 1, 8, 1);

        List<Long> delays = new ArrayList<>();
        for (int turn = 0; turn < 5; turn++) {
            delays.add(source.next(0, 1).delayNanos());
        }

        // the span of a pass: from the first start to the last end, 0 to 4 s
        assertThat(delays).containsExactly(0L, 3 * SECOND, 4 * SECOND, 7 * SECOND, 8 * SECOND);
        source.close();
    }

    @Test
    void shouldPickOnlyAmongTheNextSessionsWhenRandomOverAStream() throws Exception {
        List<RecordedSession> sessions = sessions(100);
        SessionSource source = SessionSource.open("test", listener -> SessionStreams.of(sessions),
            SessionStream.LeftOutListener.NONE, HandOut.RANDOM, 7, 5, 10);

        List<RecordedSession> first = new ArrayList<>();
        for (int turn = 0; turn < 5; turn++) {
            first.add(source.next(0, 1).session());
        }

        assertThat(sessions.subList(0, 9)).containsAll(first);
        assertThat(first).doesNotHaveDuplicates();
        source.close();
    }

    @Test
    void shouldStopHandingOutAndSayWhyWhenTheSourceFailsMidway() throws Exception {
        SessionStream.Opener failing = listener -> new SessionStream() {
            private int next;

            @Override
            public String source() {
                return "bad.pcap";
            }

            @Override
            public RecordedSession next() throws CaptureException {
                if (next == 2) {
                    throw new CaptureException("capture file bad.pcap, record 9 (byte 700): ts_usec = 1000000 "
                        + "(expected: 0 to 999999)");
                }
                next++;
                return session(next, next * SECOND);
            }

            @Override
            public LeftOutCounts leftOut() {
                return LeftOutCounts.NONE;
            }

            @Override
            public void close() {
            }
        };
        SessionSource source = SessionSource.open("group", failing, SessionStream.LeftOutListener.NONE,
            HandOut.ROUND_ROBIN, 1, 8, 10);

        assertThat(source.next(0, 1)).isNotNull();
        assertThat(source.next(0, 1)).isNotNull();
        assertThat(source.next(0, 1)).isNull();
        assertThat(source.next(0, 1)).isNull();
        assertThat(source.failure()).isEqualTo("group: reading sessions stopped: capture file bad.pcap, record 9 "
            + "(byte 700): ts_usec = 1000000 (expected: 0 to 999999)");
        assertThat(source.isClosed()).isFalse();
        source.close();
    }

    @Test
    void shouldExplainAtOpenWhenTheSourceHasNoSession() {
        assertThatThrownBy(() -> SessionSource.open("group", listener -> SessionStreams.of(List.of()),
            SessionStream.LeftOutListener.NONE, HandOut.ROUND_ROBIN, 1, 8))
            .isInstanceOf(CaptureException.class)
            .hasMessage("sessions in memory: none (expected: at least one recorded session)");
    }

    @Test
    void shouldRejectBadNamesAndPortsWithTheRule() {
        assertThat(HandOut.parse("Round Robin")).isEqualTo(HandOut.ROUND_ROBIN);
        assertThat(HandOut.parse("")).isEqualTo(HandOut.ROUND_ROBIN);
        assertThatThrownBy(() -> HandOut.parse("fifo")).hasMessageContaining("expected: round-robin");
        assertThat(LabelStyle.parse("port-and-index")).isEqualTo(LabelStyle.PORT_AND_INDEX);
        assertThatThrownBy(() -> LabelStyle.parse("x")).hasMessageContaining("expected: request-line");
        assertThat(SessionLoader.ports("80, 443")).containsExactly(80, 443);
        assertThat(SessionLoader.ports(" ")).isEmpty();
        assertThatThrownBy(() -> SessionLoader.ports("80,http")).hasMessageContaining("'http'");
        assertThat(SessionLoader.files("/a.pcap; /b.pcapng,")).containsExactly(Path.of("/a.pcap"),
            Path.of("/b.pcapng"));
    }

    private static List<RecordedSession> sessions(int count) {
        List<RecordedSession> sessions = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            sessions.add(session(1 + index % 250, index * SECOND));
        }
        return sessions;
    }

    private static RecordedSession session(int client, long startNanos) {
        try {
            return RecordedSession.builder(new Endpoint(InetAddress.getByName("10.0.0." + client), 40000),
                    new Endpoint(InetAddress.getByName("10.0.0.100"), 80))
                .timing(startNanos, SECOND)
                .exchange(new byte[] {'x'}, new byte[] {'y'}, 0)
                .build();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
