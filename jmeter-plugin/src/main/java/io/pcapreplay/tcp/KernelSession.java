package io.pcapreplay.tcp;

import io.pcapreplay.pcap.Exchange;
import io.pcapreplay.pcap.RecordedSession;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The state of one session replayed over a kernel socket: the selection key (which holds the channel), the exchange
 * being replayed and its times, and one timer slot (inherited) armed at its phase deadline (connect, think, response,
 * quiet, idle, close). Touched only by its {@link KernelLoop}.
 */
final class KernelSession extends TimerWheel.Node {

    /** Deadline value meaning "none". */
    static final long NONE = Long.MAX_VALUE;

    final RecordedSession session;
    final SessionHandle handle;
    final InetSocketAddress target;
    ConnectionState state = ConnectionState.PENDING;
    SelectionKey key;
    byte[] capture;

    int exchangeIndex;
    int requestWritten;
    int received;
    /** What the {@link ResponseFraming} said of the current response: a length, or one of its states. */
    int framedLength = ResponseFraming.NOT_YET;
    boolean finReceived;
    boolean finSent;

    long startNanos = -1;
    long connectEndNanos = -1;
    long firstByteNanos = -1;
    long lastByteNanos = -1;
    long phaseAt = NONE;

    KernelSession(RecordedSession session, SessionHandle handle, InetSocketAddress target) {
        this.session = session;
        this.handle = handle;
        this.target = target;
    }

    /** Returns the current exchange. */
    Exchange exchange() {
        return session.exchange(exchangeIndex);
    }

    /** Returns the socket, or null before it was opened. */
    SocketChannel channel() {
        return key == null ? null : (SocketChannel) key.channel();
    }

    /** Tells whether the socket took the whole current request (the kernel delivers it): whether it did. */
    boolean requestDelivered() {
        return requestWritten >= exchange().requestLength();
    }

    /** Clears the per-exchange response tracking. */
    void resetResponse() {
        received = 0;
        capture = null;
        framedLength = ResponseFraming.NOT_YET;
        firstByteNanos = -1;
        lastByteNanos = -1;
    }

    @Override
    public String toString() {
        return handle + " " + state + " exchange " + exchangeIndex + " to " + target;
    }
}
