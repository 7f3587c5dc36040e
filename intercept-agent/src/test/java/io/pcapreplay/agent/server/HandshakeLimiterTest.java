package io.pcapreplay.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.junit.jupiter.api.Test;

class HandshakeLimiterTest {

    private final HandshakeLimiter limiter = new HandshakeLimiter(3, 2);

    @Test
    void shouldRefuseTheNewOneWhenItsAddressHoldsItsShare() {
        assertThat(limiter.admit(from("10.0.0.1")).admitted()).isTrue();
        assertThat(limiter.admit(from("10.0.0.1")).admitted()).isTrue();

        assertThat(limiter.admit(from("10.0.0.1")).admitted()).isFalse();
        assertThat(limiter.pending()).isEqualTo(2);
    }

    @Test
    void shouldEvictTheOldestWhenAllSlotsAreTaken() {
        Channel oldest = from("10.0.0.1");
        limiter.admit(oldest);
        limiter.admit(from("10.0.0.2"));
        limiter.admit(from("10.0.0.3"));

        HandshakeLimiter.Admission admission = limiter.admit(from("10.0.0.4"));

        assertThat(admission.admitted()).isTrue();
        assertThat(admission.evicted()).isSameAs(oldest);
        assertThat(limiter.pending()).isEqualTo(3);
        assertThat(limiter.admit(from("10.0.0.1")).admitted()).as("the evicted one's share is free").isTrue();
    }

    @Test
    void shouldFreeTheSlotWhenHandshakeEnds() {
        Channel first = from("10.0.0.1");
        limiter.admit(first);
        limiter.admit(from("10.0.0.1"));

        limiter.done(first);
        limiter.done(first);

        assertThat(limiter.pending()).isEqualTo(1);
        assertThat(limiter.admit(from("10.0.0.1")).admitted()).isTrue();
    }

    private static Channel from(String address) {
        SocketAddress remote = new InetSocketAddress(address, 40_000);
        return new EmbeddedChannel() {
            @Override
            public SocketAddress remoteAddress() {
                return remote;
            }
        };
    }
}
