package io.pcapreplay.agent.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.pcapreplay.agent.capture.IpPackets;
import io.pcapreplay.protocol.AgentMessage;
import io.pcapreplay.protocol.AgentProtocol;
import io.pcapreplay.protocol.CapturedMessage;
import io.pcapreplay.protocol.CapturedPacket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.LoggerFactory;

/**
 * One accepted replayer: its payload cap, its bounded outbound queue and its bounded control replies.
 *
 * <p>Capture threads {@link #offer} packets (never blocking: a full queue, this replayer's or all replayers'
 * together, drops and counts) and call {@link #wake()} at the end of each read batch. The wake hands the drain to the
 * channel's event loop only when no drain is pending, and the drain writes everything queued into CAPTURED frames
 * and flushes at once: a packet that finds the queue empty is on the socket after one thread hand-off, with no
 * timer; under load the capture thread's batches grow and so do the frames, one wake per batch.
 */
public final class ReplayerSession {

    /** Most control replies (HEARTBEAT answers, ACK, ERROR, STATS) waiting to be sent before the peer is closed. */
    public static final int MAX_CONTROL_BACKLOG = 1024;

    private static final int PACKET_OVERHEAD = 64;

    private final Channel channel;
    private final String name;
    private final int payloadCap;
    private final long queueLimitBytes;
    private final AtomicLong allQueuedBytes;
    private final long allQueuesLimitBytes;
    private final RelayDelay relayDelay;
    private final Queue<CapturedPacket> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(ReplayerHandler.class));
    private final ChannelFutureListener controlSent = future -> controlSent();
    private long[] flushedTimestamps = new long[256];
    private int flushedCount;
    private int controlBacklog;

    /**
     * A replayer with its own queue bound only (tests).
     *
     * @param channel the replayer's connection
     * @param name the replayer's name from its HELLO
     * @param payloadCap -1 all payload, 0 headers only, n the first n payload bytes
     * @param queueLimitBytes bound of the outbound queue
     */
    public ReplayerSession(Channel channel, String name, int payloadCap, long queueLimitBytes) {
        this(channel, name, payloadCap, queueLimitBytes, new AtomicLong(), Long.MAX_VALUE, new RelayDelay());
    }

    /**
     * @param channel the replayer's connection
     * @param name the replayer's name from its HELLO
     * @param payloadCap -1 all payload, 0 headers only, n the first n payload bytes
     * @param queueLimitBytes bound of this replayer's outbound queue
     * @param allQueuedBytes bytes queued for all replayers (shared)
     * @param allQueuesLimitBytes bound of all queues together
     * @param relayDelay where relay delays are recorded (shared)
     */
    ReplayerSession(Channel channel, String name, int payloadCap, long queueLimitBytes, AtomicLong allQueuedBytes,
            long allQueuesLimitBytes, RelayDelay relayDelay) {
        this.channel = channel;
        this.name = name;
        this.payloadCap = payloadCap;
        this.queueLimitBytes = queueLimitBytes;
        this.allQueuedBytes = allQueuedBytes;
        this.allQueuesLimitBytes = allQueuesLimitBytes;
        this.relayDelay = relayDelay;
    }

    /**
     * Queues a packet for this replayer; called on a capture thread, which calls {@link #wake()} after its batch.
     *
     * @param timestampNanos capture time
     * @param frame the captured frame (read during the call only)
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
        if (allQueuedBytes.addAndGet(size) > allQueuesLimitBytes) {
            allQueuedBytes.addAndGet(-size);
            queuedBytes.addAndGet(-size);
            dropped.increment();
            return;
        }
        int original = Math.min(AgentProtocol.MAX_ORIGINAL_LENGTH, Math.max(originalLength, carried));
        queue.offer(new CapturedPacket(timestampNanos, original, Arrays.copyOfRange(frame, ipOffset,
                ipOffset + carried)));
    }

    /**
     * Makes the event loop drain the queue now, unless a drain is already pending (then that one takes the new
     * packets too). Called by capture threads at the end of a batch and by the event loop when the channel becomes
     * writable again.
     */
    public void wake() {
        if (!queue.isEmpty() && drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(this::drain);
        }
    }

    /**
     * Runs on the event loop: writes all that is queued while the channel is writable (flushing when the written
     * bytes reach the high water mark), then flushes. The pending
     * flag is cleared first, so a packet queued while this runs either is taken by this drain or wakes a new one.
     */
    private void drain() {
        drainScheduled.set(false);
        if (!channel.isActive()) {
            discardQueue();
            return;
        }
        while (!queue.isEmpty()) {
            if (!channel.isWritable()) {
                flush();
                if (!channel.isWritable()) {
                    break;
                }
            }
            channel.write(nextBatch(), channel.voidPromise());
        }
        flush();
    }

    private CapturedMessage nextBatch() {
        List<CapturedPacket> batch = new ArrayList<>();
        int frameBytes = CapturedMessage.OVERHEAD;
        long batchBytes = 0;
        CapturedPacket packet;
        while ((packet = queue.peek()) != null
                && CapturedMessage.fits(batch.size(), frameBytes, packet.data().length)) {
            queue.poll();
            batch.add(packet);
            frameBytes += CapturedMessage.packetWireLength(packet.data().length);
            batchBytes += packet.data().length + PACKET_OVERHEAD;
            bytes.add(packet.data().length);
            if (flushedCount == flushedTimestamps.length) {
                flushedTimestamps = Arrays.copyOf(flushedTimestamps, flushedCount * 2);
            }
            flushedTimestamps[flushedCount++] = packet.timestampNanos();
        }
        queuedBytes.addAndGet(-batchBytes);
        allQueuedBytes.addAndGet(-batchBytes);
        delivered.add(batch.size());
        return new CapturedMessage(batch);
    }

    /** Flushes what was written and records each packet's relay delay: capture timestamp to now. */
    private void flush() {
        if (flushedCount == 0) {
            return;
        }
        channel.flush();
        Instant now = Instant.now();
        long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        for (int i = 0; i < flushedCount; i++) {
            relayDelay.record((nowNanos - flushedTimestamps[i]) / 1000);
        }
        flushedCount = 0;
        if (flushedTimestamps.length > 65_536) {
            flushedTimestamps = new long[256];
        }
    }

    /**
     * Sends a control reply unless {@link #MAX_CONTROL_BACKLOG} replies are still unsent; call on the event loop.
     *
     * @param message HEARTBEAT, ACK, ERROR or STATS
     * @return false when the backlog is full: the replayer does not read and must be closed
     */
    boolean sendControl(AgentMessage message) {
        if (controlBacklog >= MAX_CONTROL_BACKLOG) {
            return false;
        }
        controlBacklog++;
        ChannelFuture future = channel.writeAndFlush(message);
        future.addListener(controlSent);
        return true;
    }

    private void controlSent() {
        controlBacklog--;
    }

    /** @return control replies written but not yet sent */
    int controlBacklog() {
        return controlBacklog;
    }

    /** @return bytes Netty holds for this replayer's socket (written, not yet accepted by the kernel) */
    public long pendingWriteBytes() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /** Drops whatever is still queued (the connection closed). */
    void discardQueue() {
        CapturedPacket packet;
        long freed = 0;
        while ((packet = queue.poll()) != null) {
            freed += packet.data().length + PACKET_OVERHEAD;
        }
        queuedBytes.addAndGet(-freed);
        allQueuedBytes.addAndGet(-freed);
    }

    /** @return the connection */
    public Channel channel() {
        return channel;
    }

    /** @return the replayer's name as it sent it (escape with {@link LogText#quote} before logging) */
    public String name() {
        return name;
    }

    /** @return this replayer's log, limited per event kind */
    RateLimitedLog log() {
        return log;
    }

    /** @return -1 all payload, 0 headers only, n the first n payload bytes */
    public int payloadCap() {
        return payloadCap;
    }

    /** @return packets handed to the connection */
    public long delivered() {
        return delivered.sum();
    }

    /** @return packets dropped because the queue (this replayer's or all together) was full */
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
        return LogText.quote(name) + " (" + channel.remoteAddress() + ")";
    }
}
