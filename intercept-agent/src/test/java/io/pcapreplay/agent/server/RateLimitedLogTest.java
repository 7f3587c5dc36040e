package io.pcapreplay.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

class RateLimitedLogTest {

    private final AtomicLong clock = new AtomicLong();
    private final RateLimitedLog log = new RateLimitedLog(NOPLogger.NOP_LOGGER, Duration.ofSeconds(10), clock::get);

    @Test
    void shouldWriteABurstPerWindowAndCountTheRestWhenOneEventRepeats() {
        for (int i = 0; i < 10_000; i++) {
            log.warn("refused", () -> "line");
        }

        assertThat(log.written()).isEqualTo(RateLimitedLog.BURST);
        assertThat(log.suppressed()).isEqualTo(10_000 - RateLimitedLog.BURST);

        clock.addAndGet(Duration.ofSeconds(11).toNanos());
        log.warn("refused", () -> "line");
        assertThat(log.written()).isEqualTo(RateLimitedLog.BURST + 1);
    }

    @Test
    void shouldLimitEachKindSeparatelyAndNotBuildSuppressedMessages() {
        AtomicLong built = new AtomicLong();
        for (int i = 0; i < 100; i++) {
            log.info("a", () -> "a" + built.incrementAndGet());
            log.info("b", () -> "b" + built.incrementAndGet());
        }

        assertThat(log.written()).isEqualTo(2L * RateLimitedLog.BURST);
        assertThat(built.get()).isEqualTo(2L * RateLimitedLog.BURST);
    }
}
