package io.pcapreplay.jmeter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.pcap.Endpoint;
import io.pcapreplay.pcap.RecordedSession;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The recorded hand-out's causal order: an exchange or session start that began in the capture after another
 * session's exchange had completed waits for it; overlapping sessions do not wait; a failure releases the waiters;
 * every wait is bounded; the timing-only hand-out never waits.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CausalOrderTest {

    private static final long MS = 1_000_000L;

    /** A: SET at 1-2 ms; B: starts at 4 ms, GET at 5-6 ms (after A's SET ended); C overlaps A (starts at 1.5 ms). */
    private static final RecordedSession SETTER = session(1, 0, new long[][] {{1 * MS, 2 * MS}, {8 * MS, 9 * MS}});
    private static final RecordedSession GETTER = session(2, 4 * MS, new long[][] {{1 * MS, 2 * MS}});
    private static final RecordedSession OVERLAPPING = session(3, MS + MS / 2, new long[][] {{0, MS / 4}});

    @Test
    void shouldHoldASessionStartUntilTheExchangeThatEndedBeforeItInTheCaptureCompletedWhenRecorded() {
        SessionSource source = new SessionSource(List.of(SETTER, GETTER), HandOut.RECORDED, 1);
        SessionSource.Assignment setter = source.next(0, 1);
        SessionSource.Assignment getter = source.next(0, 1);

        assertThat(getter.ticket().mayStart()).as("the SET (ended at 2 ms) is not done; the GET starts at 4 ms")
            .isFalse();
        assertThat(setter.ticket().mayStart()).isTrue();
        assertThat(setter.ticket().mayBegin(0)).isTrue();
        setter.ticket().finished(0);

        assertThat(getter.ticket().mayStart()).as("the SET completed in the replay").isTrue();
        assertThat(getter.ticket().mayBegin(0)).isTrue();
        assertThat(source.causalOrder().waits()).isEqualTo(1);
    }

    @Test
    void shouldHoldALaterExchangeOfTheFirstSessionUntilTheOtherSessionsExchangeCompleted() {
        SessionSource source = new SessionSource(List.of(SETTER, GETTER), HandOut.RECORDED, 1);
        SessionSource.Assignment setter = source.next(0, 1);
        SessionSource.Assignment getter = source.next(0, 1);
        setter.ticket().finished(0);

        assertThat(setter.ticket().mayBegin(1)).as("exchange 1 starts at 8 ms, after the GET ended at 6 ms")
            .isFalse();
        getter.ticket().finished(0);
        assertThat(setter.ticket().mayBegin(1)).isTrue();
    }

    @Test
    void shouldLetSessionsThatOverlappedInTheCaptureRunAtOnce() {
        SessionSource source = new SessionSource(List.of(SETTER, OVERLAPPING), HandOut.RECORDED, 1);
        SessionSource.Assignment setter = source.next(0, 1);
        SessionSource.Assignment overlapping = source.next(0, 1);

        assertThat(overlapping.ticket().mayStart()).as("started at 1.5 ms, before the SET ended at 2 ms").isTrue();
        assertThat(overlapping.ticket().mayBegin(0)).isTrue();
        assertThat(setter.ticket().mayBegin(0)).isTrue();
        assertThat(source.causalOrder().waits()).isZero();
    }

    @Test
    void shouldReleaseTheWaitersWhenTheSessionTheyDependOnFails() {
        SessionSource source = new SessionSource(List.of(SETTER, GETTER), HandOut.RECORDED, 1);
        SessionSource.Assignment setter = source.next(0, 1);
        SessionSource.Assignment getter = source.next(0, 1);

        setter.ticket().sessionEnded(); // reset, timed out: its exchanges never complete

        assertThat(getter.ticket().mayStart()).isTrue();
    }

    @Test
    void shouldWaitForASessionNotHandedOutYetThatEndsAnExchangeBeforeTheStart() throws Exception {
        SessionSource source = new SessionSource(List.of(SETTER, GETTER), HandOut.RECORDED, 1);
        SessionSource.Assignment setter = source.next(System.nanoTime(), 1);
        setter.ticket().finished(0);

        assertThat(setter.ticket().mayBegin(1)).as("the GET session (4 ms) is not handed out yet").isFalse();
        SessionSource.Assignment getter = source.next(System.nanoTime(), 1);
        assertThat(setter.ticket().mayBegin(1)).as("handed out, its GET not done").isFalse();
        getter.ticket().finished(0);
        assertThat(setter.ticket().mayBegin(1)).isTrue();
    }

    @Test
    void shouldStopWaitingForASessionNoUserTookWithinTheGraceAfterItsRecordedStart() {
        SessionSource source = new SessionSource(List.of(SETTER, GETTER), HandOut.RECORDED, 1);
        long longAgo = System.nanoTime() - CausalOrder.FRONTIER_GRACE.toNanos() - 10 * MS;
        SessionSource.Assignment setter = source.next(longAgo, 1);
        setter.ticket().finished(0);

        assertThat(setter.ticket().mayBegin(1)).as("the GET session was due 1 s ago: too few users").isTrue();
    }

    @Test
    void shouldStopWaitingAfterTheLongestWait() throws Exception {
        SessionSource source = new SessionSource(List.of(SETTER, GETTER), HandOut.RECORDED, 1)
            .causalMaxWait(Duration.ofMillis(50));
        source.next(0, 1);
        SessionSource.Assignment getter = source.next(0, 1);

        long start = System.nanoTime();
        getter.ticket().awaitStart();

        assertThat(System.nanoTime() - start).isBetween(40 * MS, 5_000 * MS);
        assertThat(source.causalOrder().gaveUp()).isEqualTo(1);
    }

    @Test
    void shouldWakeAWaitingUserWhenTheExchangeCompletes() throws Exception {
        SessionSource source = new SessionSource(List.of(SETTER, GETTER), HandOut.RECORDED, 1);
        SessionSource.Assignment setter = source.next(0, 1);
        SessionSource.Assignment getter = source.next(0, 1);
        ExecutorService user = Executors.newSingleThreadExecutor(); // not the common pool: one thread on 2 cores
        CompletableFuture<Long> started = CompletableFuture.supplyAsync(() -> {
            try {
                getter.ticket().awaitStart();
                return System.nanoTime();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, user);
        user.shutdown();
        Thread.sleep(50);
        assertThat(started).isNotDone();

        long finished = System.nanoTime();
        setter.ticket().finished(0);

        assertThat(started.get(5, TimeUnit.SECONDS) - finished).isLessThan(200 * MS);
        assertThat(source.causalOrder().gaveUp()).isZero();
    }

    @Test
    void shouldFollowTheRewrittenSessionsTimesWhenBound() {
        SessionSource source = new SessionSource(List.of(SETTER, GETTER), HandOut.RECORDED, 1);
        SessionSource.Assignment setter = source.next(0, 1);
        SessionSource.Assignment getter = source.next(0, 1);

        setter.ticket().bind(session(1, 0, new long[][] {{8 * MS, 9 * MS}})); // the SET excluded by a rule

        assertThat(getter.ticket().mayStart()).isTrue();
    }

    @Test
    void shouldNeverWaitWhenTheHandOutIsTimingOnly() {
        SessionSource source = new SessionSource(List.of(SETTER, GETTER), HandOut.RECORDED_TIMING, 1);

        assertThat(source.next(0, 1).ticket()).isNull();
        assertThat(source.next(0, 1).ticket()).isNull();
        assertThat(source.causalOrder()).isNull();
        assertThat(HandOut.parse("recorded-timing")).isEqualTo(HandOut.RECORDED_TIMING);
    }

    @Test
    void shouldReleaseEveryWaiterWhenTheSourceCloses() throws Exception {
        SessionSource source = new SessionSource(List.of(SETTER, GETTER), HandOut.RECORDED, 1);
        source.next(0, 1);
        SessionSource.Assignment getter = source.next(0, 1);

        source.close();

        assertThat(getter.ticket().mayStart()).isTrue();
        getter.ticket().awaitStart();
    }

    /** A session from 10.0.0.CLIENT starting at {@code start}, exchanges at {start, response end} offsets. */
    static RecordedSession session(int client, long start, long[][] exchanges) {
        try {
            RecordedSession.Builder builder = RecordedSession.builder(
                    new Endpoint(InetAddress.getByName("10.0.0." + client), 40000),
                    new Endpoint(InetAddress.getByName("10.0.0.100"), 11211))
                .timing(start, exchanges[exchanges.length - 1][1] + MS);
            long previousEnd = 0;
            for (long[] exchange : exchanges) {
                builder.exchange(new byte[] {'x'}, new byte[] {'y'}, exchange[0] - previousEnd, exchange[0],
                    exchange[1]);
                previousEnd = exchange[1];
            }
            return builder.build();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
