package io.pcapreplay.agent.capture;

import java.util.Locale;

/** How the agent reads packets from the kernel ({@code --capture}). */
public enum CaptureMethod {
    /**
     * The agent's own AF_PACKET socket with a memory-mapped TPACKET_V2 ring of small frames (larger packets through
     * the socket queue); libpcap only compiles the filter. Devices it cannot serve ('any', non-Ethernet) use
     * {@link #PCAP}.
     */
    RING,
    /** libpcap in immediate mode, read with {@code pcap_next_ex}. */
    PCAP;

    /**
     * @param value the option's value, e.g. "ring"
     * @return the method, or null when it names none
     */
    public static CaptureMethod parse(String value) {
        for (CaptureMethod method : values()) {
            if (method.name().toLowerCase(Locale.ROOT).equals(value)) {
                return method;
            }
        }
        return null;
    }
}
