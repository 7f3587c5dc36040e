package io.pcapreplay.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordedSessionTest {

    @Test
    void shouldExposeExchangesAsSlicesOfOneStreamWhenBuiltByHand() throws UnknownHostException {
        RecordedSession session = RecordedSession.builder(
                new Endpoint(InetAddress.getByName("198.18.0.1"), 40000),
                new Endpoint(InetAddress.getByName("198.19.0.2"), 80))
            .exchange(new byte[0], ascii("220 hello\r\n"), 0)
            .exchange(ascii("PING\r\n"), ascii("PONG\r\n"), 5_000_000)
            .close(new SessionClose(CloseKind.FIN, Side.CLIENT, 9))
            .build();

        assertThat(session.exchangeCount()).isEqualTo(2);
        assertThat(session.requestBytes()).isEqualTo(6);
        assertThat(session.responseBytes()).isEqualTo(17);
        Exchange ping = session.exchange(1);
        assertThat(ping.requestOffset()).isZero();
        assertThat(ping.responseOffset()).isEqualTo(11);
        assertThat(ping.thinkTimeNanos()).isEqualTo(5_000_000);
        assertThat(StandardCharsets.US_ASCII.decode(ping.response()).toString()).isEqualTo("PONG\r\n");
        assertThat(session.toString()).isEqualTo("198.18.0.1:40000 -> 198.19.0.2:80: 2 exchanges, 6 request bytes, "
            + "17 response bytes, close FIN by CLIENT");
    }

    @Test
    void shouldCopyPartOfRequestWhenAskedForAChunk() throws UnknownHostException {
        RecordedSession session = RecordedSession.builder(
                new Endpoint(InetAddress.getByName("198.18.0.1"), 40000),
                new Endpoint(InetAddress.getByName("2001:2::1"), 443))
            .exchange(ascii("abc"), ascii("x"), 0)
            .exchange(ascii("defghij"), ascii("y"), 0)
            .build();
        byte[] chunk = new byte[8];

        int copied = session.exchange(1).copyRequest(2, chunk, 1, 4);
        int rest = session.exchange(1).copyRequest(6, chunk, 0, 100);
        int none = session.exchange(1).copyRequest(7, chunk, 0, 100);

        assertThat(copied).isEqualTo(4);
        assertThat(new String(chunk, 1, 4, StandardCharsets.US_ASCII)).isEqualTo("fghi");
        assertThat(rest).isEqualTo(1);
        assertThat(chunk[0]).isEqualTo((byte) 'j');
        assertThat(none).isZero();
        assertThat(session.server().toString()).isEqualTo("[2001:2::1]:443");
    }

    @Test
    void shouldNotLetCallersChangeTheRecordingWhenTheyGetBuffers() throws UnknownHostException {
        RecordedSession session = RecordedSession.builder(
                new Endpoint(InetAddress.getByName("198.18.0.1"), 1), new Endpoint(InetAddress.getByName("::1"), 2))
            .exchange(ascii("abc"), ascii("def"), 0)
            .build();
        ByteBuffer request = session.exchange(0).request();

        assertThat(request.isReadOnly()).isTrue();
        assertThatThrownBy(() -> request.put(0, (byte) 1)).isInstanceOf(ReadOnlyBufferException.class);
        assertThatThrownBy(() -> session.clientStream().array()).isInstanceOf(ReadOnlyBufferException.class);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
