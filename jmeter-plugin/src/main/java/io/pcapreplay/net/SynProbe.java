package io.pcapreplay.net;

import io.pcapreplay.packet.IpAddresses;
import io.pcapreplay.packet.IpTcpEncoder;
import io.pcapreplay.packet.IpTcpView;
import io.pcapreplay.packet.PacketProtocolException;
import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.tcp.PacketSender;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One probe session, the whole loop in one round trip: a SYN from a fake client address to the target, sent the way
 * the replay sends (raw socket or datalink), whose SYN-ACK must come back through the agent; then a reset, so the
 * target's application never sees a connection. When conntrack tracks the fake clients, the probe first completes
 * the handshake with an ACK (INVALID to conntrack, which never saw the SYN-ACK), so a rule dropping INVALID packets
 * shows as a refused send. The client port is below 1024, outside the ports the replay engine hands out.
 */
final class SynProbe {

    /** Lowest client port a probe uses. */
    static final int MIN_PORT = 600;
    /** Highest client port a probe uses (the engine's pool starts at 1024). */
    static final int MAX_PORT = 1023;

    /** What came back. */
    enum Answer {
        /** The target's SYN-ACK, through the agent. */
        SYN_ACK,
        /** The target's RST (nothing listens), through the agent. */
        RESET,
        /** Nothing within the timeout. */
        NONE,
        /** The SYN could not be sent. */
        SEND_FAILED
    }

    /**
     * What the probe saw.
     *
     * @param client the fake client address
     * @param clientPort its port
     * @param answer what came back
     * @param roundTripNanos SYN sent to answer taken, -1 without an answer
     * @param targetMss the MSS option of the SYN-ACK, -1 without one
     * @param tracked whether the SYN left a conntrack entry (null: not known)
     * @param sendFailure why the SYN could not be sent, or null
     * @param ackFailure why the ACK could not be sent (a firewall rule), or null
     */
    record Result(Inet4Address client, int clientPort, Answer answer, long roundTripNanos, int targetMss,
            Boolean tracked, String sendFailure, String ackFailure) {
    }

    private final PacketSender sender;
    private final ProbeTap tap;
    private final Conntrack conntrack;

    /**
     * @param sender sends the probe's packets (the replay's transport)
     * @param tap receives the packets the agent captured
     * @param conntrack where to look for the SYN's entry, or null (datalink: not involved)
     */
    SynProbe(PacketSender sender, ProbeTap tap, Conntrack conntrack) {
        this.sender = sender;
        this.tap = tap;
        this.conntrack = conntrack;
    }

    /** Returns a client port for a probe: random, {@value #MIN_PORT} to {@value #MAX_PORT}. */
    static int randomPort() {
        return ThreadLocalRandom.current().nextInt(MIN_PORT, MAX_PORT + 1);
    }

    /**
     * Runs the probe.
     *
     * @param client the fake client address (registered with the agent)
     * @param clientPort its port
     * @param target the target
     * @param targetPort its port
     * @param mss the MSS to announce
     * @param timeout how long to wait for the answer
     * @return what happened
     * @throws InterruptedException when interrupted while waiting
     */
    Result run(Inet4Address client, int clientPort, Inet4Address target, int targetPort, int mss, Duration timeout)
            throws InterruptedException {
        int clientAddress = IpAddresses.readInt(client.getAddress(), 0);
        int targetAddress = IpAddresses.readInt(target.getAddress(), 0);
        int sequence = ThreadLocalRandom.current().nextInt();
        IpTcpEncoder encoder = new IpTcpEncoder().ipv4(clientAddress, targetAddress).ports(clientPort, targetPort)
            .window(64_240);
        tap.expect(clientAddress, clientPort, targetAddress, targetPort);
        encoder.options().clear().mss(mss);
        long sent = System.nanoTime();
        String sendFailure = send(encoder.sequence(sequence).acknowledgment(0).flags(TcpHeader.SYN));
        if (sendFailure != null) {
            return new Result(client, clientPort, Answer.SEND_FAILED, -1, -1, null, sendFailure, null);
        }
        Boolean tracked = conntrack == null ? Boolean.FALSE : conntrack.tracks(client.getHostAddress(), clientPort,
            target.getHostAddress(), targetPort);
        long deadline = sent + timeout.toNanos();
        IpTcpView view = new IpTcpView();
        encoder.options().clear();
        for (byte[] packet = tap.next(deadline); packet != null; packet = tap.next(deadline)) {
            long answered = System.nanoTime();
            try {
                view.wrap(packet, 0, packet.length);
            } catch (PacketProtocolException e) {
                continue;
            }
            int flags = view.flags();
            if ((flags & TcpHeader.RST) != 0) {
                return new Result(client, clientPort, Answer.RESET, answered - sent, -1, tracked, null, null);
            }
            if ((flags & (TcpHeader.SYN | TcpHeader.ACK)) == (TcpHeader.SYN | TcpHeader.ACK)
                    && view.acknowledgment() == sequence + 1) {
                int targetMss = view.options().mss() > 0 ? view.options().mss() : -1;
                String ackFailure = null;
                if (!Boolean.FALSE.equals(tracked)) {
                    ackFailure = send(encoder.sequence(sequence + 1).acknowledgment(view.sequence() + 1)
                        .flags(TcpHeader.ACK));
                }
                send(encoder.sequence(sequence + 1).acknowledgment(0).flags(TcpHeader.RST));
                return new Result(client, clientPort, Answer.SYN_ACK, answered - sent, targetMss, tracked, null,
                    ackFailure);
            }
        }
        send(encoder.sequence(sequence + 1).acknowledgment(0).flags(TcpHeader.RST));
        return new Result(client, clientPort, Answer.NONE, -1, -1, tracked, null, null);
    }

    /** Sends the encoder's packet; returns why it failed, or null. */
    private String send(IpTcpEncoder encoder) {
        byte[] packet = new byte[encoder.headerLength()];
        int length = encoder.encode(packet, 0);
        try {
            sender.send(packet, 0, length);
            return null;
        } catch (UncheckedIOException e) {
            return e.getCause().getMessage();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }
}
