package io.pcapreplay.lab.target;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** A TCP echo connection: everything read is written back; closed after the peer closed and all was echoed. */
final class EchoConnection extends TargetConnection {
    private final TargetStats stats;

    EchoConnection(SocketChannel channel, SelectionKey key, TargetStats stats) {
        super(channel, key);
        this.stats = stats;
    }

    @Override
    void consume(ByteBuffer input) {
        int size = input.remaining();
        ByteBuffer copy = ByteBuffer.allocate(size);
        copy.put(input).flip();
        send(copy);
        stats.echoed(size);
    }
}
