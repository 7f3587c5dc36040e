package io.pcapreplay.jmeter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.pcap.Endpoint;
import io.pcapreplay.pcap.RecordedSession;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.apache.jmeter.samplers.SampleResult;
import org.junit.jupiter.api.Test;

class RecordedResponseAssertionTest {

    private static final String RECORDED = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n"
        + "{\"id\":7,\"items\":[{\"price\":10,\"at\":\"10:00\"}],\"csrf\":\"abc\"}";

    @Test
    void shouldPassWhenTheReplayedResponseIsTheRecordedOne() throws Exception {
        assertThat(new RecordedResponseAssertion().check(sample(RECORDED), exchange(RECORDED.length()))).isNull();
    }

    @Test
    void shouldFailWithADiffWhenThePageChanged() throws Exception {
        String replayed = RECORDED.replace("\"price\":10", "\"price\":12");

        String failure = new RecordedResponseAssertion().check(sample(replayed), exchange(replayed.length()));

        assertThat(failure).startsWith("replayed response differs from the recorded one:\nbody (recorded 57 bytes, "
            + "replayed 57 bytes): line 1 differs:\n  - {\"id\":7,").contains("  + {\"id\":7,\"items\":[{\"price\":12");
    }

    @Test
    void shouldIgnoreJsonPathsAndNameTheFirstDifferingPathInJsonMode() throws Exception {
        RecordedResponseAssertion assertion = new RecordedResponseAssertion();
        assertion.setBodyMode("json");
        assertion.setIgnoreJsonPaths("$.csrf\n$..at");
        String same = RECORDED.replace("abc", "xyz").replace("10:00", "11:11");
        String changed = same.replace("\"price\":10", "\"price\":12");

        assertThat(assertion.check(sample(same), exchange(same.length()))).isNull();
        assertThat(assertion.check(sample(changed), exchange(changed.length())))
            .endsWith("body (JSON) (recorded 57 bytes, replayed 57 bytes): $.items[0].price: recorded 10, replayed 12");
    }

    @Test
    void shouldFailClearlyWhenTheResponseWasCutByTheKeptBytes() throws Exception {
        assertThat(new RecordedResponseAssertion().check(sample(RECORDED.substring(0, 40)), exchange(
            RECORDED.length(), 40))).startsWith("replayed response cut at 40 of " + RECORDED.length() + " bytes by "
            + "the sampler's 'Response bytes to keep'");
    }

    @Test
    void shouldSayThereIsNothingToCompareWhenTheReplayFailed() throws Exception {
        SampleResult timeout = sample("");
        timeout.setResponseCode("TIMEOUT");

        assertThat(new RecordedResponseAssertion().check(timeout, exchange(0)))
            .startsWith("nothing to compare: the replay ended TIMEOUT");
        assertThat(new RecordedResponseAssertion().check(timeout, null)).startsWith("no recorded exchange");
    }

    @Test
    void shouldAcceptSpeedAsAFactorOrAsGoreplaysPercentage() {
        assertThat(SamplerSettings.speed("200%")).isEqualTo(2.0);
        assertThat(SamplerSettings.speed("50 %")).isEqualTo(0.5);
        assertThat(SamplerSettings.speed("1.5")).isEqualTo(1.5);
    }

    private static SampleResult sample(String response) {
        SampleResult sample = new SampleResult();
        sample.setResponseData(response.getBytes(StandardCharsets.ISO_8859_1));
        sample.setResponseCode("200");
        return sample;
    }

    private static ReplayedExchange exchange(long received) throws Exception {
        return exchange(received, (int) received);
    }

    private static ReplayedExchange exchange(long received, int kept) throws Exception {
        RecordedSession session = RecordedSession.builder(new Endpoint(InetAddress.getByName("10.0.0.1"), 4000),
                new Endpoint(InetAddress.getByName("10.0.0.2"), 80))
            .exchange("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
                RECORDED.getBytes(StandardCharsets.ISO_8859_1), 0).build();
        return new ReplayedExchange(session.exchange(0), received, kept);
    }
}
