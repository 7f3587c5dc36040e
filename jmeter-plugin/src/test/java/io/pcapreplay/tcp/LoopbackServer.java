package io.pcapreplay.tcp;

import io.pcapreplay.pcap.Exchange;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.pcap.Side;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real TCP server on loopback for kernel-replayer tests, one thread per connection (tests open a few dozen at
 * most). Per connection it plays a {@link Behavior} against the recorded session: answer each request with the
 * recorded response, or reset, stay silent, or close early; it records what it received and how the client ended.
 */
final class LoopbackServer implements AutoCloseable {

    /** What the server does with each connection. */
    enum Behavior {
        /** Reads each recorded request, writes the recorded response; closes first when the recording says so. */
        ANSWER,
        /** Like ANSWER but each response is cut to its first half (the quiet interval must end it). */
        ANSWER_HALF,
        /** Reads the first request, then resets the connection. */
        RESET_AFTER_REQUEST,
        /** Reads the first request and never answers. */
        SILENT,
        /** Reads the first request, then closes (FIN) without answering. */
        CLOSE_AFTER_REQUEST
    }

    /** One accepted connection: who, what arrived, how the client ended it (FIN, RST, or still open). */
    static final class Accepted {
        final InetSocketAddress client;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final CountDownLatch ended = new CountDownLatch(1);
        volatile String end = "open";

        Accepted(InetSocketAddress client) {
            this.client = client;
        }

        synchronized byte[] bytes() {
            return received.toByteArray();
        }

        synchronized void add(byte[] buffer, int count) {
            received.write(buffer, 0, count);
        }

        boolean awaitEnd(long millis) throws InterruptedException {
            return ended.await(millis, TimeUnit.MILLISECONDS);
        }
    }

    private final ServerSocket socket;
    private final RecordedSession session;
    private final Behavior behavior;
    private final List<Accepted> accepted = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private LoopbackServer(RecordedSession session, Behavior behavior, InetAddress address) throws IOException {
        this.session = session;
        this.behavior = behavior;
        this.socket = new ServerSocket(0, 200, address);
        this.acceptor = new Thread(this::acceptLoop, "loopback-server-accept");
        acceptor.setDaemon(true);
    }

    static LoopbackServer start(RecordedSession session, Behavior behavior) throws IOException {
        return start(session, behavior, InetAddress.getLoopbackAddress());
    }

    static LoopbackServer start(RecordedSession session, Behavior behavior, InetAddress address) throws IOException {
        LoopbackServer server = new LoopbackServer(session, behavior, address);
        server.acceptor.start();
        return server;
    }

    /** A loopback port nothing listens on (bound, then closed). */
    static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    InetSocketAddress address() {
        return new InetSocketAddress(socket.getInetAddress(), socket.getLocalPort());
    }

    List<Accepted> accepted() {
        return accepted;
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                open.add(client);
                Accepted connection = new Accepted((InetSocketAddress) client.getRemoteSocketAddress());
                accepted.add(connection);
                Thread worker = new Thread(() -> serve(client, connection), "loopback-server-connection");
                worker.setDaemon(true);
                worker.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client, Accepted connection) {
        try (client) {
            InputStream in = client.getInputStream();
            for (Exchange exchange : session.exchanges()) {
                if (!readFully(in, connection, exchange.requestLength())) {
                    return;
                }
                switch (behavior) {
                    case RESET_AFTER_REQUEST -> {
                        client.setSoLinger(true, 0);
                        return;
                    }
                    case SILENT -> {
                        readToEnd(in, connection);
                        return;
                    }
                    case CLOSE_AFTER_REQUEST -> {
                        client.shutdownOutput();
                        readToEnd(in, connection);
                        return;
                    }
                    default -> write(client, exchange);
                }
            }
            if (session.close().by() == Side.SERVER) {
                client.shutdownOutput();
            }
            readToEnd(in, connection);
        } catch (IOException e) {
            connection.end = e instanceof SocketException && String.valueOf(e.getMessage()).contains("reset")
                ? "RST" : "error: " + e.getMessage();
        } finally {
            connection.ended.countDown();
        }
    }

    private void write(Socket client, Exchange exchange) throws IOException {
        ByteBuffer response = exchange.response();
        byte[] bytes = new byte[response.remaining()];
        response.get(bytes);
        int length = behavior == Behavior.ANSWER_HALF ? bytes.length / 2 : bytes.length;
        client.getOutputStream().write(bytes, 0, length);
        client.getOutputStream().flush();
    }

    private static boolean readFully(InputStream in, Accepted connection, int length) throws IOException {
        byte[] buffer = new byte[4_096];
        int left = length;
        while (left > 0) {
            int count = in.read(buffer, 0, Math.min(buffer.length, left));
            if (count < 0) {
                connection.end = "FIN";
                return false;
            }
            connection.add(buffer, count);
            left -= count;
        }
        return true;
    }

    private static void readToEnd(InputStream in, Accepted connection) throws IOException {
        byte[] buffer = new byte[4_096];
        for (int count = in.read(buffer); count >= 0; count = in.read(buffer)) {
            connection.add(buffer, count);
        }
        connection.end = "FIN";
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket client : open) {
            client.close();
        }
    }
}
