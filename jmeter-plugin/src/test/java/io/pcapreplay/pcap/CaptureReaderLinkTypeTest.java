package io.pcapreplay.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Link types, timestamp precision, port selection and BPF filters. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CaptureReaderLinkTypeTest {

    @BeforeAll
    static void requireLibpcap() {
        TestCaptures.requireLibpcap();
    }

    private final CaptureReader reader = new CaptureReader();

    @Test
    void shouldReadLoopbackFamilyInNetworkOrderWhenLinkTypeIsLoop() throws CaptureException {
        Capture capture = reader.read(TestCaptures.fixture("loop-redis-set.pcap"));

        assertThat(capture.linkType()).isEqualTo(LinkType.LOOP);
        assertThat(capture.sessions()).singleElement().satisfies(session -> {
            assertThat(session.server().port()).isEqualTo(6379);
            assertThat(session.requestBytes() + session.responseBytes()).isEqualTo(112);
        });
    }

    @Test
    void shouldReadRawIpv6WhenLinkTypeIsIpv6() throws CaptureException {
        Capture capture = reader.read(TestCaptures.fixture("ipv6-redis-pipelining.pcap"));

        assertThat(capture.linkType()).isEqualTo(LinkType.IPV6);
        assertThat(capture.sessions()).singleElement().satisfies(session -> {
            assertThat(session.client().toString()).isEqualTo("[::1]:51122");
            assertThat(session.requestBytes() + session.responseBytes()).isEqualTo(39);
        });
    }

    @Test
    void shouldNameLinkTypesAsTcpdumpDoesWhenReadingEachKind() throws CaptureException {
        assertThat(TestCaptures.readPublic("zeek__tls_irc-starttls.pcap").linkType()).isEqualTo(LinkType.LINUX_SLL);
        assertThat(TestCaptures.readPublic("zeek__tls_openjdk-25.0.2-zeek.org.pcap").linkType())
            .isEqualTo(LinkType.LINUX_SLL2);
        assertThat(TestCaptures.readPublic("zeek__nflog-http.pcap").linkType()).isEqualTo(LinkType.NFLOG);
        assertThat(TestCaptures.readPublic("zeek__http_basic-auth-with-colon.pcap").linkType())
            .isEqualTo(LinkType.IPV4);
        assertThat(TestCaptures.readPublic("zeek__redis_set.pcap").linkType()).isEqualTo(LinkType.NULL);
        assertThat(TestCaptures.readPublic("zeek__tcp_payload-syn.pcap").linkType().displayName()).isEqualTo("RAW");
    }

    @Test
    void shouldKeepNanosecondsWhenCaptureHasNanosecondTimestamps() throws CaptureException {
        List<RecordedSession> micro = TestCaptures.readPublic("tcpreplay__test_test.pcap").sessions();
        List<RecordedSession> nano = TestCaptures.readPublic("tcpreplay__test_test_nano.pcap").sessions();

        // same packets; the nanosecond file has sub-microsecond digits (tcpdump: 1278472579.467465137)
        assertThat(nano).hasSameSizeAs(micro);
        for (int index = 0; index < micro.size(); index++) {
            assertThat(micro.get(index).startNanos() % 1000).isZero();
            assertThat(nano.get(index).startNanos() / 1000).isEqualTo(micro.get(index).startNanos() / 1000);
        }
        assertThat(nano).anySatisfy(session -> assertThat(session.startNanos() % 1000).isNotZero());
        RecordedSession session = TestCaptures.readPublic("zeek__http_get-to-ssh-server.pcap").sessions().get(0);
        assertThat(session.startNanos()).isGreaterThan(1_000_000_000L * 1_000_000_000L);
    }

    @Test
    void shouldKeepOnlyChosenServerPortWhenPortIsGiven() throws CaptureException {
        Path file = TestCaptures.publicCapture("tcpreplay__test_test.pcap");
        List<RecordedSession> all = reader.read(file).sessions();

        List<RecordedSession> https = reader.read(file, CaptureOptions.defaults().withServerPort(443)).sessions();

        assertThat(https).isNotEmpty().hasSizeLessThan(all.size());
        assertThat(https).allSatisfy(session -> assertThat(session.server().port()).isEqualTo(443));
    }

    @Test
    void shouldChooseClientByPortWhenNoSynAndPortGiven() throws CaptureException {
        // one data segment 10.25.132.13:35871 -> 10.25.132.11:36425: the higher port is the client by default,
        // the side on the chosen server port is the server when a port is given
        Path file = TestCaptures.publicCapture("tcpdump__tests_bigtcp-ipv4.pcap");
        RecordedSession byHeuristic = reader.read(file).sessions().get(0);

        RecordedSession byPort = reader.read(file, CaptureOptions.defaults().withServerPort(36425)).sessions().get(0);

        assertThat(byHeuristic.client().port()).isEqualTo(36425);
        assertThat(byHeuristic.responseBytes()).isEqualTo(80000);
        assertThat(byPort.server().port()).isEqualTo(36425);
        assertThat(byPort.requestBytes()).isEqualTo(80000);
    }

    @Test
    void shouldApplyBpfFilterWhenFilterIsGiven() throws CaptureException {
        Path file = TestCaptures.publicCapture("zeek__http_methods.pcap");
        Capture all = reader.read(file);
        RecordedSession first = all.sessions().get(0);

        Capture filtered = reader.read(file, CaptureOptions.defaults()
            .withFilter("tcp port " + first.client().port()));

        assertThat(all.sessions()).hasSize(49);
        assertThat(filtered.sessions()).singleElement()
            .satisfies(session -> assertThat(session.client()).isEqualTo(first.client()));
    }
}
