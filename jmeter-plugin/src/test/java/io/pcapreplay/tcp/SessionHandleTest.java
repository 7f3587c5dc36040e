package io.pcapreplay.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A user thread waiting on its session (thread per user): woken by the session's end or
 * {@link SessionHandle#endWait()}, bounded by its timeout, interruptible, and never waiting on a monitor (a virtual
 * thread in {@code Object.wait} pins its carrier thread on Java 21-23).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SessionHandleTest {

    private static final Duration LONG = Duration.ofMinutes(5);

    /** Own threads for the waits: the common pool has one thread on 2 cores, and a blocked task holds it. */
    private final ExecutorService users = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        users.shutdownNow();
    }

    @Test
    void shouldWakeAUserWaitingForTheEndWhenTheSessionFinishes() throws Exception {
        SessionHandle handle = new SessionHandle(1, null);
        AtomicReference<Thread> waiter = new AtomicReference<>();
        CompletableFuture<Boolean> end = CompletableFuture.supplyAsync(() -> {
            waiter.set(Thread.currentThread());
            return awaitEnd(handle, LONG);
        }, users);
        awaitParked(waiter);

        handle.finish("closed");

        assertThat(end.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(handle.endReason()).isEqualTo("closed");
    }

    @Test
    void shouldParkOnALockNotAMonitorWhileWaiting() throws Exception {
        SessionHandle handle = new SessionHandle(2, null);
        AtomicReference<Thread> waiter = new AtomicReference<>();
        CompletableFuture<Boolean> end = CompletableFuture.supplyAsync(() -> {
            waiter.set(Thread.currentThread());
            return awaitEnd(handle, LONG);
        }, users);

        StackTraceElement[] stack = awaitParked(waiter);

        assertThat(Arrays.stream(stack).map(frame -> frame.getClassName() + "." + frame.getMethodName()))
            .as("a virtual thread waiting in Object.wait pins its carrier (Java 21-23)")
            .doesNotContain("java.lang.Object.wait", "java.lang.Object.wait0")
            .contains("java.util.concurrent.locks.LockSupport.parkNanos");
        handle.endWait();
        assertThat(end.get(5, TimeUnit.SECONDS)).as("the session goes on").isFalse();
    }

    @Test
    void shouldReturnAtOnceFromAwaitEndAfterEndWait() throws Exception {
        SessionHandle handle = new SessionHandle(3, null);
        handle.endWait();

        long start = System.nanoTime();
        boolean over = handle.awaitEnd(LONG);

        assertThat(over).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void shouldReturnFromAwaitEndWhenTheTimeoutPasses() throws Exception {
        SessionHandle handle = new SessionHandle(4, null);

        long start = System.nanoTime();
        boolean over = handle.awaitEnd(Duration.ofMillis(200));

        assertThat(over).isFalse();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
    }

    @Test
    void shouldHandAQueuedResultToTheWaitingUser() throws Exception {
        SessionHandle handle = new SessionHandle(5, null);
        AtomicReference<Thread> waiter = new AtomicReference<>();
        CompletableFuture<ExchangeResult> next = CompletableFuture.supplyAsync(() -> {
            waiter.set(Thread.currentThread());
            try {
                return handle.awaitNext(LONG);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, users);
        awaitParked(waiter);
        ExchangeResult result = new ExchangeResult(5, 0, 1, -1, 2, 3, 10, 20, new byte[0], Outcome.OK, "");

        assertThat(handle.publish(result)).isTrue();

        assertThat(next.get(5, TimeUnit.SECONDS)).isSameAs(result);
        handle.finish("closed");
        assertThat(handle.awaitNext(LONG)).as("over, nothing queued").isNull();
    }

    @Test
    void shouldThrowWhenTheWaitingUserIsInterrupted() throws Exception {
        SessionHandle handle = new SessionHandle(6, null);
        AtomicReference<Thread> waiter = new AtomicReference<>();
        CompletableFuture<Boolean> end = CompletableFuture.supplyAsync(() -> {
            waiter.set(Thread.currentThread());
            try {
                handle.awaitEnd(LONG);
                return false;
            } catch (InterruptedException e) {
                return true;
            }
        }, users);
        awaitParked(waiter);

        waiter.get().interrupt();

        assertThat(end.get(5, TimeUnit.SECONDS)).as("interrupted").isTrue();
    }

    @Test
    void shouldRejectAwaitEndWhenResultsGoToAListener() {
        SessionHandle handle = new SessionHandle(7, new ExchangeListener() {
            @Override
            public void onResult(ExchangeResult result) {
            }

            @Override
            public void onSessionEnd(long sessionId, String reason) {
            }
        });

        assertThatThrownBy(() -> handle.awaitEnd(Duration.ofMillis(1))).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("session 7");
    }

    private static boolean awaitEnd(SessionHandle handle, Duration timeout) {
        try {
            return handle.awaitEnd(timeout);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits (bounded) until the waiting thread is parked; returns its stack then. */
    private static StackTraceElement[] awaitParked(AtomicReference<Thread> waiter) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            Thread thread = waiter.get();
            if (thread != null && thread.getState() == Thread.State.TIMED_WAITING) {
                return thread.getStackTrace();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the user thread did not start waiting within 10 s");
    }
}
