package io.pcapreplay.pcap;

/** One side of a TCP connection. */
public enum Side {
    /** The side that opened the connection (see {@link CaptureReader} for how it is chosen). */
    CLIENT,
    /** The side that accepted the connection. */
    SERVER,
    /** Nobody (e.g. a close that did not happen). */
    NONE
}
