package io.pcapreplay.tcp;

import io.pcapreplay.packet.TcpSequence;
import io.pcapreplay.pcap.Exchange;
import io.pcapreplay.pcap.RecordedSession;

/**
 * The state of one replayed connection: primitive fields only (plus the shared recorded session and the user's
 * handle), one timer slot (inherited) armed at the earliest of its three deadlines. Touched only by the event loop.
 * Sequence numbers are ints compared with {@link io.pcapreplay.packet.TcpSequence}.
 */
final class Connection extends TimerWheel.Node {

    /** Deadline value meaning "none". */
    static final long NONE = Long.MAX_VALUE;

    final RecordedSession session;
    final SessionHandle handle;
    ConnectionState state = ConnectionState.PENDING;
    /** The current response's kept bytes, sized on demand ({@link ResponseCapture}); null when none. */
    byte[] capture;

    long key;
    Ipv6Endpoints ipv6;
    int clientAddress;
    int clientPort;
    int serverAddress;
    int serverPort;

    int initialSequence;
    int sendUnacknowledged;
    int sendNext;
    int receiveNext;
    int peerWindow;
    int peerWindowScale;
    int ownWindowScale;
    int sendMss;
    boolean timestamps;
    boolean finSent;
    boolean finReceived;
    boolean recovering;
    /** The retransmission timer was put off once because the loop was reading old packets (it was behind). */
    boolean retransmitDeferred;
    int timestampRecent;

    /** The end of the furthest response bytes seen: after {@code receiveNext} while a segment is missing. */
    int receiveHighest;
    int exchangeIndex;
    /** THINKING only because the causal gate held the exchange: its next ask needs no precise wake. */
    boolean heldByGate;
    int requestStart;
    int requestEnd;
    int received;
    /** What {@link ResponseFraming} said of the current response: a length, or one of its states. */
    int framedLength = ResponseFraming.NOT_YET;

    int srtt;
    int rttVariance;
    int rto = RetransmissionTimeout.INITIAL_MICROS;
    int rttSequence;
    long rttSentNanos;
    int retries;
    int duplicateAcks;
    int recoverSequence;
    int segmentsUnacknowledged;

    long startNanos = -1;
    long connectEndNanos = -1;
    /** The first exchange's request: when it was due (SYN-ACK on the wire plus think time), until it is sent. */
    long requestDueNanos = -1;
    long firstByteNanos = -1;
    long lastByteNanos = -1;

    long retransmitAt = NONE;
    long ackAt = NONE;
    long phaseAt = NONE;

    Connection(RecordedSession session, SessionHandle handle) {
        this.session = session;
        this.handle = handle;
    }

    /** Tells whether response bytes are known to be missing: a later segment arrived, an earlier one not yet. */
    boolean responseGap() {
        return TcpSequence.after(receiveHighest, receiveNext);
    }

    /** Tells whether the current exchange exists (false once the last one completed: holding or closing). */
    boolean hasExchange() {
        return exchangeIndex < session.exchangeCount();
    }

    /** Returns the current exchange. */
    Exchange exchange() {
        return session.exchange(exchangeIndex);
    }

    /** Returns the earliest pending deadline, or {@link #NONE}. */
    long nextDeadline() {
        return Math.min(retransmitAt, Math.min(ackAt, phaseAt));
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
        return handle + " " + state + " exchange " + exchangeIndex;
    }
}
