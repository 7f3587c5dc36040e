package io.pcapreplay.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
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
        Waiting<Boolean> user = waiting(() -> handle.awaitEnd(LONG));

        handle.finish("closed");

        assertThat(user.result().get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(handle.endReason()).isEqualTo("closed");
    }

    @Test
    void shouldParkOnALockNotAMonitorWhileWaiting() throws Exception {
        SessionHandle handle = new SessionHandle(2, null);

        Waiting<Boolean> user = waiting(() -> handle.awaitEnd(LONG));

        assertThat(Arrays.stream(user.stack()).map(frame -> frame.getClassName() + "." + frame.getMethodName()))
            .as("a virtual thread waiting in Object.wait pins its carrier (Java 21-23)")
            .doesNotContain("java.lang.Object.wait", "java.lang.Object.wait0")
            .contains("java.util.concurrent.locks.LockSupport.parkNanos");
        handle.endWait();
        assertThat(user.result().get(5, TimeUnit.SECONDS)).as("the session goes on").isFalse();
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
        Waiting<ExchangeResult> user = waiting(() -> handle.awaitNext(LONG));
        ExchangeResult result = new ExchangeResult(5, 0, 1, -1, 2, 3, 10, 20, new byte[0], Outcome.OK, "");

        assertThat(handle.publish(result)).isTrue();

        assertThat(user.result().get(5, TimeUnit.SECONDS)).isSameAs(result);
        handle.finish("closed");
        assertThat(handle.awaitNext(LONG)).as("over, nothing queued").isNull();
    }

    @Test
    void shouldThrowWhenTheWaitingUserIsInterrupted() throws Exception {
        SessionHandle handle = new SessionHandle(6, null);
        Waiting<Boolean> user = waiting(() -> handle.awaitEnd(LONG));

        user.thread().interrupt();

        assertThatThrownBy(() -> user.result().get(5, TimeUnit.SECONDS)).as("interrupted")
            .hasCauseInstanceOf(InterruptedException.class);
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

    /** A user thread in a wait: its result to come, the thread, its stack once parked. */
    private record Waiting<T>(CompletableFuture<T> result, Thread thread, StackTraceElement[] stack) {
    }

    /** Runs the wait on a user thread of its own and returns once that thread is parked (bounded: 10 s). */
    private <T> Waiting<T> waiting(Callable<T> wait) throws InterruptedException {
        AtomicReference<Thread> waiter = new AtomicReference<>();
        CompletableFuture<T> result = new CompletableFuture<>();
        users.execute(() -> {
            waiter.set(Thread.currentThread());
            try {
                result.complete(wait.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            Thread thread = waiter.get();
            if (thread != null && thread.getState() == Thread.State.TIMED_WAITING) {
                return new Waiting<>(result, thread, thread.getStackTrace());
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the user thread did not start waiting within 10 s");
    }
}
