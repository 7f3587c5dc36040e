package io.pcapreplay.tcp;

import io.pcapreplay.packet.IpAddresses;

/**
 * Picks each starting connection's client endpoint (address and port) and puts the connection in the table under it:
 * the next free endpoint of the pool of the server's family, or, with {@link ClientAddresses#original()}, the recorded
 * client address with a free port. Event loop only; no allocation.
 */
final class EndpointAssignment {

    private static final int ENDPOINT_TRIES = 64;
    /** The port step between copies of a session kept at its original address (a prime: spreads over the range). */
    private static final int ORIGINAL_PORT_STRIDE = 4_099;

    private final EngineConfig config;
    private final ConnectionTable<Connection> table;
    private final byte[] addressScratch = new byte[16];
    /** Where shifted original ports start: from the run's seed, not its random stream (the ISNs stay as seeded). */
    private final int originalPortOffset;

    EndpointAssignment(EngineConfig config, ConnectionTable<Connection> table) {
        this.config = config;
        this.table = table;
        this.originalPortOffset = (int) ((config.randomSeed() * 0x9E37_79B9_7F4A_7C15L) >>> 48);
    }

    /**
     * Gives a pending connection its client endpoint and puts it in the table.
     *
     * @return false when every endpoint tried is busy (the start is retried soon)
     */
    boolean assign(Connection connection) {
        if (config.clientAddresses().original()) {
            return assignOriginalPort(connection);
        }
        ClientAddressPool pool = config.clientAddresses().pool(connection.ipv6 != null);
        for (int attempt = 0; attempt < ENDPOINT_TRIES; attempt++) {
            long endpoint = pool.next();
            long index = ClientAddressPool.addressIndex(endpoint);
            int port = ClientAddressPool.port(endpoint);
            long key;
            if (connection.ipv6 == null) {
                connection.clientAddress = pool.ipv4(index);
                key = ConnectionTable.ipv4Key(connection.clientAddress, port);
            } else {
                pool.ipv6(index, addressScratch, 0);
                connection.ipv6.clientHigh = IpAddresses.readLong(addressScratch, 0);
                connection.ipv6.clientLow = IpAddresses.readLong(addressScratch, 8);
                key = Ipv6Endpoints.key(connection.ipv6.clientHigh, connection.ipv6.clientLow, port);
            }
            if (key != 0 && table.get(key) == null) { // an IPv6 key collision just takes the next endpoint
                connection.key = key;
                connection.clientPort = port;
                table.put(key, connection);
                return true;
            }
        }
        return false;
    }

    /**
     * The recorded client address (set at start) with its recorded port while that endpoint is free; copies and loops
     * of the session shift the port by {@value #ORIGINAL_PORT_STRIDE} at a time within 1024-65535, as tcpcopy's
     * amplification does.
     */
    private boolean assignOriginalPort(Connection connection) {
        int recorded = connection.session.client().port();
        int span = ClientAddressPool.DEFAULT_MAX_PORT - ClientAddressPool.DEFAULT_MIN_PORT + 1;
        for (int attempt = 0; attempt < ENDPOINT_TRIES; attempt++) {
            int port = attempt == 0 && recorded >= ClientAddressPool.DEFAULT_MIN_PORT ? recorded
                : ClientAddressPool.DEFAULT_MIN_PORT + Math.floorMod(recorded - ClientAddressPool.DEFAULT_MIN_PORT
                    + attempt * ORIGINAL_PORT_STRIDE + originalPortOffset, span);
            long key = connection.ipv6 == null ? ConnectionTable.ipv4Key(connection.clientAddress, port)
                : Ipv6Endpoints.key(connection.ipv6.clientHigh, connection.ipv6.clientLow, port);
            if (key != 0 && table.get(key) == null) {
                connection.key = key;
                connection.clientPort = port;
                table.put(key, connection);
                return true;
            }
        }
        return false;
    }

}
