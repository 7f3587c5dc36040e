package io.pcapreplay.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gives a CaptureException (or a problem) naming the file, never a crash or a hang. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CaptureReaderBadInputTest {

    @BeforeAll
    static void requireLibpcap() {
        TestCaptures.requireLibpcap();
    }

    private final CaptureReader reader = new CaptureReader();

    @Test
    void shouldFailClearlyWhenFileIsMissing(@TempDir Path directory) {
        Path missing = directory.resolve("missing.pcap");

        assertThatThrownBy(() -> reader.read(missing))
            .isInstanceOf(CaptureException.class)
            .hasMessage("capture file " + missing + ": not found (expected: an existing pcap or pcapng file; check "
                + "the path)");
    }

    @Test
    void shouldFailClearlyWhenPathIsADirectory(@TempDir Path directory) {
        assertThatThrownBy(() -> reader.read(directory))
            .isInstanceOf(CaptureException.class)
            .hasMessageContaining(directory + ": not a readable file");
    }

    @Test
    void shouldFailClearlyWhenFileIsEmpty() {
        Path empty = TestCaptures.fixture("empty.pcap");

        assertThatThrownBy(() -> reader.read(empty))
            .isInstanceOf(CaptureException.class)
            .hasMessageContaining(empty + ": empty, 0 bytes (expected: a pcap or pcapng file");
    }

    @Test
    void shouldFailWithFormatReasonWhenFileIsGarbage() {
        Path garbage = TestCaptures.fixture("garbage.pcap");

        assertThatThrownBy(() -> reader.read(garbage))
            .isInstanceOf(CaptureException.class)
            .hasMessageContaining(garbage.toString())
            .hasMessageContaining("unknown file format, magic number 0x74686973")
            .hasMessageContaining("(expected: a pcap or pcapng file");
    }

    @Test
    void shouldFailWithReasonWhenFileHeaderIsTruncated() {
        Path truncated = TestCaptures.fixture("truncated-header.pcap");

        assertThatThrownBy(() -> reader.read(truncated))
            .isInstanceOf(CaptureException.class)
            .hasMessageContaining(truncated.toString())
            .hasMessageContaining("truncated dump file");
    }

    @Test
    void shouldKeepSessionsReadBeforeTruncationWhenRecordIsCut() throws CaptureException {
        Path truncated = TestCaptures.fixture("truncated-record.pcap");

        Capture capture = reader.read(truncated);

        assertThat(capture.totals().frames()).isEqualTo(7);
        assertThat(capture.sessions()).hasSize(1);
        assertThat(capture.sessions().get(0).requestBytes()).isEqualTo(136);
        assertThat(capture.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.READ_ERROR);
            assertThat(problem.detail()).contains(truncated.toString()).contains("record 8 (1514 captured bytes) cut "
                + "short").contains("after 7 whole record(s)").contains("the file is truncated");
        });
    }

    @Test
    void shouldNameFileAndLinkTypeWhenLinkTypeIsUnsupported() {
        Path unknown = TestCaptures.fixture("unknown-linktype.pcap");

        assertThatThrownBy(() -> reader.read(unknown))
            .isInstanceOf(CaptureException.class)
            .hasMessageStartingWith("link type of " + unknown + ": 147")
            .hasMessageContaining("(expected: one of NULL (0), EN10MB (1)");
    }

    @Test
    void shouldReturnNoSessionAndExplainWhenCaptureHasNoTcp() throws CaptureException {
        Path noTcp = TestCaptures.fixture("no-tcp.pcap");

        Capture capture = reader.read(noTcp);

        assertThat(capture.sessions()).isEmpty();
        assertThat(capture.totals().nonTcpPackets()).isEqualTo(1);
        assertThatThrownBy(() -> capture.requireSessions(CaptureOptions.defaults()))
            .isInstanceOf(CaptureException.class)
            .hasMessageStartingWith("TCP sessions in " + noTcp + ": none; no TCP segment in 1 frame(s)");
    }

    @Test
    void shouldExplainWhenNoSessionUsesTheChosenPort() {
        Path file = TestCaptures.publicCapture("zeek__http_get.pcap");
        CaptureOptions options = CaptureOptions.defaults().withServerPort(8080);

        assertThatThrownBy(() -> reader.readSessions(file, options))
            .isInstanceOf(CaptureException.class)
            .hasMessageContaining("TCP sessions in " + file + " with server port 8080: none")
            .hasMessageContaining("14 TCP segment(s) on other ports");
    }

    @Test
    void shouldExplainWhenChosenPortIsTheClientsPort() {
        Path file = TestCaptures.publicCapture("zeek__http_get.pcap");
        CaptureOptions options = CaptureOptions.defaults().withServerPort(59856);

        assertThatThrownBy(() -> reader.readSessions(file, options))
            .isInstanceOf(CaptureException.class)
            .hasMessageContaining("with server port 59856: none; 1 connection(s) with payload whose server port is "
                + "another (expected: ");
    }

    @Test
    void shouldReportLibpcapMessageWhenFilterIsInvalid() {
        Path file = TestCaptures.publicCapture("zeek__http_get.pcap");
        CaptureOptions options = CaptureOptions.defaults().withFilter("tcp port eighty and (");

        assertThatThrownBy(() -> reader.read(file, options))
            .isInstanceOf(CaptureException.class)
            .hasMessageStartingWith("BPF filter 'tcp port eighty and (' for " + file + ": ")
            .hasMessageContaining("(expected: a pcap-filter(7) expression");
    }

    @Test
    void shouldReadEveryFrameWhenPcapngInterfacesDiffer() throws CaptureException {
        Path file = TestCaptures.publicCapture("gopacket__pcapgo_tests_be_test202.pcapng");

        Capture capture = reader.read(file);

        assertThat(capture.sessions()).isEmpty();
        assertThat(capture.totals().frames()).isEqualTo(8);
        assertThat(capture.problems()).isEmpty();
    }

    @Test
    void shouldFilterEachInterfaceWithItsLinkTypeWhenPcapngInterfacesDiffer() throws CaptureException {
        // libpcap refuses to filter this file (interfaces differ in link type and snaplen); its 17 packets are IPv6
        // in 802.1Q frames, so as with tcpdump "tcp" matches none of them and "vlan and tcp" all
        Path file = TestCaptures.publicCapture("zeek__ldap_modify-request.pcapng");

        Capture vlan = reader.read(file, CaptureOptions.defaults().withFilter("vlan and tcp"));
        Capture untagged = reader.read(file, CaptureOptions.defaults().withFilter("tcp"));

        assertThat(vlan.sessions()).singleElement()
            .satisfies(session -> assertThat(session.requestBytes() + session.responseBytes()).isEqualTo(5779));
        assertThat(vlan.totals().filteredFrames()).isZero();
        assertThat(vlan.problems()).extracting(Problem::kind).doesNotContain(ProblemKind.READ_ERROR);
        assertThat(untagged.sessions()).isEmpty();
        assertThat(untagged.totals().filteredFrames()).isEqualTo(17);
    }

    @Test
    void shouldKeepSessionsAndReportWhenPcapngWithDifferingInterfacesIsTruncated() throws CaptureException {
        Path file = TestCaptures.fixture("truncated-multi-interface.pcapng");

        Capture capture = reader.read(file);

        assertThat(capture.totals().frames()).isEqualTo(11);
        assertThat(capture.sessions()).singleElement()
            .satisfies(session -> assertThat(session.server().port()).isEqualTo(389));
        assertThat(capture.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(ProblemKind.READ_ERROR);
            assertThat(problem.detail()).contains(file.toString()).contains("(Enhanced Packet, 320 bytes) cut short")
                .contains("after 11 whole record(s)");
        });
    }
}
