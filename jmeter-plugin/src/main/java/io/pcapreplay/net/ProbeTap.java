package io.pcapreplay.net;

import io.pcapreplay.protocol.CapturedPacket;
import io.pcapreplay.protocol.StatsMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Sits between the agent client and the replay: packets of the probe's connection (target address and port to the
 * probe's client address and port, IPv4) go to the probe, everything else to the replay's listener unchanged. The
 * probe's connection stays claimed after the probe, so late answers (SYN-ACK retransmissions) never reach the
 * replay. At most {@value #CAPACITY} probe packets wait; more are dropped (a probe needs one).
 */
final class ProbeTap implements AgentListener {

    private static final int CAPACITY = 16;

    private final AgentListener replay;
    private final BlockingQueue<byte[]> answers = new ArrayBlockingQueue<>(CAPACITY);
    private volatile long addresses = -1;
    private volatile int ports = -1;

    /** @param replay where every other packet goes, or null to drop them */
    ProbeTap(AgentListener replay) {
        this.replay = replay;
    }

    /** Claims the packets from {@code target:targetPort} to {@code client:clientPort} (IPv4, as 32-bit numbers). */
    void expect(int client, int clientPort, int target, int targetPort) {
        answers.clear();
        ports = targetPort << 16 | clientPort;
        addresses = (long) target << 32 | client & 0xFFFF_FFFFL;
    }

    /** Returns the next packet of the probe's connection, or null at the deadline ({@link System#nanoTime()}). */
    byte[] next(long deadlineNanos) throws InterruptedException {
        return answers.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    @Override
    public void onPackets(List<CapturedPacket> packets) {
        List<CapturedPacket> others = null;
        for (int index = 0; index < packets.size(); index++) {
            CapturedPacket packet = packets.get(index);
            if (matches(packet.data())) {
                answers.offer(packet.data());
                if (others == null) {
                    others = new ArrayList<>(packets.subList(0, index));
                }
            } else if (others != null) {
                others.add(packet);
            }
        }
        List<CapturedPacket> forReplay = others == null ? packets : others;
        if (replay != null && !forReplay.isEmpty()) {
            replay.onPackets(forReplay);
        }
    }

    @Override
    public void onStats(StatsMessage stats) {
        if (replay != null) {
            replay.onStats(stats);
        }
    }

    @Override
    public void onClosed(String reason) {
        if (replay != null) {
            replay.onClosed(reason);
        }
    }

    private boolean matches(byte[] packet) {
        long expected = addresses;
        if (expected == -1 || packet.length < 24 || (packet[0] & 0xF0) != 0x40 || packet[9] != 6) {
            return false;
        }
        int headerLength = (packet[0] & 0x0F) * 4;
        if (packet.length < headerLength + 4 || int32(packet, 12) != (int) (expected >>> 32)
                || int32(packet, 16) != (int) expected) {
            return false;
        }
        return int32(packet, headerLength) == ports;
    }

    private static int int32(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) << 24 | (bytes[offset + 1] & 0xFF) << 16 | (bytes[offset + 2] & 0xFF) << 8
            | bytes[offset + 3] & 0xFF;
    }
}
