package io.pcapreplay.agent.server;

import io.netty.channel.Channel;
import io.pcapreplay.agent.capture.IpPackets;
import io.pcapreplay.protocol.AgentProtocol;
import io.pcapreplay.protocol.CapturedMessage;
import io.pcapreplay.protocol.CapturedPacket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One accepted replayer: its payload cap and its bounded outbound queue. Capture threads {@link #offer} packets
 * (never blocking: a full queue drops and counts); the channel's event loop drains the queue into CAPTURED
 * batches while the channel is writable, so a slow replayer only loses its own packets.
 */
public final class ReplayerSession {

    private static final int PACKET_OVERHEAD = 64;
    private static final long POLL_MICROS = 50;

    private final Channel channel;
    private final String name;
    private final int payloadCap;
    private final long queueLimitBytes;
    private final Queue<CapturedPacket> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    /**
     * @param channel the replayer's connection
     * @param name the replayer's name from its HELLO
     * @param payloadCap -1 all payload, 0 headers only, n the first n payload bytes
     * @param queueLimitBytes bound of the outbound queue
     */
    public ReplayerSession(Channel channel, String name, int payloadCap, long queueLimitBytes) {
        this.channel = channel;
        this.name = name;
        this.payloadCap = payloadCap;
        this.queueLimitBytes = queueLimitBytes;
    }

    /**
     * Queues a packet for this replayer; called on a capture thread.
     *
     * @param timestampNanos capture time
     * @param frame the captured frame
     * @param ipOffset where the IP header starts
     * @param ipLength captured bytes of the IP packet
     * @param originalLength the IP packet's length on the wire
     */
    public void offer(long timestampNanos, byte[] frame, int ipOffset, int ipLength, int originalLength) {
        int carried = Math.min(AgentProtocol.MAX_PACKET_BYTES,
                IpPackets.carriedLength(frame, ipOffset, ipLength, payloadCap));
        long size = carried + PACKET_OVERHEAD;
        if (queuedBytes.addAndGet(size) > queueLimitBytes) {
            queuedBytes.addAndGet(-size);
            dropped.increment();
            return;
        }
        int original = Math.min(AgentProtocol.MAX_ORIGINAL_LENGTH, Math.max(originalLength, carried));
        queue.offer(new CapturedPacket(timestampNanos, original, Arrays.copyOfRange(frame, ipOffset,
                ipOffset + carried)));
        scheduleDrain();
    }

    /** Makes the event loop drain the queue soon (no-op when a drain is already pending). */
    void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(this::drain);
        }
    }

    /**
     * Runs on the event loop. While packets keep coming it polls the queue again after {@value #POLL_MICROS} µs
     * instead of being woken by the capture thread for every packet (a cross-thread wakeup costs a syscall);
     * when a poll finds the queue empty it goes idle and the next packet wakes it at once.
     */
    private void drain() {
        if (!channel.isActive()) {
            drainScheduled.set(false);
            discardQueue();
            return;
        }
        boolean wrote = false;
        while (channel.isWritable() && !queue.isEmpty()) {
            channel.write(nextBatch(), channel.voidPromise());
            wrote = true;
        }
        if (wrote) {
            channel.flush();
            if (channel.isWritable()) {
                channel.eventLoop().schedule(this::drain, POLL_MICROS, TimeUnit.MICROSECONDS);
                return;
            }
        }
        drainScheduled.set(false);
        if (!queue.isEmpty() && channel.isWritable()) {
            scheduleDrain();
        }
    }

    private CapturedMessage nextBatch() {
        List<CapturedPacket> batch = new ArrayList<>();
        int frameBytes = CapturedMessage.OVERHEAD;
        CapturedPacket packet;
        while ((packet = queue.peek()) != null
                && CapturedMessage.fits(batch.size(), frameBytes, packet.data().length)) {
            queue.poll();
            batch.add(packet);
            frameBytes += CapturedMessage.packetWireLength(packet.data().length);
            queuedBytes.addAndGet(-(packet.data().length + PACKET_OVERHEAD));
            bytes.add(packet.data().length);
        }
        delivered.add(batch.size());
        return new CapturedMessage(batch);
    }

    /** Drops whatever is still queued (the connection closed). */
    void discardQueue() {
        CapturedPacket packet;
        while ((packet = queue.poll()) != null) {
            queuedBytes.addAndGet(-(packet.data().length + PACKET_OVERHEAD));
        }
    }

    /** @return the connection */
    public Channel channel() {
        return channel;
    }

    /** @return the replayer's name */
    public String name() {
        return name;
    }

    /** @return -1 all payload, 0 headers only, n the first n payload bytes */
    public int payloadCap() {
        return payloadCap;
    }

    /** @return packets handed to the connection */
    public long delivered() {
        return delivered.sum();
    }

    /** @return packets dropped because the queue was full */
    public long dropped() {
        return dropped.sum();
    }

    /** @return IP bytes handed to the connection */
    public long bytes() {
        return bytes.sum();
    }

    /** @return bytes waiting in the queue */
    public long queuedBytes() {
        return queuedBytes.get();
    }

    @Override
    public String toString() {
        return "'" + name + "' (" + channel.remoteAddress() + ")";
    }
}
