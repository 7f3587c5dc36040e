package io.pcapreplay.agent.router;

/** Builds minimal IP packets for routing tests in other packages. */
public final class RouterTestPackets {

    private RouterTestPackets() {
    }

    /**
     * @param a first octet
     * @param b second octet
     * @param c third octet
     * @param d fourth octet
     * @return a 40-byte IPv4 packet to that address
     */
    public static byte[] ipv4To(int a, int b, int c, int d) {
        return RouterTest.ipv4To(a, b, c, d);
    }
}
