package io.pcapreplay.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of shared/pcaps/public is read without an exception, and gives the MANIFEST's session count (sessions
 * kept plus those left out because the snaplen cut their requests).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PublicCapturesTest {

    @BeforeAll
    static void requireLibpcap() {
        TestCaptures.requireLibpcap();
    }

    static List<Path> captures() throws IOException {
        return TestCaptures.allPublicCaptures();
    }

    @Test
    void shouldFindThePublicCapturesWhenSharedDirectoryIsThere() throws IOException {
        assertThat(captures()).hasSizeGreaterThanOrEqualTo(75);
    }

    @ParameterizedTest
    @MethodSource("captures")
    void shouldReadSessionsOrReportClearReasonWhenGivenAnyPublicCapture(Path file) {
        try {
            Capture capture = new CaptureReader().read(file);
            assertThat(capture.totals().sessions()).isEqualTo(capture.sessions().size());
            long requestBytes = 0;
            long responseBytes = 0;
            for (RecordedSession session : capture.sessions()) {
                assertThat(session.exchangeCount()).as(session.toString()).isPositive();
                long exchangeRequests = session.exchanges().stream().mapToLong(Exchange::requestLength).sum();
                long exchangeResponses = session.exchanges().stream().mapToLong(Exchange::responseLength).sum();
                assertThat(exchangeRequests).isEqualTo(session.requestBytes());
                assertThat(exchangeResponses).isEqualTo(session.responseBytes());
                assertThat(session.requestBytes() + session.responseBytes()).isPositive();
                requestBytes += session.requestBytes();
                responseBytes += session.responseBytes();
            }
            assertThat(capture.totals().requestBytes()).isEqualTo(requestBytes);
            assertThat(capture.totals().responseBytes()).isEqualTo(responseBytes);
            assertThat(capture.totals().connections())
                .isEqualTo(capture.totals().sessions() + capture.totals().leftOut().total());
            assertThat(capture.totals().emptyConnections())
                .isEqualTo(capture.totals().leftOut().count(LeftOutReason.NO_PAYLOAD));
        } catch (CaptureException e) {
            assertThat(e.getMessage()).contains(file.toString()).contains("(expected: ");
        }
    }

    @ParameterizedTest
    @MethodSource("captures")
    void shouldFindManifestSessionCountWhenGivenAnyPublicCapture(Path file) throws IOException, CaptureException {
        String name = file.getFileName().toString();
        Integer expected = manifestSessionCounts().get(name);
        assertThat(expected).as("MANIFEST row of " + name).isNotNull();

        Capture capture = new CaptureReader().read(file);

        assertThat(capture.sessions().size() + capture.totals().leftOut().count(LeftOutReason.TRUNCATED)).as(name)
            .isEqualTo(expected.longValue());
        assertThat(capture.problems()).extracting(Problem::kind).doesNotContain(ProblemKind.READ_ERROR);
    }

    /** Column 6 ("TCP w/ payload") of the table in MANIFEST.md, by file name. */
    static Map<String, Integer> manifestSessionCounts() throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        Path manifest = TestCaptures.sharedDirectory().resolve("pcaps").resolve("public").resolve("MANIFEST.md");
        for (String line : Files.readAllLines(manifest)) {
            String[] cells = line.split("\\|");
            if (cells.length > 7 && cells[1].trim().matches(".*\\.pcap(ng)?")) {
                counts.put(cells[1].trim(), Integer.parseInt(cells[6].trim()));
            }
        }
        return counts;
    }
}
