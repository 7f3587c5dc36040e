package io.pcapreplay.tcp;

import io.pcapreplay.packet.IpTcpEncoder;
import io.pcapreplay.packet.IpTcpView;
import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.packet.TcpSequence;
import io.pcapreplay.pcap.RecordedSession;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A deterministic scripted TCP server for engine tests: it receives the engine's packets (as its PacketSender),
 * keeps a tiny in-order TCP per client port, answers SYN-ACK / ACK / the recorded responses / FIN / RST as the
 * scenario says, can drop the engine's packets or hold its own, and feeds its packets back via engine.deliver.
 */
final class SimulatedServer implements PacketSender {

    /** What the server does when a request is complete. */
    enum Action { RESPOND, SILENT, RESET, CLOSE, RESPOND_THEN_CLOSE }

    /** One packet the engine sent, decoded. */
    record Seen(long time, int version, long clientHigh, long clientLow, int flags, int sequence,
                int acknowledgment, int window, byte[] payload, int mss,
                int windowScale, boolean sackPermitted, boolean timestamps, int clientAddress, int clientPort) {
        boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }

    /** Server side of one connection. */
    static final class Peer {
        long clientHigh;
        long clientLow;
        int clientAddress;
        int clientPort;
        int receiveNext;
        int sendNext;
        int exchangeIndex;
        boolean established;
        boolean finSent;
        boolean finReceived;
        boolean resetReceived;
        final ByteArrayOutputStream request = new ByteArrayOutputStream();
        final Map<Integer, byte[]> outOfOrder = new HashMap<>();
        final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        int acknowledged;
        long lastProgress;
    }

    final RecordedSession session;
    final int serverAddress;
    final int serverPort;
    long serverHigh;
    long serverLow;
    boolean ipv6;
    ReplayEngine engine;
    NanoClock clock = () -> 0;
    int serverIsn = 5_000;
    int mss = 1_460;
    int windowScale = 7;
    boolean sackPermitted = true;
    boolean timestamps = true;
    int window = 65_535;
    boolean answerSyn = true;
    boolean refuse;
    int staleAcks;
    boolean autoAck = true;
    boolean holdOutgoing;
    /** When set, each packet is delivered with a wire time: the clock when it was written plus this much. */
    long wireDelay = -1;
    Map<Integer, Action> actions = new HashMap<>();
    Map<Integer, byte[]> responses = new HashMap<>();
    Predicate<Seen> drop = seen -> false;
    Predicate<byte[]> dropOutgoing = packet -> false;
    final List<Seen> seen = new ArrayList<>();
    /** When set, the server says it takes batches: the engine gathers its untimed segments. */
    boolean takesBatches;
    /** How many packets each batch call of the engine carried. */
    final List<Integer> batchSizes = new ArrayList<>();
    final Map<Long, Peer> peers = new HashMap<>();
    final List<byte[]> held = new ArrayList<>();
    final List<Long> heldTimes = new ArrayList<>();
    private final IpTcpView view = new IpTcpView();
    private final IpTcpEncoder encoder = new IpTcpEncoder();
    private final byte[] out = new byte[70_000];

    SimulatedServer(RecordedSession session, int serverAddress, int serverPort) {
        this.session = session;
        this.serverAddress = serverAddress;
        this.serverPort = serverPort;
    }

    @Override
    public boolean sendsBatches() {
        return takesBatches;
    }

    @Override
    public int send(byte[] buffer, int[] offsets, int[] lengths, int count) {
        batchSizes.add(count);
        return PacketSender.super.send(buffer, offsets, lengths, count);
    }

    @Override
    public void send(byte[] packet, int offset, int length) {
        view.wrap(packet, offset, length);
        if (view.verifyTcpChecksum() != 0) {
            throw new AssertionError("bad TCP checksum from the engine: " + view);
        }
        int start = view.payloadOffset();
        byte[] payload = Arrays.copyOfRange(packet, start, start + view.payloadLength());
        Seen packetSeen = new Seen(clock.nanoTime(), view.version(), view.sourceHigh(), view.sourceLow(),
            view.flags(), view.sequence(), view.acknowledgment(), view.window(), payload, view.options().mss(),
            view.options().windowScale(), view.options().sackPermitted(), view.options().hasTimestamps(),
            view.sourceV4(), view.sourcePort());
        seen.add(packetSeen);
        if (drop.test(packetSeen)) {
            return;
        }
        onPacket(packetSeen);
    }

