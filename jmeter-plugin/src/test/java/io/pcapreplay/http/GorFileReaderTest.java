package io.pcapreplay.http;

import static io.pcapreplay.http.HttpSessionRewriterTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pcapreplay.pcap.CaptureException;
import io.pcapreplay.pcap.RecordedSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written to goreplay's documented format (the real goreplay is not packaged in a registry reachable here): the
 * 1.3 layout with connection IDs (client port, server port, client IPv4, sequence) and the older random IDs.
 */
class GorFileReaderTest {

    private static final long T0 = 1_700_000_000_000_000_000L;
    /** Client 198.18.0.7:40000 to port 8080: 9c40 1f90 c6120007. */
    private static final String CONNECTION = "9c401f90c6120007";

    @TempDir
    Path directory;

    @Test
    void shouldReplayRequestsOfOneConnectionIdAsOneKeepAliveSessionWhenIdsCarryTheConnection() throws Exception {
        Path file = write("keepalive.gor",
            record('1', CONNECTION + "00000001", T0, 100, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"),
            record('2', CONNECTION + "00000001", T0 + 1_000_000, 500_000, "HTTP/1.1 200 OK\r\nContent-Length: 1"
                + "\r\n\r\na"),
            record('3', CONNECTION + "00000001", T0 + 2_000_000, 0, "HTTP/1.1 200 OK\r\n\r\n"),
            record('1', CONNECTION + "00000002", T0 + 11_500_000, 100, "POST /b HTTP/1.1\r\nContent-Length: 2"
                + "\r\n\r\nhi"),
            record('2', CONNECTION + "00000002", T0 + 12_000_000, 0, "HTTP/1.1 204 No Content\r\n\r\n"),
            record('1', "a0001f90c6120008" + "00000001", T0 + 3_000_000, 0, "GET /c HTTP/1.1\r\n\r\n"));

        GorFileReader.GorFile gor = new GorFileReader().read(file, 0);

        assertThat(gor.sessions()).hasSize(2);
        assertThat(gor.requests()).isEqualTo(3);
        assertThat(gor.skipped()).as("the replayed response").isEqualTo(1);
        RecordedSession first = gor.sessions().get(0);
        assertThat(first.client().address().getHostAddress()).isEqualTo("198.18.0.7");
        assertThat(first.client().port()).isEqualTo(40000);
        assertThat(first.server().port()).isEqualTo(8080);
        assertThat(first.exchanges()).extracting(exchange -> text(exchange.request()))
            .containsExactly("GET /a HTTP/1.1\r\nHost: x\r\n\r\n", "POST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi");
        assertThat(text(first.exchange(0).response())).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na");
        assertThat(first.exchange(1).thinkTimeNanos()).as("from the first response's end").isEqualTo(10_000_000);
        assertThat(gor.sessions().get(1).exchange(0).response().remaining()).as("no response recorded").isZero();
    }

    @Test
    void shouldMakeOneSessionPerRequestWhenIdsAreRandomAndReadGzip() throws Exception {
        Path file = directory.resolve("old.gor.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(record('1', "f45590522cd1838b4a0d5c5aab80b77929dea3b3", T0, -1, "GET /x HTTP/1.1\r\n"
                + "Host: h:81\r\n\r\n"));
            out.write(record('2', "f45590522cd1838b4a0d5c5aab80b77929dea3b3", T0 + 5, -1, "HTTP/1.1 200 OK\r\n\r\n"));
            out.write(record('1', "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", T0 + 9, -1, "GET /y HTTP/1.1\r\n\r\n"));
        }

        GorFileReader.GorFile gor = new GorFileReader().read(file, 0);

        assertThat(gor.sessions()).hasSize(2).allSatisfy(session -> assertThat(session.exchangeCount()).isOne());
        assertThat(gor.sessions().get(0).server().port()).as("from the Host header").isEqualTo(81);
        assertThat(new GorFileReader().read(file, 80).sessions()).extracting(s -> text(s.exchange(0).request()))
            .containsExactly("GET /y HTTP/1.1\r\n\r\n");
    }

    @Test
    void shouldNameTheRecordWhenAHeaderIsMalformed() throws Exception {
        Path file = write("bad.gor", record('1', CONNECTION + "00000001", T0, 0, "GET / HTTP/1.1\r\n\r\n"),
            "garbage here\nmore\n\uD83D\uDC35\uD83D\uDE48\uD83D\uDE49\n".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> new GorFileReader().read(file, 0)).isInstanceOf(CaptureException.class)
            .hasMessageContaining("record 2 header 'garbage here'").hasMessageContaining(file.toString());
    }

    /** One record as goreplay writes it: header line, payload, newline, separator line. */
    static byte[] record(char type, String id, long timestamp, long latency, String payload) {
        String header = type + " " + id + " " + timestamp + (latency >= 0 ? " " + latency : "") + "\n";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        bytes.writeBytes(payload.getBytes(StandardCharsets.ISO_8859_1));
        bytes.writeBytes("\n\uD83D\uDC35\uD83D\uDE48\uD83D\uDE49\n".getBytes(StandardCharsets.UTF_8));
        return bytes.toByteArray();
    }

    private Path write(String name, byte[]... records) throws IOException {
        Path file = directory.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (byte[] record : records) {
                out.write(record);
            }
        }
        return file;
    }
}
