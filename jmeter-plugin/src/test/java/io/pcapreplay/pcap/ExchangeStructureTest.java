package io.pcapreplay.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Exchanges, think times, closes and handshake options of real captures. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExchangeStructureTest {

    @BeforeAll
    static void requireLibpcap() {
        TestCaptures.requireLibpcap();
    }

    @Test
    void shouldCutFiveExchangesWhenKeepAliveConnectionCarriesFiveGets() throws CaptureException {
        RecordedSession session = single("zeek__http_pipelined-requests.pcap");

        assertThat(session.exchangeCount()).isEqualTo(5);
        for (Exchange exchange : session.exchanges()) {
            assertThat(text(exchange.request())).startsWith("GET /");
            assertThat(text(exchange.response())).startsWith("HTTP/1.");
        }
        assertThat(session.exchanges().subList(1, 5)).allSatisfy(exchange ->
            assertThat(exchange.thinkTimeNanos()).isPositive());
        assertThat(session.exchange(2).thinkTimeNanos()).isGreaterThan(300_000_000L);
        assertThat(session.exchange(1).startOffsetNanos()).isGreaterThan(session.exchange(0).responseEndOffsetNanos());
        assertThat(session.close()).isEqualTo(new SessionClose(CloseKind.FIN, Side.CLIENT,
            session.close().offsetNanos()));
    }

    @Test
    void shouldFindFiftyPingPongExchangesWhenRedisIsPinged() throws CaptureException {
        RecordedSession session = single("zeek__pop3_redis-50-pings.pcap");

        long pings = session.exchanges().stream()
            .filter(exchange -> text(exchange.request()).equals("*1\r\n$4\r\nPING\r\n"))
            .peek(exchange -> assertThat(text(exchange.response())).isEqualTo("+PONG\r\n"))
            .count();
        assertThat(pings).isEqualTo(50);
        assertThat(session.server().port()).isEqualTo(6379);
    }

    @Test
    void shouldStartWithEmptyRequestWhenServerSpeaksFirst() throws CaptureException {
        RecordedSession session = single("zeek__mysql_mysql.pcap");

        Exchange greeting = session.exchange(0);
        assertThat(greeting.requestLength()).isZero();
        assertThat(greeting.thinkTimeNanos()).isZero();
        assertThat(greeting.responseLength()).isPositive();
        assertThat(greeting.response().get(4)).as("MySQL protocol version 10").isEqualTo((byte) 10);
        assertThat(session.exchange(1).requestLength()).isPositive();
        assertThat(session.server().port()).isEqualTo(3306);
        assertThat(session.close().kind()).isEqualTo(CloseKind.FIN);
        assertThat(session.close().by()).isEqualTo(Side.SERVER);
    }

    @Test
    void shouldRecordHandshakeOptionsWhenBothSynsAreCaptured() throws CaptureException {
        RecordedSession session = single("zeek__http_get.pcap");

        assertThat(session.synSeen()).isTrue();
        assertThat(session.client().toString()).isEqualTo("141.142.228.5:59856");
        assertThat(session.server().toString()).isEqualTo("192.150.187.43:80");
        assertThat(session.clientOptions()).isEqualTo(new HandshakeOptions(1460, 4, true, true, 65535));
        assertThat(session.serverOptions()).isEqualTo(new HandshakeOptions(1460, 7, true, true, 14480));
        assertThat(session.problems()).isEmpty();
        assertThat(session.durationNanos()).isPositive();
        assertThat(session.statistics().segments()).isEqualTo(14);
    }

    @Test
    void shouldChooseClientBySynWhenHandshakeIsReordered() throws CaptureException {
        RecordedSession session = single("zeek__tcp_handshake-reorder.pcap");

        assertThat(session.client().port()).isEqualTo(59856);
        assertThat(session.synSeen()).isTrue();
        assertThat(session.requestBytes()).isEqualTo(136);
    }

    @Test
    void shouldKeepSessionAndFlagItWhenSynIsMissing() throws CaptureException {
        RecordedSession session = single("zeek__http_get_nosyn.pcap");

        assertThat(session.synSeen()).isFalse();
        assertThat(session.hasProblem(ProblemKind.NO_SYN)).isTrue();
        assertThat(session.client().port()).isEqualTo(59856);
        assertThat(session.clientOptions().isPresent()).isFalse();
        assertThat(text(session.exchange(0).request())).startsWith("GET /download/CHANGES.bro-aux.txt");
    }

    @Test
    void shouldTreatSynPayloadAsRequestWhenFastOpenIsUsed() throws CaptureException {
        Capture capture = TestCaptures.readPublic("zeek__tcp_tcp-fast-open.pcap");

        RecordedSession fastOpen = capture.sessions().get(1);
        assertThat(text(fastOpen.exchange(0).request())).startsWith("GET //index.php");
        assertThat(fastOpen.exchange(0).startOffsetNanos()).as("data in the first packet, the SYN").isZero();
        RecordedSession payloadSyn = single("zeek__tcp_payload-syn.pcap");
        assertThat(text(payloadSyn.exchange(0).request())).startsWith("GET //index.php?page=../../../etc/passwd");
        assertThat(payloadSyn.requestBytes()).isEqualTo(100);
    }

    @Test
    void shouldRecordCloseKindsWhenConnectionsEndDifferently() throws CaptureException {
        assertThat(single("zeek__http_get-to-ssh-server.pcap").close().kind()).isEqualTo(CloseKind.RST);
        assertThat(single("zeek__http_get-to-ssh-server.pcap").close().by()).isEqualTo(Side.SERVER);
        RecordedSession unfinished = single("tcpdump__tests_bigtcp-ipv4.pcap");
        assertThat(unfinished.close()).isEqualTo(SessionClose.NONE);
        assertThat(unfinished.hasProblem(ProblemKind.NO_CLOSE)).isTrue();
    }

    @Test
    void shouldReportGapWhenCaptureLostAResponseSegment() throws CaptureException {
        RecordedSession session = single("zeek__http_1000-requests-one-dropped-response.pcap");

        List<Problem> gaps = session.problems().stream().filter(problem -> problem.kind() == ProblemKind.GAP)
            .toList();
        assertThat(gaps).hasSize(1);
        assertThat(gaps.get(0).side()).isEqualTo(Side.SERVER);
        assertThat(gaps.get(0).bytes()).isPositive();
        assertThat(session.client().toString()).isEqualTo("[::1]:44730");
    }

    @Test
    void shouldZeroFillAndFlagWhenSnaplenCutOnlyTheResponse() throws CaptureException {
        Capture capture = new CaptureReader().read(TestCaptures.fixture("server-truncated-http-get.pcap"));

        RecordedSession session = capture.sessions().get(0);
        assertThat(session.problems()).extracting(Problem::kind).containsOnly(ProblemKind.TRUNCATED);
        assertThat(session.problems().get(0).side()).isEqualTo(Side.SERVER);
        assertThat(session.problems().get(0).detail()).contains("the recorded response only gives the length");
        assertThat(session.responseBytes()).as("the wire length").isEqualTo(5007);
        assertThat(text(session.exchange(0).request())).startsWith("GET /download/CHANGES.bro-aux.txt");
        ByteBuffer response = session.exchange(0).response();
        assertThat(response.get(response.limit() - 1)).isZero();
        assertThat(capture.leftOut()).isEmpty();
    }

    @Test
    void shouldIgnoreDuplicateFramesWhenNflogLoggedPacketsTwice() throws CaptureException {
        RecordedSession session = single("zeek__nflog-http.pcap");

        assertThat(session.requestBytes()).isEqualTo(79);
        assertThat(session.responseBytes()).isEqualTo(1603);
        assertThat(session.synSeen()).isTrue();
        assertThat(session.exchangeCount()).isEqualTo(1);
    }

    @Test
    void shouldDropRepeatedBytesWhenEveryFrameIsDuplicated() throws CaptureException {
        RecordedSession session = single("zeek__http_m57-long-49600-80.pcap");

        assertThat(session.statistics().retransmittedBytes()).isEqualTo(18680);
        assertThat(session.requestBytes()).isEqualTo(373);
        assertThat(session.problems()).isEmpty();
    }

    private static RecordedSession single(String file) throws CaptureException {
        List<RecordedSession> sessions = TestCaptures.readPublic(file).sessions();
        assertThat(sessions).as(file).hasSize(1);
        return sessions.get(0);
    }

    private static String text(ByteBuffer bytes) {
        return StandardCharsets.ISO_8859_1.decode(bytes).toString();
    }
}