    private void onPacket(Seen packet) {
        Peer peer = peers.get(peerKey(packet));
        if (packet.has(TcpHeader.SYN)) {
            onSyn(packet, peer);
            return;
        }
        if (peer == null) {
            return;
        }
        if (packet.has(TcpHeader.RST)) {
            peer.resetReceived = true;
            return;
        }
        if (peer.established && TcpSequence.after(packet.acknowledgment(), peer.acknowledged)) {
            peer.acknowledged = packet.acknowledgment();
            peer.lastProgress = clock.nanoTime();
        }
        if (!peer.established && packet.acknowledgment() == peer.sendNext) {
            peer.established = true;
            peer.acknowledged = peer.sendNext;
            respondWhileComplete(peer);
        }
        int length = packet.payload().length;
        if (length > 0) {
            onData(peer, packet);
        }
        if (packet.has(TcpHeader.FIN) && TcpSequence.add(packet.sequence(), length) == peer.receiveNext
            && !peer.finReceived) {
            peer.finReceived = true;
            peer.receiveNext = TcpSequence.add(peer.receiveNext, 1);
            if (peer.finSent) {
                segment(peer, TcpHeader.ACK, peer.sendNext, new byte[0]);
            } else {
                fin(peer);
            }
        }
    }

    private void onSyn(Seen packet, Peer existing) {
        if (refuse) {
            Peer temporary = new Peer();
            temporary.clientHigh = packet.clientHigh();
            temporary.clientLow = packet.clientLow();
            temporary.clientAddress = packet.clientAddress();
            temporary.clientPort = packet.clientPort();
            temporary.receiveNext = TcpSequence.add(packet.sequence(), 1);
            segment(temporary, TcpHeader.RST | TcpHeader.ACK, 0, new byte[0]);
            return;
        }
        if (!answerSyn) {
            return;
        }
        if (staleAcks > 0) { // like Linux for a SYN hitting TIME_WAIT with a lower ISN: an ACK of the old connection
            staleAcks--;
            Peer stale = new Peer();
            stale.clientHigh = packet.clientHigh();
            stale.clientLow = packet.clientLow();
            stale.clientAddress = packet.clientAddress();
            stale.clientPort = packet.clientPort();
            stale.receiveNext = 12_345;
            segment(stale, TcpHeader.ACK, 777_777, new byte[0]);
            return;
        }
        Peer peer = existing != null ? existing : new Peer();
        peer.clientHigh = packet.clientHigh();
        peer.clientLow = packet.clientLow();
        peer.clientAddress = packet.clientAddress();
        peer.clientPort = packet.clientPort();
        peer.receiveNext = TcpSequence.add(packet.sequence(), 1);
        peer.sendNext = TcpSequence.add(serverIsn, 1);
        peers.put(peerKey(packet), peer);
        encoder.options().clear().mss(mss).sackPermitted(sackPermitted && packet.sackPermitted());
        if (windowScale >= 0 && packet.windowScale() >= 0) {
            encoder.options().windowScale(windowScale);
        }
        if (timestamps && packet.timestamps()) {
            encoder.options().timestamps(777, 1);
        }
        write(peer, TcpHeader.SYN | TcpHeader.ACK, serverIsn, new byte[0], window);
    }

    private void onData(Peer peer, Seen packet) {
        if (packet.sequence() != peer.receiveNext) {
            if (TcpSequence.after(packet.sequence(), peer.receiveNext)) {
                peer.outOfOrder.put(packet.sequence(), packet.payload()); // kept, like a real receiver
            }
            segment(peer, TcpHeader.ACK, peer.sendNext, new byte[0]); // duplicate ACK: out of order or old
            return;
        }
        byte[] payload = packet.payload();
        while (payload != null) {
            peer.receiveNext = TcpSequence.add(peer.receiveNext, payload.length);
            peer.request.writeBytes(payload);
            payload = peer.outOfOrder.remove(peer.receiveNext);
        }
        if (!respondWhileComplete(peer) && autoAck) {
            segment(peer, TcpHeader.ACK, peer.sendNext, new byte[0]);
        }
    }

    /** Answers every complete request; returns whether it sent anything. */
    private boolean respondWhileComplete(Peer peer) {
        boolean sent = false;
        while (peer.exchangeIndex < session.exchangeCount()
            && peer.request.size() >= session.exchange(peer.exchangeIndex).requestLength()) {
            int index = peer.exchangeIndex++;
            byte[] all = peer.request.toByteArray();
            int used = session.exchange(index).requestLength();
            peer.request.reset();
            peer.request.write(all, used, all.length - used);
            sent |= act(peer, index);
        }
        return sent;
    }

