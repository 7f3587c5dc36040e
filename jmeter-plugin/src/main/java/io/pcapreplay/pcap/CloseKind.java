package io.pcapreplay.pcap;

/** How a recorded connection ended. */
public enum CloseKind {
    /** An orderly close (FIN). */
    FIN,
    /** A reset (RST). */
    RST,
    /** Neither was captured: the capture ended first. */
    NONE
}
