package io.pcapreplay.agent.capture;

/** Receives captured IP packets on a capture thread; must be fast and never block. */
@FunctionalInterface
public interface PacketSink {

    /**
     * @param timestampNanos capture time, nanoseconds since the epoch
     * @param frame the captured frame (owned by the sink from now on)
     * @param ipOffset where the IP header starts in the frame
     * @param ipLength bytes of the IP packet captured (after removing link padding)
     * @param originalLength the IP packet's length on the wire
     */
    void accept(long timestampNanos, byte[] frame, int ipOffset, int ipLength, int originalLength);
}
