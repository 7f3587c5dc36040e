package io.pcapreplay.net;

import io.pcapreplay.protocol.CapturedPacket;
import io.pcapreplay.protocol.StatsMessage;
import java.util.List;

/**
 * Receives what the agent streams. Called on the client's I/O thread, in arrival order: return quickly (hand the
 * packets to another thread for anything slow), or the agent will start dropping packets for this replayer.
 */
public interface AgentListener {

    /**
     * @param packets captured packets, oldest first (the array inside each packet is the listener's)
     */
    void onPackets(List<CapturedPacket> packets);

    /**
     * @param stats the agent's periodic counters
     */
    default void onStats(StatsMessage stats) {
    }

    /**
     * The connection ended (agent stopped, heartbeat timeout, network failure, or {@link AgentClient#close()}).
     *
     * @param reason why, for a person
     */
    default void onClosed(String reason) {
    }
}
