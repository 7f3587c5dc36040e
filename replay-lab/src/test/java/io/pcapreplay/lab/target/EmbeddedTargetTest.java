package io.pcapreplay.lab.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class EmbeddedTargetTest {
    private EmbeddedTarget target;

    @BeforeEach
    void start() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        target = EmbeddedTarget.start(new InetSocketAddress(loopback, 0), new InetSocketAddress(loopback, 0));
    }

    @AfterEach
    void stop() {
        target.close();
    }

    @Test
    void shouldKeepConnectionAliveWhenClientSendsTwoRequests() throws IOException {
        try (Socket socket = connect(target.httpPort())) {
            HttpClient client = new HttpClient(socket);
            HttpClient.Response first = client.exchange("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
            HttpClient.Response second = client.exchange("GET /bytes/1000 HTTP/1.1\r\nHost: t\r\n\r\n");

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.text()).isEqualTo("pcap-replay embedded target\n");
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).hasSize(1000);
        }
        assertThat(target.stats().requests()).isEqualTo(2);
        assertThat(target.stats().httpConnections()).isEqualTo(1);
    }

    @Test
    void shouldSendLargeBodyWhenBytesRequested() throws IOException {
        try (Socket socket = connect(target.httpPort())) {
            HttpClient.Response response = new HttpClient(socket).exchange("GET /bytes/3000000 HTTP/1.1\r\n\r\n");

            assertThat(response.body()).hasSize(3_000_000);
            assertThat(response.body()[26]).isEqualTo((byte) 'a');
        }
    }

    @Test
    void shouldEchoBodyWhenPostedToEcho() throws IOException {
        byte[] body = new byte[200_000];
        new Random(7).nextBytes(body);
        try (Socket socket = connect(target.httpPort())) {
            HttpClient client = new HttpClient(socket);
            HttpClient.Response response = client.exchange("POST /echo HTTP/1.1\r\nContent-Length: " + body.length
                    + "\r\n\r\n", body);
            HttpClient.Response after = client.exchange("PUT /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");

            assertThat(response.body()).isEqualTo(body);
            assertThat(after.text()).isEqualTo("abc");
        }
    }

    @Test
    void shouldSendContinueWhenClientExpectsIt() throws IOException {
        try (Socket socket = connect(target.httpPort())) {
            HttpClient client = new HttpClient(socket);
            client.write("POST /echo HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));

            assertThat(client.read(true).status()).isEqualTo(100);
            client.write("data".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(client.read(false).text()).isEqualTo("data");
        }
    }

    @Test
    void shouldAnswerStatusWhenAskedForOne() throws IOException {
        try (Socket socket = connect(target.httpPort())) {
            HttpClient client = new HttpClient(socket);

            assertThat(client.exchange("GET /status/503 HTTP/1.1\r\n\r\n").status()).isEqualTo(503);
            HttpClient.Response noContent = client.exchange("GET /status/204 HTTP/1.1\r\n\r\n");
            assertThat(noContent.status()).isEqualTo(204);
            assertThat(noContent.body()).isEmpty();
            assertThat(client.exchange("GET /missing HTTP/1.1\r\n\r\n").status()).isEqualTo(404);
            assertThat(client.exchange("GET /status/99 HTTP/1.1\r\n\r\n").status()).isEqualTo(400);
            assertThat(client.exchange("DELETE / HTTP/1.1\r\n\r\n").status()).isEqualTo(405);
        }
    }

    @Test
    void shouldSendHeadersOnlyWhenMethodIsHead() throws IOException {
        try (Socket socket = connect(target.httpPort())) {
            HttpClient client = new HttpClient(socket);
            HttpClient.Response head = client.exchangeHead("HEAD /bytes/500 HTTP/1.1\r\n\r\n");
            HttpClient.Response next = client.exchange("GET /bytes/5 HTTP/1.1\r\n\r\n");

            assertThat(head.header("content-length")).isEqualTo("500");
            assertThat(next.body()).hasSize(5);
        }
    }

    @Test
    void shouldAnswerInOrderWhenRequestsArePipelined() throws IOException {
        StringBuilder requests = new StringBuilder();
        for (int i = 1; i <= 50; i++) {
            requests.append("GET /bytes/").append(i * 1000).append(" HTTP/1.1\r\n\r\n");
        }
        try (Socket socket = connect(target.httpPort())) {
            HttpClient client = new HttpClient(socket);
            client.write(requests.toString().getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 1; i <= 50; i++) {
                assertThat(client.read(false).body()).hasSize(i * 1000);
            }
        }
    }

    @Test
    void shouldCloseWhenRequestIsMalformedOrHttp10() throws IOException {
        try (Socket socket = connect(target.httpPort())) {
            HttpClient client = new HttpClient(socket);
            assertThat(client.exchange("NONSENSE\r\n\r\n").status()).isEqualTo(400);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        try (Socket socket = connect(target.httpPort())) {
            HttpClient client = new HttpClient(socket);
            assertThat(client.exchange("GET / HTTP/1.0\r\n\r\n").header("connection")).isEqualTo("close");
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void shouldEchoEverythingWhenUsingEchoPort() throws IOException {
        byte[] data = new byte[1_000_000];
        new Random(3).nextBytes(data);
        try (Socket socket = connect(target.echoPort())) {
            Thread writer = new Thread(() -> {
                try {
                    socket.getOutputStream().write(data);
                    socket.shutdownOutput();
                } catch (IOException e) {
                    // the reader fails then
                }
            });
            writer.start();
            byte[] echoed = socket.getInputStream().readAllBytes();

            assertThat(echoed).isEqualTo(data);
        }
        assertThat(target.stats().echoedBytes()).isEqualTo(data.length);
    }

    @Test
    void shouldServeThousandsOfConcurrentConnectionsWhenOpenAtOnce() throws IOException {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 2000; i++) {
                Socket socket = connect(target.httpPort());
                sockets.add(socket);
                socket.getOutputStream().write("GET /bytes/10 HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            for (Socket socket : sockets) {
                assertThat(new HttpClient(socket).read(false).body()).hasSize(10);
            }
            assertThat(target.stats().openConnections()).isEqualTo(2000);
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        assertThat(target.stats().requests()).isEqualTo(2000);
    }

    @Test
    void shouldRefuseConnectionsWhenClosed() {
        int port = target.httpPort();
        target.close();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> connect(port)).isInstanceOf(IOException.class);
    }

    @Test
    void shouldParseOptionsWhenGivenOnCommandLine() throws IOException {
        TargetOptions options = TargetOptions.parse("--http-port", "8080", "--echo-port", "0", "--bind", "::1");

        assertThat(options.httpPort()).isEqualTo(8080);
        assertThat(options.echoPort()).isZero();
        assertThat(options.bind()).isEqualTo(InetAddress.getByName("::1"));
        assertThat(TargetOptions.parse().bind().isAnyLocalAddress()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TargetOptions.parse("--http-port", "70000"))
                .hasMessageContaining("70000").hasMessageContaining("expected");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TargetOptions.parse("--bind", "example.org"))
                .hasMessageContaining("IP address literal");
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        socket.setSoTimeout(20_000);
        return socket;
    }

    /** A minimal blocking HTTP/1.1 client for Content-Length responses. */
    private static final class HttpClient {
        private final InputStream in;
        private final OutputStream out;

        HttpClient(Socket socket) throws IOException {
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        Response exchange(String head, byte[]... body) throws IOException {
            write(head.getBytes(StandardCharsets.ISO_8859_1));
            for (byte[] part : body) {
                write(part);
            }
            return read(false);
        }

        Response exchangeHead(String head) throws IOException {
            write(head.getBytes(StandardCharsets.ISO_8859_1));
            return read(true);
        }

        void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        Response read(boolean headOnly) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int next = in.read();
                if (next < 0) {
                    throw new IOException("connection closed in response head: " + head);
                }
                head.write(next);
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            Response response = new Response(Integer.parseInt(lines[0].split(" ")[1]), Arrays.asList(lines),
                    new byte[0]);
            String length = response.header("content-length");
            if (headOnly || length == null) {
                return response;
            }
            return new Response(response.status(), response.lines(), in.readNBytes(Integer.parseInt(length)));
        }

        record Response(int status, List<String> lines, byte[] body) {
            String header(String name) {
                for (String line : lines) {
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith(name + ":")) {
                        return line.substring(name.length() + 1).trim();
                    }
                }
                return null;
            }

            String text() {
                return new String(body, StandardCharsets.ISO_8859_1);
            }
        }
    }
}
