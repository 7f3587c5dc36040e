package io.pcapreplay.net;

import io.pcapreplay.protocol.AddressRange;
import io.pcapreplay.tcp.ClientAddressPool;
import java.util.List;

/**
 * The fake client ranges as a person writes them in a route or a firewall rule: the one CIDR block covering the
 * pool ({@code 198.18.1.*} is {@code 198.18.1.0/24}, though the pool leaves out .0 and .255) when it is at most
 * twice the pool's size, else the pool's own blocks.
 */
final class FakeClientRanges {

    private FakeClientRanges() {
    }

    static List<String> of(ClientAddressPool pool) {
        List<String> cidrs = pool.cidrs();
        if (pool.ipv6() || cidrs.size() <= 1) {
            return cidrs;
        }
        long low = Long.MAX_VALUE;
        long high = Long.MIN_VALUE;
        long size = 0;
        for (String cidr : cidrs) {
            AddressRange range = AddressRange.parse(cidr);
            byte[] address = range.address();
            long start = (address[0] & 0xFFL) << 24 | (address[1] & 0xFFL) << 16 | (address[2] & 0xFFL) << 8
                | address[3] & 0xFFL;
            long count = 1L << (32 - range.prefixLength());
            low = Math.min(low, start);
            high = Math.max(high, start + count - 1);
            size += count;
        }
        int prefix = 32;
        while (prefix > 0 && (low >>> (32 - prefix)) != (high >>> (32 - prefix))) {
            prefix--;
        }
        long coveringSize = 1L << (32 - prefix);
        if (coveringSize > 2 * size) {
            return cidrs;
        }
        long network = prefix == 0 ? 0 : low >>> (32 - prefix) << (32 - prefix);
        return List.of((network >>> 24) + "." + (network >>> 16 & 0xFF) + "." + (network >>> 8 & 0xFF) + "."
            + (network & 0xFF) + "/" + prefix);
    }
}
