package io.pcapreplay.jmeter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pcapreplay.tcp.SessionHandle;
import io.pcapreplay.tcp.SessionHandles;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thread-per-user user holding its comet session after the last exchange: until the server closes it (the session
 * ends), the user's end time, or the test stops; never longer.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HeldSessionsTest {

    private final HeldSessions held = new HeldSessions();
    /** Own threads for the holds: the common pool has one thread on 2 cores, and a blocked task holds it. */
    private final ExecutorService users = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        held.releaseAll();
        users.shutdownNow();
    }

    @Test
    void shouldHoldWithoutEndTimeUntilTheSessionEnds() throws Exception {
        SessionHandle handle = SessionHandles.open(1);
        CompletableFuture<Boolean> hold = holdInBackground(handle, 0);

        awaitHolders(1);
        assertThat(hold).as("still held: nothing ended it").isNotDone();
        SessionHandles.finish(handle, "server closed");

        assertThat(hold.get(5, TimeUnit.SECONDS)).as("the session is over").isTrue();
        assertThat(held.count()).isZero();
    }

    @Test
    void shouldStopHoldingOnceTheClockIsPastTheEndTime() throws Exception {
        SessionHandle handle = SessionHandles.open(2);
        long end = System.currentTimeMillis() + 300;

        boolean over = held.hold(handle, end);

        assertThat(over).as("the session goes on").isFalse();
        assertThat(System.currentTimeMillis()).as("JMeter's scheduler stops the thread after its end time")
            .isGreaterThan(end);
        assertThat(handle.isDone()).isFalse();
    }

    @Test
    void shouldStopEveryHoldWhenReleasedAndNotHoldAfterwards() throws Exception {
        SessionHandle first = SessionHandles.open(3);
        SessionHandle second = SessionHandles.open(4);
        CompletableFuture<Boolean> one = holdInBackground(first, 0);
        CompletableFuture<Boolean> two = holdInBackground(second, System.currentTimeMillis() + 600_000);
        awaitHolders(2);

        held.releaseAll();

        assertThat(one.get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(two.get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(held.hold(SessionHandles.open(5), 0)).as("a user reaching its hold after the stop").isFalse();
        assertThat(held.count()).isZero();
    }

    @Test
    void shouldEndTheHoldWhenTheUserIsInterrupted() throws Exception {
        SessionHandle handle = SessionHandles.open(6);
        AtomicReference<Thread> thread = new AtomicReference<>();
        CompletableFuture<Boolean> hold = CompletableFuture.supplyAsync(() -> {
            thread.set(Thread.currentThread());
            try {
                return held.hold(handle, 0);
            } catch (InterruptedException e) {
                throw new IllegalStateException("interrupted", e);
            }
        }, users);
        awaitHolders(1);

        thread.get().interrupt();

        assertThatThrownBy(() -> hold.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .hasMessageContaining("interrupted");
        assertThat(held.count()).isZero();
    }

    private CompletableFuture<Boolean> holdInBackground(SessionHandle handle, long endMillis) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return held.hold(handle, endMillis);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, users);
    }

    private void awaitHolders(int count) throws InterruptedException, TimeoutException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (held.count() < count) {
            if (System.nanoTime() > end) {
                throw new TimeoutException(held.count() + " holding (expected: " + count + ")");
            }
            Thread.sleep(5);
        }
        Thread.sleep(50); // into the wait
    }
}
