package io.pcapreplay.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@link NextHop} reads from iproute2's answers (as printed by iproute2 6.1 on Debian 12). */
class NextHopTest {

    @Test
    void shouldTakeTheGatewayWhenTheRouteGoesVia() {
        assertThat(NextHop.gateway("203.0.113.5 via 10.0.0.1 dev eth0 src 10.0.0.2 uid 0 \n    cache "))
            .isEqualTo("10.0.0.1");
        assertThat(NextHop.gateway("2001:db8::5 from :: via fe80::1 dev eth0 proto ra src 2001:db8::2 metric 1024 "
            + "pref medium")).isEqualTo("fe80::1");
        assertThat(NextHop.gateway("203.0.113.5 via inet6 fe80::1 dev eth0 src 10.0.0.2 uid 0")).isEqualTo("fe80::1");
    }

    @Test
    void shouldTakeNoGatewayWhenTheTargetIsOnLink() {
        assertThat(NextHop.gateway("198.19.1.2 dev veth-c src 198.19.1.1 uid 0 \n    cache ")).isNull();
        assertThat(NextHop.gateway("2001:2:0:1::2 from :: dev veth-c proto kernel src 2001:2:0:1::1 metric 256 "
            + "pref medium")).isNull();
    }

    @Test
    void shouldTakeTheLinkLayerAddressWhenTheNeighbourIsKnown() {
        assertThat(NextHop.linkLayerAddress("10.0.0.1 lladdr 02:AB:00:00:00:01 REACHABLE"))
            .isEqualTo("02:ab:00:00:00:01");
        assertThat(NextHop.linkLayerAddress("fe80::1 lladdr 02:00:00:00:00:07 router STALE"))
            .isEqualTo("02:00:00:00:00:07");
        assertThat(NextHop.linkLayerAddress("10.0.0.1 lladdr 02:00:00:00:00:01 DELAY")).isEqualTo("02:00:00:00:00:01");
    }

    @Test
    void shouldTakeNothingWhenTheNeighbourIsUnknownOrUnreachable() {
        assertThat(NextHop.linkLayerAddress("")).isNull();
        assertThat(NextHop.linkLayerAddress("10.0.0.1  INCOMPLETE")).isNull();
        assertThat(NextHop.linkLayerAddress("10.0.0.1  FAILED")).isNull();
        assertThat(NextHop.linkLayerAddress("10.0.0.1 lladdr 02:00:00:00:00:01 FAILED")).isNull();
    }
}
