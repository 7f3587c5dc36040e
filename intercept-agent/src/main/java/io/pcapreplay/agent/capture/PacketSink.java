package io.pcapreplay.agent.capture;

/** Receives captured IP packets on one capture thread; must be fast and never block. */
public interface PacketSink {

    /**
     * @param timestampNanos capture time, nanoseconds since the epoch
     * @param frame the captured frame: read it during the call only (the capture reuses the array)
     * @param ipOffset where the IP header starts in the frame
     * @param ipLength bytes of the IP packet captured (after removing link padding)
     * @param originalLength the IP packet's length on the wire
     */
    void accept(long timestampNanos, byte[] frame, int ipOffset, int ipLength, int originalLength);

    /** The capture has handed over every packet the kernel had ready: pass them on now. */
    void endOfBatch();
}
