package io.pcapreplay.agent.server;

import io.pcapreplay.protocol.AckMessage;
import io.pcapreplay.protocol.AcceptMessage;
import io.pcapreplay.protocol.AddressRange;
import io.pcapreplay.protocol.AgentMessage;
import io.pcapreplay.protocol.AgentMessageDecoder;
import io.pcapreplay.protocol.AgentMessageEncoder;
import io.pcapreplay.protocol.HelloMessage;
import io.pcapreplay.protocol.RegisterMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

/** Test helper: a hand-written replayer speaking the documented protocol over a plain socket. */
final class RawReplayer implements AutoCloseable {

    private static final AgentMessageEncoder ENCODER = new AgentMessageEncoder();

    final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final AgentMessageDecoder decoder = new AgentMessageDecoder();
    private final Queue<AgentMessage> received = new ArrayDeque<>();

    private RawReplayer(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    /**
     * @param agent where the agent listens
     * @param from local address to connect from (null: any)
     * @param receiveBuffer SO_RCVBUF before connecting (0: default)
     */
    static RawReplayer connect(InetSocketAddress agent, InetAddress from, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        if (from != null) {
            socket.bind(new InetSocketAddress(from, 0));
        }
        socket.connect(agent, 5000);
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
        return new RawReplayer(socket);
    }

    /** Connects, says HELLO with the right token and registers a range; fails unless ACCEPT, STATS and ACK come. */
    static RawReplayer registered(InetSocketAddress agent, String name, String range, int receiveBuffer)
            throws IOException {
        RawReplayer replayer = connect(agent, null, receiveBuffer);
        replayer.send(HelloMessage.of(AgentChannels.TOKEN, name, -1));
        if (!(replayer.next() instanceof AcceptMessage)) {
            throw new IOException("expected ACCEPT");
        }
        if (!(replayer.next() instanceof io.pcapreplay.protocol.StatsMessage)) {
            throw new IOException("expected STATS (the baseline) after ACCEPT");
        }
        replayer.send(new RegisterMessage(1, List.of(AddressRange.parse(range))));
        if (!(replayer.next() instanceof AckMessage)) {
            throw new IOException("expected ACK");
        }
        return replayer;
    }

    void send(AgentMessage message) throws IOException {
        out.write(ENCODER.encode(message));
    }

    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    /** @return the next message, waiting up to the socket timeout (5 s) */
    AgentMessage next() throws IOException {
        byte[] buffer = new byte[65_536];
        while (received.isEmpty()) {
            int count = in.read(buffer);
            if (count < 0) {
                throw new IOException("connection closed by the agent");
            }
            received.addAll(decoder.feed(java.nio.ByteBuffer.wrap(buffer, 0, count)));
        }
        return received.poll();
    }

    /** @return true when the agent closed the connection within the socket timeout (bytes before it are skipped) */
    boolean closedByAgent() {
        byte[] buffer = new byte[65_536];
        try {
            while (in.read(buffer) >= 0) {
                // skip
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
