package io.pcapreplay.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientAddressPoolTest {

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    private static String endpoint(ClientAddressPool pool, long packed) {
        return pool.address(ClientAddressPool.addressIndex(packed)).getHostAddress() + ":"
                + ClientAddressPool.port(packed);
    }

    @Test
    void shouldUseHostAddressesOnlyWhenGivenAWildcard() {
        ClientAddressPool pool = ClientAddressPool.parse("198.18.1.*", List.of(), AddressAllocation.IP_FIRST, 1);
        assertThat(pool.addressCount()).isEqualTo(254);
        assertThat(pool.address(0).getHostAddress()).isEqualTo("198.18.1.1");
        assertThat(pool.address(253).getHostAddress()).isEqualTo("198.18.1.254");
        assertThat(pool.cidrs()).containsExactly("198.18.1.1/32", "198.18.1.2/31", "198.18.1.4/30", "198.18.1.8/29",
                "198.18.1.16/28", "198.18.1.32/27", "198.18.1.64/26", "198.18.1.128/26", "198.18.1.192/27",
                "198.18.1.224/28", "198.18.1.240/29", "198.18.1.248/30", "198.18.1.252/31", "198.18.1.254/32");
    }

    @Test
    void shouldParseCidrIntervalsAndSingleAddressesTogether() {
        ClientAddressPool pool = ClientAddressPool.parse(
                "198.18.0.0/16, 198.19.5.10-198.19.5.19 198.19.6.1-4,198.19.7.7",
                List.of(), AddressAllocation.IP_FIRST, 1);
        assertThat(pool.addressCount()).isEqualTo(65534 + 10 + 4 + 1);
        assertThat(pool.address(65534).getHostAddress()).isEqualTo("198.19.5.10");
        assertThat(pool.address(65534 + 10).getHostAddress()).isEqualTo("198.19.6.1");
        assertThat(pool.address(65534 + 14).getHostAddress()).isEqualTo("198.19.7.7");
        assertThat(pool.capacity()).isEqualTo(pool.addressCount() * (65535 - 1024 + 1));
    }

    @Test
    void shouldNeverHandOutTheTargetAddress() throws Exception {
        ClientAddressPool pool = ClientAddressPool.parse("198.18.1.1-198.18.1.3", List.of(ip("198.18.1.2")),
                AddressAllocation.PORT_FIRST, 1000, 1009, 5);
        Set<String> addresses = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            addresses.add(pool.address(ClientAddressPool.addressIndex(pool.next())).getHostAddress());
        }
        assertThat(addresses).containsExactlyInAnyOrder("198.18.1.1", "198.18.1.3");
        assertThat(pool.cidrs()).containsExactly("198.18.1.1/32", "198.18.1.3/32");
    }

    @Test
    void shouldVisitEveryEndpointOnceBeforeRepeatingWhenWalkingIpFirst() {
        ClientAddressPool pool = ClientAddressPool.parse("198.18.1.1-198.18.1.5", List.of(), AddressAllocation.IP_FIRST,
                2000, 2003, 99);
        Set<String> seen = new HashSet<>();
        String previousAddress = null;
        for (int i = 0; i < pool.capacity(); i++) {
            String endpoint = endpoint(pool, pool.next());
            assertThat(seen.add(endpoint)).as("endpoint %s handed out twice", endpoint).isTrue();
            String address = endpoint.substring(0, endpoint.indexOf(':'));
            assertThat(address).isNotEqualTo(previousAddress);
            previousAddress = address;
        }
        assertThat(seen).hasSize(20);
    }

    @Test
    void shouldKeepTheAddressWhileItHasPortsWhenWalkingPortFirst() {
        ClientAddressPool pool = ClientAddressPool.parse("198.18.1.1-198.18.1.2", List.of(),
                AddressAllocation.PORT_FIRST,
                3000, 3009, 1);
        int changes = 0;
        long previous = -1;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            long packed = pool.next();
            long index = ClientAddressPool.addressIndex(packed);
            if (previous >= 0 && index != previous) {
                changes++;
            }
            previous = index;
            seen.add(endpoint(pool, packed));
        }
        // 2 addresses x 10 ports: a random start lands mid-way through one address, so at most 2 changes
        assertThat(changes).isBetween(1, 2);
        assertThat(seen).hasSize(20);
    }

    @Test
    void shouldStartElsewhereWhenTheSeedChanges() {
        Set<Long> firsts = new HashSet<>();
        for (long seed = 0; seed < 10; seed++) {
            firsts.add(ClientAddressPool.parse("198.18.0.0/16", List.of(), AddressAllocation.IP_FIRST, seed).next());
        }
        assertThat(firsts).hasSizeGreaterThan(5);
    }

    @Test
    void shouldHandOutIpv6AddressesFromAPrefix() {
        ClientAddressPool pool = ClientAddressPool.parse("2001:2:0:ff00::/120", List.of(),
                AddressAllocation.IP_FIRST, 1);
        assertThat(pool.ipv6()).isTrue();
        assertThat(pool.addressCount()).isEqualTo(255);
        assertThat(pool.address(0).getHostAddress()).isEqualTo("2001:2:0:ff00:0:0:0:1");
        byte[] raw = new byte[16];
        pool.ipv6(254, raw, 0);
        assertThat(raw[15] & 0xFF).isEqualTo(255);
        assertThat(ClientAddressPool.parse("2001:2:0:ff00::/64", List.of(), AddressAllocation.IP_FIRST, 1)
                .addressCount()).isEqualTo(ClientAddressPool.MAX_IPV6_ADDRESSES);
    }

    @Test
    void shouldExplainWhatIsWrongWhenTheSpecIsBad() {
        assertThatThrownBy(() -> ClientAddressPool.parse("", List.of(), AddressAllocation.IP_FIRST, 1))
                .hasMessageStartingWith("client addresses: empty (expected:");
        assertThatThrownBy(() -> ClientAddressPool.parse("198.18.1.1,2001:2::1", List.of(),
                AddressAllocation.IP_FIRST, 1))
                .hasMessageContaining("mixes IPv4 and IPv6");
        assertThatThrownBy(() -> ClientAddressPool.parse("198.18.0.0/4", List.of(), AddressAllocation.IP_FIRST, 1))
                .hasMessageContaining("prefix length 4 (expected: 8 to 32 for IPv4)");
        assertThatThrownBy(() -> ClientAddressPool.parse("target.example", List.of(), AddressAllocation.IP_FIRST, 1))
                .hasMessageContaining("'target.example': not an IP address");
        assertThatThrownBy(() -> ClientAddressPool.parse("198.18.*.1", List.of(), AddressAllocation.IP_FIRST, 1))
                .hasMessageContaining("wildcards only at the end");
        assertThatThrownBy(() -> ClientAddressPool.parse("198.18.1.9-3", List.of(), AddressAllocation.IP_FIRST, 1))
                .hasMessageContaining("empty interval");
        assertThatThrownBy(() -> AddressAllocation.parse("random"))
                .hasMessage("address allocation: 'random' (expected: ip-first or port-first)");
        assertThat(AddressAllocation.parse("port-first")).isEqualTo(AddressAllocation.PORT_FIRST);
    }
}
