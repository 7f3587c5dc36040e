package io.pcapreplay.pcap;

import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.packet.TcpSequence;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reassembles one direction of a TCP connection into a byte stream. Positions are unwrapped 64-bit stream offsets
 * (0 = the first data byte: after the SYN's sequence number, or at the first data segment when no SYN was seen).
 *
 * <p>Bytes already delivered are dropped (retransmissions, overlaps, duplicate frames); segments that arrive early
 * are copied into a bounded buffer and delivered once the bytes before them arrive. A hole that is never filled
 * (segment lost in the capture), or that would make the buffer exceed its limit, is skipped and counted as a gap.
 * Bytes of a frame cut by the snaplen are replaced by zeros (so that lengths and exchange boundaries are kept) and
 * counted as truncated: a session whose client stream has any is never replayed (see {@link LeftOutReason}).
 * Checksums are not checked. Nothing is allocated before the first payload byte or early segment;
 * {@link #discard()} drops what is held once the session is known to be left out.
 */
final class StreamReassembler {

    /** Most zero bytes put in place of the uncaptured part of one frame (BIG TCP segments are up to 512 KiB). */
    static final long MAX_ZERO_FILL = 1L << 20;

    private final CapturedConnection connection;
    private final int direction;
    private final ByteSink stream = new ByteSink();
    private TreeMap<Long, Pending> pending;
    private boolean initialized;
    private boolean discarding;
    private int nextSequence;
    private long nextOffset;
    private long bufferedBytes;
    private long retransmittedSegments;
    private long retransmittedBytes;
    private long outOfOrderSegments;
    private long gaps;
    private long gapBytes;
    private long truncatedSegments;
    private long truncatedBytes;

    StreamReassembler(CapturedConnection connection, int direction) {
        this.connection = connection;
        this.direction = direction;
    }

    /**
     * Takes one segment of this direction.
     *
     * @param sequence the sequence number
     * @param flags the TCP flags
     * @param buffer the frame bytes
     * @param payloadOffset where the payload starts
     * @param capturedLength payload bytes present in the buffer
     * @param wireLength payload bytes on the wire
     * @param timestampNanos the capture time
     */
    void segment(int sequence, int flags, byte[] buffer, int payloadOffset, int capturedLength, int wireLength,
                 long timestampNanos) {
        if (discarding) {
            return;
        }
        boolean syn = (flags & TcpHeader.SYN) != 0;
        int dataSequence = syn ? sequence + 1 : sequence;
        if (!initialized) {
            if (!syn && wireLength == 0) {
                return;
            }
            initialized = true;
            nextSequence = dataSequence;
        }
        if (wireLength <= 0) {
            return;
        }
        long start = nextOffset + TcpSequence.distance(nextSequence, dataSequence);
        long wireEnd = start + wireLength;
        if (wireEnd <= nextOffset) {
            retransmittedSegments++;
            retransmittedBytes += wireLength;
            return;
        }
        if (start > nextOffset) {
            buffer(start, Arrays.copyOfRange(buffer, payloadOffset, payloadOffset + capturedLength), wireEnd,
                timestampNanos);
            return;
        }
        deliverInOrder(start, buffer, payloadOffset, capturedLength, wireEnd, timestampNanos);
        drain(timestampNanos);
    }

    /** Skips every remaining hole (end of the connection): what is buffered after a hole is delivered. */
    void finish(long timestampNanos) {
        while (pending != null && !pending.isEmpty()) {
            skipToFirstPending(timestampNanos);
        }
    }

    /**
     * Drops the bytes held and ignores later segments (the session will not be replayed).
     *
     * @return the bytes released (as counted by {@link #heldBytes()})
     */
    long discard() {
        long held = heldBytes();
        discarding = true;
        stream.release();
        pending = null;
        bufferedBytes = 0;
        return held;
    }

    /** Returns the heap held for this direction's bytes: stream capacity plus early segments. */
    long heldBytes() {
        return stream.capacity() + bufferedBytes;
    }

    private void deliverInOrder(long start, byte[] buffer, int offset, int capturedLength, long wireEnd,
                                long timestampNanos) {
        long skip = nextOffset - start;
        retransmittedBytes += skip;
        long capturedEnd = start + capturedLength;
        if (capturedEnd > nextOffset) {
            int count = (int) (capturedEnd - nextOffset);
            stream.append(buffer, offset + (int) skip, count);
            connection.delivered(direction, stream.length(), timestampNanos);
        }
        long missingFrom = Math.max(capturedEnd, nextOffset);
        if (wireEnd > missingFrom) {
            truncatedSegments++;
            truncatedBytes += wireEnd - missingFrom;
            stream.appendZeros((int) Math.min(wireEnd - missingFrom, MAX_ZERO_FILL));
            connection.delivered(direction, stream.length(), timestampNanos);
        }
        advance(wireEnd);
    }

    private void buffer(long start, byte[] bytes, long wireEnd, long timestampNanos) {
        outOfOrderSegments++;
        if (pending == null) {
            pending = new TreeMap<>();
        }
        Pending existing = pending.get(start);
        if (existing == null || existing.wireEnd < wireEnd) {
            if (existing != null) {
                bufferedBytes -= existing.bytes.length;
                retransmittedSegments++;
            }
            pending.put(start, new Pending(start, bytes, wireEnd));
            bufferedBytes += bytes.length;
        } else {
            retransmittedSegments++;
            retransmittedBytes += wireEnd - start;
        }
        while (bufferedBytes > connection.maxBufferedBytes() && !pending.isEmpty()) {
            skipToFirstPending(timestampNanos);
        }
    }

    private void drain(long timestampNanos) {
        while (pending != null && !pending.isEmpty()) {
            Map.Entry<Long, Pending> first = pending.firstEntry();
            if (first.getKey() > nextOffset) {
                return;
            }
            pending.pollFirstEntry();
            Pending segment = first.getValue();
            bufferedBytes -= segment.bytes.length;
            if (segment.wireEnd <= nextOffset) {
                retransmittedSegments++;
                retransmittedBytes += segment.wireEnd - segment.start;
            } else {
                deliverInOrder(segment.start, segment.bytes, 0, segment.bytes.length, segment.wireEnd,
                    timestampNanos);
            }
        }
    }

    private void skipToFirstPending(long timestampNanos) {
        long firstStart = pending.firstKey();
        if (firstStart > nextOffset) {
            gaps++;
            gapBytes += firstStart - nextOffset;
            advance(firstStart);
        }
        drain(timestampNanos);
    }

    private void advance(long offset) {
        nextSequence = TcpSequence.add(nextSequence, offset - nextOffset);
        nextOffset = offset;
    }

    ByteSink stream() {
        return stream;
    }

    /** Tells whether early segments wait for the bytes before them. */
    boolean hasPending() {
        return pending != null && !pending.isEmpty();
    }

    /** Tells whether any payload byte was delivered: whether the stream is not empty. */
    boolean hasPayload() {
        return stream.length() > 0;
    }

    long retransmittedSegments() {
        return retransmittedSegments;
    }

    long retransmittedBytes() {
        return retransmittedBytes;
    }

    long outOfOrderSegments() {
        return outOfOrderSegments;
    }

    long gaps() {
        return gaps;
    }

    long gapBytes() {
        return gapBytes;
    }

    long truncatedSegments() {
        return truncatedSegments;
    }

    long truncatedBytes() {
        return truncatedBytes;
    }

    /** A segment that arrived before the bytes preceding it. */
    private record Pending(long start, byte[] bytes, long wireEnd) {
    }
}
