package io.pcapreplay.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TransportSpecTest {

    @Test
    void shouldMeanRawIpWhenBlankOrRawIp() {
        assertThat(TransportSpec.parse(null)).isEqualTo(TransportSpec.RAW_IP);
        assertThat(TransportSpec.parse("  ")).isEqualTo(TransportSpec.RAW_IP);
        assertThat(TransportSpec.parse("RAW-IP")).isEqualTo(TransportSpec.RAW_IP);
        assertThat(TransportSpec.RAW_IP).hasToString("raw-ip");
    }

    @Test
    void shouldReadInterfaceAndMacsWhenDatalink() {
        TransportSpec spec = TransportSpec.parse("datalink eth1 02:00:00:00:00:01 02:00:00:00:00:02");
        assertThat(spec.datalink()).isTrue();
        assertThat(spec.interfaceName()).isEqualTo("eth1");
        assertThat(spec.nextHopMac()).isEqualTo("02:00:00:00:00:01");
        assertThat(spec.sourceMac()).isEqualTo("02:00:00:00:00:02");
        assertThat(TransportSpec.parse("datalink eth1 02-00-00-00-00-01").sourceMac()).isNull();
        assertThat(spec).hasToString("datalink eth1 02:00:00:00:00:01 02:00:00:00:00:02");
    }

    @Test
    void shouldExplainTheSyntaxWhenTheTransportIsWrong() {
        assertThatThrownBy(() -> TransportSpec.parse("udp")).hasMessage("transport: 'udp' (expected: raw-ip, or "
                + "datalink IFACE NEXT_HOP_MAC [SOURCE_MAC], e.g. 'datalink eth0 02:00:00:00:00:01')");
        assertThatThrownBy(() -> TransportSpec.parse("datalink eth0")).hasMessageContaining("expected: raw-ip, or");
        assertThatThrownBy(() -> TransportSpec.parse("datalink eth0 zz:00:00:00:00:01"))
                .hasMessageContaining("next-hop MAC: 'zz:00:00:00:00:01' (expected: six hex bytes");
    }
}
