package io.pcapreplay.jmeter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.pcap.Endpoint;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.tcp.SessionHandles;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UserSessionTest {

    @Test
    void shouldKeepWaitingForTheNextExchangeWhenTheSampledOneWasNotTheLastOfAGrowingSession() throws Exception {
        UserSession user = new UserSession();
        user.begin(null, oneExchange(), SessionHandles.open(1)); // a live session: one exchange captured so far

        user.advance(false); // the sampler saw the session still growing

        assertThat(user.isActive()).isTrue();
        assertThat(user.nextExchange()).isEqualTo(1);
    }

    @Test
    void shouldEndTheSessionWhenTheLastExchangeWasSampled() throws Exception {
        UserSession user = new UserSession();
        user.begin(null, oneExchange(), SessionHandles.open(1));

        user.advance(true);

        assertThat(user.isActive()).isFalse();
        assertThat(user.sampler()).isNull();
    }

    private static RecordedSession oneExchange() throws Exception {
        return RecordedSession.builder(new Endpoint(InetAddress.getByName("10.0.0.1"), 40000),
                new Endpoint(InetAddress.getByName("10.0.0.2"), 80))
            .exchange("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII), new byte[0], 0)
            .build();
    }
}
