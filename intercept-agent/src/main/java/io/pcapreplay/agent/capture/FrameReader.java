package io.pcapreplay.agent.capture;

import java.util.function.BooleanSupplier;

/** Where a device's frames come from: the agent's packet ring or libpcap. Used by one capture thread. */
interface FrameReader extends AutoCloseable {

    /** Receives frames on the capture thread. */
    interface FrameHandler {
        /**
         * @param frame the link-layer frame in {@code [0, length)}, valid during the call only
         * @param length captured bytes
         * @param timestampNanos capture time, nanoseconds since the epoch
         * @param wireLength the frame's length on the wire
         */
        void frame(byte[] frame, int length, long timestampNanos, int wireLength);

        /**
         * The batch ends: every frame the kernel had ready has been handed over, or (when
         * {@link FrameReader#wholeBatches()} is false) just this one.
         */
        void endOfBatch();
    }

    /**
     * Reads until {@code running} turns false.
     *
     * @param handler receives the frames
     * @param running checked at least every 100 ms
     * @throws CaptureException when reading fails for good
     */
    void read(FrameHandler handler, BooleanSupplier running) throws CaptureException;

    /**
     * @return true when {@link FrameHandler#endOfBatch()} comes once all ready frames are handed over; false when
     *     it comes after every frame (libpcap's callback or blocking modes)
     */
    default boolean wholeBatches() {
        return true;
    }

    /** @return packets the kernel dropped (buffer full) since the start, or -1 when unknown */
    long kernelDrops();

    /** @return packets delivered shorter than captured because no room was left for them (ring only) */
    long truncated();

    /** @return how frames are read, for the log */
    String describe();

    /** Wakes a read blocked in the kernel (any thread). */
    void interrupt();

    /** Releases the socket or handle (after the read returned). */
    @Override
    void close();
}
