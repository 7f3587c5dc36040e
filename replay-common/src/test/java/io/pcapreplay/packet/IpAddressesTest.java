package io.pcapreplay.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class IpAddressesTest {

    @Test
    void shouldCompressLongestZeroRunWhenFormattingIpv6() throws UnknownHostException {
        assertThat(IpAddresses.format(InetAddress.getByName("::1"))).isEqualTo("::1");
        assertThat(IpAddresses.format(InetAddress.getByName("2001:2::1"))).isEqualTo("2001:2::1");
        assertThat(IpAddresses.format(InetAddress.getByName("2001:0:0:1:0:0:0:5"))).isEqualTo("2001:0:0:1::5");
        assertThat(IpAddresses.format(InetAddress.getByName("fe80::"))).isEqualTo("fe80::");
        assertThat(IpAddresses.format(InetAddress.getByName("1:2:3:4:5:6:7:8"))).isEqualTo("1:2:3:4:5:6:7:8");
        assertThat(IpAddresses.formatV6(0, 1)).isEqualTo("::1");
    }

    @Test
    void shouldFormatMappedFormAsIpv4WhenAddressIsV4Mapped() {
        int address = 0xC612_0001;

        assertThat(IpAddresses.isV4Mapped(0, IpAddresses.v4MappedLow(address))).isTrue();
        assertThat(IpAddresses.format(0, IpAddresses.v4MappedLow(address))).isEqualTo("198.18.0.1");
        assertThat(IpAddresses.toInetAddress(address).getHostAddress()).isEqualTo("198.18.0.1");
    }
}
