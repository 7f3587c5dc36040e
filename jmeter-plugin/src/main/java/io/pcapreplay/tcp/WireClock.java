package io.pcapreplay.tcp;

/**
 * The clock of the packet times given to {@link ReplayEngine#deliver(byte[], int, int, long)}, as the engine sees
 * it: maps each packet time onto the engine's clock when the loop takes the packet, and learns from causality: a
 * SYN-ACK answering our SYN cannot have been on the wire before that SYN left. Called on the engine's loop only;
 * must not block.
 */
public interface WireClock {

    /** Packet times already on the engine's clock (e.g. tests, or a transport reading the engine's clock). */
    WireClock ENGINE = packetNanos -> packetNanos;

    /**
     * Maps a packet time onto the engine's clock.
     *
     * @param packetNanos the time given with the packet (never {@link ReplayEngine#UNKNOWN_TIME})
     * @return the engine clock's value at that instant, or {@link ReplayEngine#UNKNOWN_TIME} when not known
     */
    long toEngineNanos(long packetNanos);

    /**
     * A connection's SYN-ACK arrived: it was on the wire after our first SYN left.
     *
     * @param synSentNanos when the first SYN left, engine clock
     * @param synAckPacketNanos the SYN-ACK's packet time, as given to {@code deliver} (the packet clock)
     */
    default void answered(long synSentNanos, long synAckPacketNanos) {
    }
}
