package io.pcapreplay.lab.target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A small, fast server under test: one NIO selector thread for thousands of connections, each with small state.
 * <ul>
 *   <li>HTTP/1.1 (and 1.0), keep-alive, pipelining, Content-Length bodies; methods GET, HEAD, POST, PUT:
 *   {@code /} a short text, {@code /bytes/N} N bytes (N up to 1 GiB), {@code /echo} the request body,
 *   {@code /status/NNN} that status (200..599), anything else 404;</li>
 *   <li>a TCP echo port: everything read is written back.</li>
 * </ul>
 * Runnable: {@code java -cp replay-lab.jar io.pcapreplay.lab.target.EmbeddedTarget --http-port 8080
 * --echo-port 7007 [--bind ADDR] [--stats-seconds N]}.
 */
public final class EmbeddedTarget implements AutoCloseable {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final int BACKLOG = 4096;

    private final Selector selector;
    private final ServerSocketChannel http;
    private final ServerSocketChannel echo;
    private final TargetStats stats = new TargetStats();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private long lastAcceptError = System.nanoTime() - TimeUnit.SECONDS.toNanos(2);

    private EmbeddedTarget(InetSocketAddress httpAddress, InetSocketAddress echoAddress) throws IOException {
        selector = Selector.open();
        http = listen(httpAddress);
        echo = listen(echoAddress);
        http.register(selector, SelectionKey.OP_ACCEPT, Boolean.TRUE);
        echo.register(selector, SelectionKey.OP_ACCEPT, Boolean.FALSE);
        thread = new Thread(this::loop, "embedded-target-" + httpPort());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts the target (port 0: any free port). The listening sockets are made by the calling thread, so in its
     * network namespace.
     *
     * @throws UncheckedIOException when a port cannot be bound
     */
    public static EmbeddedTarget start(InetSocketAddress httpAddress, InetSocketAddress echoAddress) {
        try {
            return new EmbeddedTarget(httpAddress, echoAddress);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded target: cannot listen on " + httpAddress + " and " + echoAddress
                    + ": " + e.getMessage() + " (expected: free ports)", e);
        }
    }

    /** The HTTP port (the bound one when started with port 0). */
    public int httpPort() {
        return http.socket().getLocalPort();
    }

    /** The echo port (the bound one when started with port 0). */
    public int echoPort() {
        return echo.socket().getLocalPort();
    }

    public TargetStats stats() {
        return stats;
    }

    /** Stops accepting, closes every connection and waits for the selector thread to end. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            if (Thread.currentThread() != thread && !stopped.await(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("embedded target on port " + httpPort() + ": selector thread still "
                        + "running after " + CLOSE_TIMEOUT + " (expected: to stop)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ServerSocketChannel listen(InetSocketAddress address) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.bind(address, BACKLOG);
        channel.configureBlocking(false);
        return channel;
    }

    private void loop() {
        try {
            while (running) {
                selector.select(1000);
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("embedded target: selector loop failed: " + e);
        } finally {
            shutdown();
            stopped.countDown();
        }
    }

    private void handle(SelectionKey key) {
        Object attachment = key.attachment();
        if (attachment instanceof Boolean isHttp) {
            accept((ServerSocketChannel) key.channel(), isHttp);
            return;
        }
        TargetConnection connection = (TargetConnection) attachment;
        try {
            if (key.isValid() && key.isWritable()) {
                connection.onWritable();
            }
            if (key.isValid() && key.isReadable()) {
                connection.onReadable(readBuffer);
            }
        } catch (IOException | RuntimeException e) {
            connection.close();
        }
        if (!key.isValid()) {
            stats.closed();
        }
    }

    private void accept(ServerSocketChannel server, boolean isHttp) {
        try {
            for (int i = 0; i < 256; i++) {
                SocketChannel channel = server.accept();
                if (channel == null) {
                    return;
                }
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
                key.attach(isHttp ? new HttpConnection(channel, key, stats) : new EchoConnection(channel, key, stats));
                stats.accepted(isHttp);
            }
        } catch (IOException e) {
            // e.g. too many open files: report at most once a second and back off a little instead of spinning
            long now = System.nanoTime();
            if (now - lastAcceptError > TimeUnit.SECONDS.toNanos(1)) {
                lastAcceptError = now;
                System.err.println("embedded target: accept failed: " + e.getMessage()
                        + " (expected: success; raise ulimit -n for more connections)");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    private void shutdown() {
        for (SelectionKey key : selector.keys()) {
            try {
                key.channel().close();
            } catch (IOException e) {
                // closing everything anyway
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    /** Runs the target until the JVM is stopped; see the class comment for the options. */
    public static void main(String[] args) throws InterruptedException {
        TargetOptions options;
        try {
            options = TargetOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(TargetOptions.USAGE);
            System.exit(2);
            return;
        }
        InetAddress bind = options.bind();
        EmbeddedTarget target = start(new InetSocketAddress(bind, options.httpPort()),
                new InetSocketAddress(bind, options.echoPort()));
        Runtime.getRuntime().addShutdownHook(new Thread(target::close, "embedded-target-stop"));
        System.out.println("embedded target: http port " + target.httpPort() + ", echo port " + target.echoPort()
                + " on " + bind.getHostAddress());
        while (!target.stopped.await(options.statsSeconds(), TimeUnit.SECONDS)) {
            System.out.println("embedded target: " + target.stats());
        }
    }
}
