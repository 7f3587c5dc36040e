package io.pcapreplay.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class TargetMapTest {

    @Test
    void shouldMapRecordedPortsToTargetsWhenGivenEntries() {
        TargetMap map = TargetMap.parse(" 80=198.19.1.2:8080 , 6379=198.19.1.5");

        InetSocketAddress web = map.forPort(80);
        assertThat(web.getAddress().getHostAddress()).isEqualTo("198.19.1.2");
        assertThat(web.getPort()).isEqualTo(8080);
        assertThat(map.forPort(6379).getPort()).as("no port: the recorded one").isZero();
        assertThat(map.forPort(443)).isNull();
        assertThat(TargetMap.parse("  ")).isEqualTo(TargetMap.EMPTY);
        assertThat(TargetMap.parse("80=198.19.1.2:8080")).isEqualTo(TargetMap.parse("80 = 198.19.1.2:8080"));
    }

    @Test
    void shouldExplainTheSyntaxWhenAnEntryIsWrong() {
        assertThatThrownBy(() -> TargetMap.parse("198.19.1.2")).hasMessage("target map entry: '198.19.1.2' "
                + "(expected: recorded port=target[:port], comma separated, e.g. '80=198.19.1.2:8080, "
                + "6379=198.19.1.5, 443=[2001:2:0:1::2]:8443')");
        assertThatThrownBy(() -> TargetMap.parse("http=198.19.1.2")).hasMessageContaining("port 'http'");
        assertThatThrownBy(() -> TargetMap.parse("80=198.19.1.2:99999")).hasMessageContaining("port '99999'");
        assertThatThrownBy(() -> TargetMap.parse("80=no.such.host.invalid"))
                .hasMessageContaining("host 'no.such.host.invalid' (expected: an IPv4 or IPv6 address or a "
                    + "resolvable name;");
        assertThatThrownBy(() -> TargetMap.parse("80=[2001:2:0:1::2]8080"))
                .hasMessageContaining("(expected: [IPv6 address] or [IPv6 address]:port;");
        assertThatThrownBy(() -> TargetMap.parse("80=[2001:2:0:1::2]:http")).hasMessageContaining("port 'http'");
        assertThatThrownBy(() -> TargetMap.parse("80=198.19.1.2, 80=198.19.1.3"))
                .hasMessageContaining("port 80 listed twice");
    }

    @Test
    void shouldTakeIpv6TargetsWhenBracketedWithAPortOrBareWithout() throws Exception {
        TargetMap map = TargetMap.parse("443=[2001:2:0:1::2]:8443, 22=2001:2:0:1::5, 80=[2001:2:0:1::6], "
                + "6379=198.19.1.5:6380");

        assertThat(map.forPort(443)).isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:2:0:1::2"), 8443));
        assertThat(map.forPort(22)).isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:2:0:1::5"), 0));
        assertThat(map.forPort(80)).isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:2:0:1::6"), 0));
        assertThat(map.forPort(6379)).isEqualTo(new InetSocketAddress(InetAddress.getByName("198.19.1.5"), 6380));
    }
}
