package io.pcapreplay.net;

import io.pcapreplay.protocol.AgentMessage;
import io.pcapreplay.protocol.AgentMessageDecoder;
import io.pcapreplay.protocol.AgentMessageEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/** A scripted agent on loopback, speaking the protocol with the pure codec (one connection). */
final class FakeAgent implements AutoCloseable {

    private final ServerSocket server;
    private final Thread thread;
    private final BlockingQueue<AgentMessage> received = new LinkedBlockingQueue<>();
    private final byte[] rawAnswer;
    private volatile Socket socket;

    /** @param script answers for each message received; {@code null} in the list means "close the connection" */
    FakeAgent(Function<AgentMessage, List<AgentMessage>> script) throws IOException {
        this(script, null);
    }

    private FakeAgent(Function<AgentMessage, List<AgentMessage>> script, byte[] rawAnswer) throws IOException {
        this.rawAnswer = rawAnswer;
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> serve(script), "fake-agent");
        thread.setDaemon(true);
        thread.start();
    }

    /** A peer that answers every connection with raw bytes (e.g. an HTTP server). */
    static FakeAgent rawAnswer(byte[] answer) throws IOException {
        return new FakeAgent(message -> List.of(), answer);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    BlockingQueue<AgentMessage> received() {
        return received;
    }

    /** Sends a message on the open connection. */
    synchronized void send(AgentMessage message) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(new AgentMessageEncoder().encode(message));
        out.flush();
    }

    private void serve(Function<AgentMessage, List<AgentMessage>> script) {
        try (Socket accepted = server.accept()) {
            socket = accepted;
            accepted.setSoTimeout(20_000);
            InputStream in = accepted.getInputStream();
            AgentMessageDecoder decoder = new AgentMessageDecoder();
            byte[] buffer = new byte[4096];
            int read;
            while ((read = in.read(buffer)) > 0) {
                if (rawAnswer != null) {
                    accepted.getOutputStream().write(rawAnswer);
                    continue;
                }
                for (AgentMessage message : decoder.feed(ByteBuffer.wrap(buffer, 0, read))) {
                    received.add(message);
                    for (AgentMessage answer : script.apply(message)) {
                        if (answer == null) {
                            return;
                        }
                        send(answer);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the test sees the effect on the client
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Socket open = socket;
        if (open != null) {
            open.close();
        }
    }
}
