package io.pcapreplay.loop;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.net.AgentListener;
import io.pcapreplay.net.RawIpSocket;
import io.pcapreplay.net.RawSocketException;
import io.pcapreplay.packet.IpAddresses;
import io.pcapreplay.packet.IpTcpEncoder;
import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.protocol.CapturedPacket;
import io.pcapreplay.protocol.StatsMessage;
import java.time.Instant;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * SYNs from fake clients (raw socket in the client namespace) to a listening port of the target, whose kernel
 * answers each with a SYN-ACK routed to the assistant: the burst the agent must capture without kernel drops.
 * Each SYN has its own fake 4-tuple (198.18.{@code 100 + round}.x, port from 20000), so each SYN-ACK is counted
 * once whatever the target retransmits. As the replayer's listener it counts the SYN-ACKs relayed and the delay
 * from their capture timestamp to their arrival here (same host, same clock).
 */
final class SynBurst implements AgentListener {

    static final int PORTS_PER_ADDRESS = 250;
    static final long FIRST_TRANSMISSION_NANOS = 900_000_000L;

    private final BitSet seen = new BitSet();
    private final AtomicLong relayed = new AtomicLong();
    private volatile int round = -1;
    private volatile long roundStartNanos;
    private volatile long[] delays = new long[0];
    private volatile int delayCount;
    private volatile StatsMessage lastStats;

    /**
     * Starts counting the SYN-ACKs of a new round (0..99) captured within {@link #FIRST_TRANSMISSION_NANOS} of now
     * (the target retransmits unanswered SYN-ACKs after 1 s: those would hide drops); with {@code delaySamples} > 0
     * also their delays.
     */
    synchronized void startRound(int newRound, int delaySamples) {
        seen.clear();
        relayed.set(0);
        delays = new long[delaySamples];
        delayCount = 0;
        Instant now = Instant.now();
        roundStartNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        round = newRound;
    }

    /** @return distinct SYN-ACKs of the current round relayed so far */
    long relayed() {
        return relayed.get();
    }

    /** @return relay delays (µs, capture timestamp to arrival at the replayer) of the round, sorted */
    synchronized long[] delays() {
        long[] copy = Arrays.copyOf(delays, delayCount);
        Arrays.sort(copy);
        return copy;
    }

    /** @return the agent's last STATS */
    StatsMessage lastStats() {
        return lastStats;
    }

    @Override
    public void onStats(StatsMessage stats) {
        lastStats = stats;
    }

    @Override
    public synchronized void onPackets(List<CapturedPacket> packets) {
        Instant now = Instant.now();
        long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        for (CapturedPacket packet : packets) {
            byte[] ip = packet.data();
            int header = (ip[0] & 0x0F) * 4;
            if ((ip[0] >> 4) != 4 || ip.length < header + 14 || (ip[header + 13] & 0x12) != 0x12
                    || (ip[18] & 0xFF) != 100 + round
                    || packet.timestampNanos() - roundStartNanos > FIRST_TRANSMISSION_NANOS) {
                continue;
            }
            int index = (ip[19] & 0xFF) * PORTS_PER_ADDRESS + ((((ip[header + 2] & 0xFF) << 8)
                    | (ip[header + 3] & 0xFF)) - 20_000);
            if (index >= 0 && !seen.get(index)) {
                seen.set(index);
                relayed.incrementAndGet();
                if (delayCount < delays.length) {
                    delays[delayCount++] = (nowNanos - packet.timestampNanos()) / 1000;
                }
            }
        }
    }

    /**
     * Sends the SYNs of one round.
     *
     * @param lab the lab
     * @param targetPort a port the target listens on
     * @param roundNumber 0..99 (the third octet of the fake sources is 100 + round)
     * @param count SYNs, at most 256 × 250
     * @param spacingNanos pause between SYNs (0: as fast as the socket takes them)
     * @return SYNs sent
     * @throws RawSocketException when the raw socket fails
     */
    static int send(Lab lab, int targetPort, int roundNumber, int count, long spacingNanos)
            throws RawSocketException {
        int target = IpAddresses.readInt(lab.target().ipv4To(LabRole.CLIENT).getAddress(), 0);
        byte[] packet = new byte[60];
        IpTcpEncoder encoder = new IpTcpEncoder();
        int sent = 0;
        try (RawIpSocket socket = lab.client().call(RawIpSocket::openIpv4)) {
            socket.sendBufferSize(8 << 20);
            long next = System.nanoTime();
            for (int i = 0; i < count; i++) {
                int source = (198 << 24) | (18 << 16) | ((100 + roundNumber) << 8) | (i / PORTS_PER_ADDRESS);
                int length = encoder.ipv4(source, target).ports(20_000 + i % PORTS_PER_ADDRESS, targetPort)
                        .sequence(i * 7919).acknowledgment(0).flags(TcpHeader.SYN).window(65_535)
                        .encode(packet, 0, new byte[0], 0, 0);
                for (int attempt = 0; attempt < 1000; attempt++) {
                    try {
                        socket.send(packet, 0, length);
                        sent++;
                        break;
                    } catch (RawSocketException e) {
                        Thread.onSpinWait();
                    }
                }
                if (spacingNanos > 0) {
                    next += spacingNanos;
                    LockSupport.parkNanos(next - System.nanoTime());
                }
            }
        }
        return sent;
    }
}
