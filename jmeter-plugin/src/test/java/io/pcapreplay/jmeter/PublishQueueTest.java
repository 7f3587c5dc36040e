package io.pcapreplay.jmeter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PublishQueueTest {

    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    /** The queue's clock: it tells busy from idle and does not move by itself. */
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    @Test
    void shouldWakeAnIdlePublisherAtOnceWhenAnExchangeIsOffered() throws Exception {
        PublishQueue<Integer> queue = new PublishQueue<>(100, clock::get, MINUTE);
        CompletableFuture<Integer> publisher = publisherWaiting(queue);

        queue.offer(7);

        assertThat(publisher.get(20, TimeUnit.SECONDS)).isEqualTo(7); // not the minute's timeout
        assertThat(queue.wakeUps()).isEqualTo(1);
    }

    @Test
    void shouldWakeABusyPublisherOnlyOnceABatchWaitsWhenExchangesKeepComing() throws Exception {
        PublishQueue<Integer> queue = new PublishQueue<>(100, clock::get, MINUTE);
        queue.offer(0);
        assertThat(queue.poll(MINUTE)).isZero(); // a take just now: busy
        CompletableFuture<Integer> publisher = publisherWaiting(queue);

        for (int i = 1; i < PublishQueue.BATCH; i++) {
            queue.offer(i);
        }
        long beforeTheBatch = queue.wakeUps();
        queue.offer(PublishQueue.BATCH);

        assertThat(beforeTheBatch).as("wake-ups for the first %d exchanges", PublishQueue.BATCH - 1).isZero();
        assertThat(queue.wakeUps()).isEqualTo(1);
        assertThat(publisher.get(20, TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    void shouldHandOverASingleExchangeAfterTheGatheringTimeWhenBusy() throws Exception {
        PublishQueue<Integer> queue = new PublishQueue<>(100, clock::get, TimeUnit.MILLISECONDS.toNanos(5));
        queue.offer(0);
        queue.poll(MINUTE);
        CompletableFuture<Integer> publisher = publisherWaiting(queue);

        queue.offer(5);

        assertThat(publisher.get(20, TimeUnit.SECONDS)).isEqualTo(5); // its own 5 ms wait ended, not the minute
        assertThat(queue.wakeUps()).isZero();
    }

    @Test
    void shouldRefuseAnExchangeWhenFullAndKeepTheOrder() throws Exception {
        PublishQueue<Integer> small = new PublishQueue<>(2);

        assertThat(small.offer(1)).isTrue();
        assertThat(small.offer(2)).isTrue();
        assertThat(small.offer(3)).isFalse();
        assertThat(small.poll(0)).isEqualTo(1);
        assertThat(small.poll(0)).isEqualTo(2);
        assertThat(small.poll(0)).isNull();
        assertThat(small.isEmpty()).isTrue();
        assertThatThrownBy(() -> new PublishQueue<Integer>(0))
            .hasMessage("publish queue capacity: 0 (expected: 1 or more)");
    }

    @Test
    void shouldReturnNothingWhenTheTimeoutPassesEmpty() throws Exception {
        assertThat(new PublishQueue<Integer>(4).poll(TimeUnit.MILLISECONDS.toNanos(20))).isNull();
    }

    /** A publishing thread polling with a minute's timeout, once it waits inside the queue. */
    private static CompletableFuture<Integer> publisherWaiting(PublishQueue<Integer> queue) {
        CompletableFuture<Integer> publisher = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.poll(MINUTE);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, runnable -> {
            Thread thread = new Thread(runnable, "publisher");
            thread.setDaemon(true); // a failed test leaves no thread waiting behind it
            thread.start();
        });
        while (queue.waiting() == 0) { // bounded by the class's timeout
            Thread.onSpinWait();
        }
        return publisher;
    }
}
