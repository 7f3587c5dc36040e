package io.pcapreplay.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
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
    void shouldLeaveTheNextHopToTheRouteWhenDatalinkNamesOnlyTheInterface() {
        TransportSpec spec = TransportSpec.parse("datalink eth1");

        assertThat(spec.datalink()).isTrue();
        assertThat(spec.interfaceName()).isEqualTo("eth1");
        assertThat(spec.nextHopMac()).isNull();
        assertThat(spec.sourceMac()).isNull();
        assertThat(spec).hasToString("datalink eth1");
        assertThat(TransportSpec.parse(spec.toString())).isEqualTo(spec);
    }

    @Test
    void shouldExplainTheSyntaxWhenTheTransportIsWrong() {
        assertThatThrownBy(() -> TransportSpec.parse("udp")).hasMessage("transport: 'udp' (expected: raw-ip, "
                + "datalink IFACE [NEXT_HOP_MAC [SOURCE_MAC]] (e.g. 'datalink eth0' or "
                + "'datalink eth0 02:00:00:00:00:01'), or kernel "
                + "[LOCAL_ADDRESS ...] (e.g. 'kernel' or 'kernel 10.0.0.5 10.0.0.6'))");
        assertThatThrownBy(() -> TransportSpec.parse("datalink")).hasMessageContaining("expected: raw-ip, "
                + "datalink");
        assertThatThrownBy(() -> TransportSpec.parse("datalink eth0 02:00:00:00:00:01 02:00:00:00:00:02 x"))
                .hasMessageContaining("expected: raw-ip, datalink");
        assertThatThrownBy(() -> TransportSpec.parse("datalink eth0 zz:00:00:00:00:01"))
                .hasMessageContaining("next-hop MAC: 'zz:00:00:00:00:01' (expected: six hex bytes");
    }

    @Test
    void shouldReadTheLocalAddressesWhenKernel() throws Exception {
        assertThat(TransportSpec.parse("kernel")).isEqualTo(TransportSpec.KERNEL);
        assertThat(TransportSpec.KERNEL.kernel()).isTrue();
        assertThat(TransportSpec.KERNEL.localAddresses()).isEmpty();
        TransportSpec bound = TransportSpec.parse(" Kernel 10.0.0.5, 10.0.0.6 2001:db8::7 ");
        assertThat(bound.kernel()).isTrue();
        assertThat(bound.datalink()).isFalse();
        assertThat(bound.localAddresses()).containsExactly(InetAddress.getByName("10.0.0.5"),
                InetAddress.getByName("10.0.0.6"), InetAddress.getByName("2001:db8::7"));
        assertThat(bound).hasToString("kernel 10.0.0.5 10.0.0.6 2001:db8:0:0:0:0:0:7");
        assertThat(TransportSpec.parse(bound.toString())).isEqualTo(bound);
    }

    @Test
    void shouldRejectNamesAndRepeatsWhenKernelLocalAddressesAreWrong() {
        assertThatThrownBy(() -> TransportSpec.parse("kernel replayer.example"))
                .hasMessage("transport: 'kernel replayer.example': local address 'replayer.example' (expected: an "
                        + "IPv4 or IPv6 address of this host, not a name)");
        assertThatThrownBy(() -> TransportSpec.parse("kernel 10.0.0.5 10.0.0.5"))
                .hasMessageContaining("local address 10.0.0.5 twice (expected: each address once)");
    }
}
