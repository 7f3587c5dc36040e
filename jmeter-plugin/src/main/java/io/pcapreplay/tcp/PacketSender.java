package io.pcapreplay.tcp;

/**
 * Sends complete IP packets (IP header included) towards the target. Called only by the engine's event loop; the
 * bytes are valid during the call only (the engine reuses its send buffers). Implemented by the raw IP socket and
 * the datalink sender in {@code io.pcapreplay.net}, and by simulated peers in tests.
 */
@FunctionalInterface
public interface PacketSender {

    /**
     * Sends a packet.
     *
     * @param packet the buffer
     * @param offset the first byte of the IP header
     * @param length the packet length
     */
    void send(byte[] packet, int offset, int length);

    /**
     * Tells whether {@link #send(byte[], int[], int[], int)} sends several packets in one system call: then the
     * engine gathers its untimed packets (ACK, FIN, RST) and sends them with the next timed one or at the end of its
     * round.
     */
    default boolean sendsBatches() {
        return false;
    }

    /**
     * Sends packets in the given order; one failing does not stop the others.
     *
     * @param buffer the packets' buffer
     * @param offsets the first byte of each packet
     * @param lengths each packet's length
     * @param count how many packets
     * @return how many could not be sent
     */
    default int send(byte[] buffer, int[] offsets, int[] lengths, int count) {
        int failed = 0;
        for (int i = 0; i < count; i++) {
            try {
                send(buffer, offsets[i], lengths[i]);
            } catch (RuntimeException e) {
                failed++;
            }
        }
        return failed;
    }
}
