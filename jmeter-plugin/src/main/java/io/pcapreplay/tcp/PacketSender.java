package io.pcapreplay.tcp;

/**
 * Sends one complete IP packet (IP header included) towards the target. Called only by the engine's event loop;
 * the bytes are valid during the call only (the engine reuses its send buffer). Implemented by the raw IP socket
 * in {@code io.pcapreplay.net}, and by simulated peers in tests.
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
}
