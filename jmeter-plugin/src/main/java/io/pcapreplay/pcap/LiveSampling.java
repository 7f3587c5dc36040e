package io.pcapreplay.pcap;

import java.net.InetSocketAddress;

/**
 * Which live sessions are copied (tcpcopy's {@code -r}): a stable hash of the session's 4-tuple (FNV-1a over the
 * client address and port, then the server address and port, ports big-endian) taken modulo 10,000 and compared
 * with the percentage in hundredths. The same connection is always chosen or always not, on every replayer and
 * in every run, so a user can tell which sessions were copied.
 */
public final class LiveSampling {

    private static final int FNV_OFFSET = 0x811C9DC5;
    private static final int FNV_PRIME = 0x01000193;
    private static final int BUCKETS = 10_000;

    private LiveSampling() {
    }

    /**
     * Tells whether a session is copied.
     *
     * @param client the client's address and port
     * @param server the server's address and port
     * @param percent the sampling percentage, 0 to 100 (two decimals count)
     * @return whether it is copied
     */
    public static boolean keeps(InetSocketAddress client, InetSocketAddress server, double percent) {
        if (percent >= 100) {
            return true;
        }
        return bucket(client, server) < Math.round(percent * 100);
    }

    /**
     * Returns the session's bucket.
     *
     * @param client the client's address and port
     * @param server the server's address and port
     * @return 0 to 9,999
     */
    public static int bucket(InetSocketAddress client, InetSocketAddress server) {
        int hash = FNV_OFFSET;
        hash = mix(hash, client.getAddress().getAddress());
        hash = mix(hash, new byte[] {(byte) (client.getPort() >> 8), (byte) client.getPort()});
        hash = mix(hash, server.getAddress().getAddress());
        hash = mix(hash, new byte[] {(byte) (server.getPort() >> 8), (byte) server.getPort()});
        return Integer.remainderUnsigned(hash, BUCKETS);
    }

    private static int mix(int start, byte[] bytes) {
        int hash = start;
        for (byte value : bytes) {
            hash ^= value & 0xFF;
            hash *= FNV_PRIME;
        }
        return hash;
    }
}
