package io.pcapreplay.tcp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A loopback server that holds many connections on one selector thread: it answers every chunk of request bytes
 * with one fixed response and never closes (a comet server). Run in its own JVM ({@link #main}: prints
 * {@code port N}, stops when its standard input closes) so that a test measuring its own heap does not count the
 * server's connections, or in the test's JVM.
 */
final class HoldingServer implements AutoCloseable {

    private final ServerSocketChannel server;
    private final Selector selector;
    private final ByteBuffer response;
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(16 * 1024);
    private final Thread thread;
    private volatile int connections;
    private volatile boolean open = true;

    private HoldingServer(String response) throws IOException {
        this.response = ByteBuffer.wrap(response.getBytes(StandardCharsets.ISO_8859_1)).asReadOnlyBuffer();
        this.selector = Selector.open();
        this.server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4_096);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        this.thread = new Thread(this::run, "holding-server");
        thread.setDaemon(true);
    }

    static HoldingServer start(String response) throws IOException {
        HoldingServer holding = new HoldingServer(response);
        holding.thread.start();
        return holding;
    }

    int port() throws IOException {
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    int connections() {
        return connections;
    }

    private void run() {
        while (open) {
            try {
                selector.select(key -> {
                    try {
                        if (key.isAcceptable()) {
                            for (SocketChannel client = server.accept(); client != null; client = server.accept()) {
                                client.configureBlocking(false);
                                client.register(selector, SelectionKey.OP_READ);
                                connections++;
                            }
                        } else if (key.isReadable()) {
                            SocketChannel client = (SocketChannel) key.channel();
                            scratch.clear();
                            if (client.read(scratch) < 0) {
                                key.cancel();
                                client.close();
                                connections--;
                            } else {
                                client.write(response.duplicate());
                            }
                        }
                    } catch (IOException e) {
                        key.cancel();
                    }
                }, 100);
            } catch (IOException e) {
                break;
            }
        }
        for (SelectionKey key : selector.keys()) {
            try {
                key.channel().close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        open = false;
        selector.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Serves until standard input closes.
     *
     * @param arguments the response text (default a server-sent event)
     * @throws IOException when the server cannot start
     */
    public static void main(String[] arguments) throws IOException {
        try (HoldingServer holding = start(arguments.length > 0 ? arguments[0] : "event: hello\n\n")) {
            System.out.println("port " + holding.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the parent closes our input
            }
        }
    }
}
