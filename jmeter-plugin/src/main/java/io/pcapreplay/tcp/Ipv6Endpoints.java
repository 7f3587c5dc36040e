package io.pcapreplay.tcp;

/**
 * The 128-bit addresses of an IPv6 connection, held apart from {@link Connection} so that IPv4 connections pay one
 * null reference for IPv6 support.
 */
final class Ipv6Endpoints {
    long clientHigh;
    long clientLow;
    final long serverHigh;
    final long serverLow;

    Ipv6Endpoints(long serverHigh, long serverLow) {
        this.serverHigh = serverHigh;
        this.serverLow = serverLow;
    }

    /** Returns the table key of an IPv6 fake client endpoint: a 48-bit mix of the address, and the port. */
    static long key(long high, long low, int port) {
        long mix = (high * 0x9E37_79B9_7F4A_7C15L) ^ Long.rotateLeft(low * 0xC2B2_AE3D_27D4_EB4FL, 31);
        long key = (mix << 16) | (port & 0xFFFF);
        return key != 0 ? key : 1L << 16; // 0 is reserved by the table (port 0 is never handed out anyway)
    }
}
