package io.pcapreplay.jmeter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.pcap.CaptureException;
import io.pcapreplay.pcap.CaptureOptions;
import io.pcapreplay.pcap.LeftOutReason;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.pcap.SessionStream;
import io.pcapreplay.pcap.SessionStreams;
import io.pcapreplay.pcap.TestCaptures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * "Every session once": the source hands each session out exactly once, whatever the hand-out, then says it is
 * exhausted (not failed); the census gives the users the capture needs and the one log line with what was left out.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EachSessionOnceTest {

    private static final long MS = 1_000_000L;

    @ParameterizedTest
    @EnumSource(HandOut.class)
    void shouldHandOutEverySessionExactlyOnceWhenOnce(HandOut handOut) throws Exception {
        List<RecordedSession> sessions = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            sessions.add(CausalOrderTest.session(i + 1, i * 10 * MS, new long[][] {{MS, 2 * MS}}));
        }
        SessionSource source = SessionSource.open("group", listener -> SessionStreams.of(sessions),
            SessionStream.LeftOutListener.NONE, handOut, 3, 4).once();

        List<RecordedSession> handedOut = new ArrayList<>();
        for (SessionSource.Assignment next = source.next(0, 0); next != null; next = source.next(0, 0)) {
            handedOut.add(next.session());
            if (next.ticket() != null) {
                next.ticket().release();
            }
        }

        assertThat(handedOut).containsExactlyInAnyOrderElementsOf(sessions);
        assertThat(source.isExhausted()).isTrue();
        assertThat(source.failure()).isNull();
        assertThat(source.next(0, 0)).isNull();
        source.close();
    }

    @Test
    void shouldHandOutEverySessionOnceWhenTheCaptureIsReadAgainForEachPass() throws Exception {
        List<RecordedSession> sessions = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            sessions.add(CausalOrderTest.session(i + 1, i * MS, new long[][] {{0, MS / 2}}));
        }
        SessionSource source = SessionSource.open("group", listener -> SessionStreams.of(sessions),
            SessionStream.LeftOutListener.NONE, HandOut.ROUND_ROBIN, 3, 4, 8).once(); // does not fit in memory

        int count = 0;
        while (source.next(0, 1) != null) {
            count++;
        }

        assertThat(count).isEqualTo(30);
        assertThat(source.inMemory()).isFalse();
        assertThat(source.isExhausted()).isTrue();
    }

    @Test
    void shouldCountTheUsersFromTheMostSessionsOpenAtOnce() throws CaptureException {
        // three overlapping sessions (0-3 ms, 1-4 ms, 2-5 ms), then two apart (10-13, 20-23)
        List<RecordedSession> sessions = List.of(
            CausalOrderTest.session(1, 0, new long[][] {{0, 2 * MS}}),
            CausalOrderTest.session(2, MS, new long[][] {{0, 2 * MS}}),
            CausalOrderTest.session(3, 2 * MS, new long[][] {{0, 2 * MS}}),
            CausalOrderTest.session(4, 10 * MS, new long[][] {{0, 2 * MS}}),
            CausalOrderTest.session(5, 20 * MS, new long[][] {{0, 2 * MS}}));

        CaptureCensus census = CaptureCensus.of(listener -> SessionStreams.of(sessions));

        assertThat(census.sessions()).isEqualTo(5);
        assertThat(census.mostOpen()).isEqualTo(3);
        assertThat(census.users()).as("twice the most open, at most one per session").isEqualTo(5);
        assertThat(census.describe("g")).startsWith("g: every session once: 5 session(s) in ")
            .contains("at most 3 open at once: 5 user(s)").endsWith("left out: none");
    }

    @Test
    void shouldNameTheReasonsOfTheSessionsLeftOutInTheOneLine() throws Exception {
        Path file = TestCaptures.fixture("truncated-and-whole.pcap");

        CaptureCensus census = CaptureCensus.of(SessionStreams.captures(List.of(file), CaptureOptions.defaults()));

        assertThat(census.sessions()).isEqualTo(1);
        assertThat(census.users()).isEqualTo(1);
        assertThat(census.leftOut().count(LeftOutReason.TRUNCATED)).isEqualTo(1);
        assertThat(census.describe("g")).isEqualTo("g: every session once: 1 session(s) in " + census.source()
            + ", at most 1 open at once: 1 user(s), each replaying sessions until every one was replayed once; left "
            + "out: " + census.leftOut()).contains("1 whose client payload was cut by the snapshot length");
    }
}