    private boolean act(Peer peer, int index) {
        Action action = actions.getOrDefault(index, Action.RESPOND);
        byte[] response = responses.getOrDefault(index, bytes(session.exchange(index).response()));
        switch (action) {
            case RESPOND, RESPOND_THEN_CLOSE -> {
                sendData(peer, response);
                if (action == Action.RESPOND_THEN_CLOSE) {
                    fin(peer);
                }
                return true;
            }
            case RESET -> {
                segment(peer, TcpHeader.RST | TcpHeader.ACK, peer.sendNext, new byte[0]);
                return true;
            }
            case CLOSE -> {
                fin(peer);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    void sendData(Peer peer, byte[] response) {
        for (int from = 0; from < response.length; from += mss) {
            byte[] piece = Arrays.copyOfRange(response, from, Math.min(response.length, from + mss));
            segment(peer, TcpHeader.ACK | TcpHeader.PSH, peer.sendNext, piece);
            peer.sent.writeBytes(piece);
            peer.sendNext = TcpSequence.add(peer.sendNext, piece.length);
            peer.lastProgress = clock.nanoTime();
        }
        if (response.length == 0 && autoAck) {
            segment(peer, TcpHeader.ACK, peer.sendNext, new byte[0]);
        }
    }

    void fin(Peer peer) {
        segment(peer, TcpHeader.FIN | TcpHeader.ACK, peer.sendNext, new byte[0]);
        peer.sendNext = TcpSequence.add(peer.sendNext, 1);
        peer.finSent = true;
    }

    /**
     * The server's retransmission timer (go-back-N, fixed 200 ms): resends what the engine has not acknowledged,
     * data then FIN, when nothing progressed for that long. Call it as time passes when packets may be lost.
     */
    void tick(long now) {
        for (Peer peer : peers.values()) {
            if (!peer.established || peer.resetReceived || !TcpSequence.before(peer.acknowledged, peer.sendNext)
                || now - peer.lastProgress < 200 * EngineHarness.MS) {
                continue;
            }
            peer.lastProgress = now;
            byte[] all = peer.sent.toByteArray();
            int dataEnd = TcpSequence.add(serverIsn + 1, all.length);
            for (int from = peer.acknowledged; TcpSequence.before(from, dataEnd); ) {
                int offset = TcpSequence.distance(serverIsn + 1, from);
                byte[] piece = Arrays.copyOfRange(all, offset, Math.min(all.length, offset + mss));
                segment(peer, TcpHeader.ACK | TcpHeader.PSH, from, piece);
                from = TcpSequence.add(from, piece.length);
            }
            if (peer.finSent) {
                segment(peer, TcpHeader.FIN | TcpHeader.ACK, dataEnd, new byte[0]);
            }
        }
    }

    /** Sends a pure ACK from the server for the peer (window updates, manual ACKs). */
    void ack(Peer peer) {
        segment(peer, TcpHeader.ACK, peer.sendNext, new byte[0]);
    }

    void segment(Peer peer, int flags, int sequence, byte[] payload) {
        encoder.options().clear();
        write(peer, flags, sequence, payload, window >>> Math.max(0, windowScale));
    }

    private void write(Peer peer, int flags, int sequence, byte[] payload, int windowField) {
        if (ipv6) {
            encoder.ipv6(serverHigh, serverLow, peer.clientHigh, peer.clientLow);
        } else {
            encoder.ipv4(serverAddress, peer.clientAddress);
        }
        encoder.ports(serverPort, peer.clientPort).sequence(sequence)
            .acknowledgment(peer.receiveNext).flags(flags).window(Math.min(0xFFFF, windowField));
        int length = encoder.encode(out, 0, payload, 0, payload.length);
        byte[] packet = Arrays.copyOf(out, length);
        if (dropOutgoing.test(packet)) {
            return;
        }
        long wire = wireDelay >= 0 ? clock.nanoTime() + wireDelay : ReplayEngine.UNKNOWN_TIME;
        if (holdOutgoing) {
            held.add(packet);
            heldTimes.add(wire);
        } else {
            engine.deliver(packet, 0, packet.length, wire);
        }
    }

    /** Forgets the held packets (lost). */
    void dropHeld() {
        held.clear();
        heldTimes.clear();
    }

    /** Delivers held packets (with their wire times), in reverse order when asked. */
    void release(boolean reversed) {
        List<byte[]> packets = new ArrayList<>(held);
        List<Long> times = new ArrayList<>(heldTimes);
        held.clear();
        heldTimes.clear();
        if (reversed) {
            Collections.reverse(packets);
            Collections.reverse(times);
        }
        for (int index = 0; index < packets.size(); index++) {
            engine.deliver(packets.get(index), 0, packets.get(index).length, times.get(index));
        }
    }

    private static long peerKey(Seen packet) {
        return packet.clientHigh() * 31 + packet.clientLow() * 131 + packet.clientPort();
    }

    Peer onlyPeer() {
        if (peers.size() != 1) {
            throw new AssertionError("peers: " + peers.size() + " (expected: 1)");
        }
        return peers.values().iterator().next();
    }

    List<Seen> dataSegments() {
        return seen.stream().filter(packet -> packet.payload().length > 0).toList();
    }

    long count(int flag) {
        return seen.stream().filter(packet -> packet.has(flag)).count();
    }

    static byte[] bytes(java.nio.ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }
}
