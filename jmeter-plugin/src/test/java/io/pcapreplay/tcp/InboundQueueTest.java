package io.pcapreplay.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class InboundQueueTest {

    private final ExecutorService producer = Executors.newSingleThreadExecutor();
    private final byte[] packet = {0x45, 0, 0, 40};

    @AfterEach
    void stopProducer() {
        producer.shutdownNow();
    }

    @Test
    void shouldWaitForTheLoopInsteadOfDroppingWhenTheQueueIsFull() throws Exception {
        InboundQueue queue = new InboundQueue(16, TimeUnit.SECONDS.toNanos(10));
        fill(queue);

        CompletableFuture<Boolean> offered = CompletableFuture.supplyAsync(
            () -> queue.offer(packet, 0, packet.length, 7), producer);
        awaitWaiting(queue);
        assertThat(offered).isNotDone();
        InboundQueue.Batch full = queue.take();

        assertThat(offered.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(full.size).isEqualTo(16);
        assertThat(queue.drops()).isZero();
        queue.release(full);
        InboundQueue.Batch next = queue.take();
        assertThat(next.size).as("the packet that waited").isEqualTo(1);
        assertThat(next.wireNanos[0]).isEqualTo(7);
    }

    @Test
    void shouldDropAndCountWhenTheLoopDoesNotTakeWithinTheWait() {
        InboundQueue queue = new InboundQueue(16, TimeUnit.MILLISECONDS.toNanos(20));
        fill(queue);

        assertThat(queue.offer(packet, 0, packet.length, -1)).isFalse();
        assertThat(queue.offer(packet, 0, packet.length, -1)).isFalse();

        assertThat(queue.drops()).isEqualTo(2);
        assertThat(queue.waits()).isEqualTo(2);
        assertThat(queue.take().size).isEqualTo(16);
    }

    private void fill(InboundQueue queue) {
        for (int index = 0; index < 16; index++) {
            assertThat(queue.offer(packet, 0, packet.length, index)).isTrue();
        }
    }

    /** Until the producer is waiting for room (bounded by the test's timeout). */
    private static void awaitWaiting(InboundQueue queue) throws InterruptedException {
        while (queue.waits() == 0) {
            Thread.sleep(1);
        }
    }
}
