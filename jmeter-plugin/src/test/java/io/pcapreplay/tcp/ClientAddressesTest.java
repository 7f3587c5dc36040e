package io.pcapreplay.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {

    @Test
    void shouldHoldAPoolPerFamilyWhenTheSpecListsIpv4AndIpv6Ranges() throws Exception {
        ClientAddresses clients = ClientAddresses.parse(" 198.18.1.*, 2001:2:0:ff00::/120 198.18.2.7",
            List.of(InetAddress.getByName("198.18.1.9")), AddressAllocation.IP_FIRST, 1);

        assertThat(clients.has(false)).isTrue();
        assertThat(clients.has(true)).isTrue();
        assertThat(clients.pool(false).ipv6()).isFalse();
        assertThat(clients.pool(false).addressCount()).as("254 of 198.18.1.*, less .9, plus 198.18.2.7")
            .isEqualTo(254);
        assertThat(clients.pool(true).ipv6()).isTrue();
        assertThat(clients.pool(true).addressCount()).as("2001:2:0:ff00::/120 without the all-zero host")
            .isEqualTo(255);
        assertThat(clients.cidrs()).contains("198.18.2.7/32").anyMatch(cidr -> cidr.startsWith("2001:2:0:ff00:"));
    }

    @Test
    void shouldHoldOneFamilyWhenTheSpecListsOnlyThatFamily() {
        ClientAddresses clients = ClientAddresses.parse("2001:2:0:ff00::/120", List.of(), AddressAllocation.IP_FIRST,
            1);

        assertThat(clients.has(true)).isTrue();
        assertThat(clients.has(false)).isFalse();
        assertThat(clients.pool(false)).isNull();
        assertThat(ClientAddresses.lists("198.18.1.*, 2001:2:0:ff00::/120", true)).isTrue();
        assertThat(ClientAddresses.lists("198.18.1.*", true)).isFalse();
        assertThat(ClientAddresses.lists("198.18.1.*", false)).isTrue();
        assertThat(ClientAddresses.lists(" ", false)).isFalse();
    }

    @Test
    void shouldNameTheSettingTheFamilyAndTheServerWhenAFamilyHasNoRange() {
        ClientAddresses clients = ClientAddresses.parse("198.18.1.*", List.of(), AddressAllocation.IP_FIRST, 1);

        assertThat(clients.missingFamily("[2001:2:0:1::2]:80", true)).isEqualTo("client addresses: '198.18.1.*' has "
            + "no IPv6 range, needed to replay to the IPv6 server [2001:2:0:1::2]:80 (expected: an IPv6 range next to "
            + "the others, e.g. '198.18.1.*, 2001:2:0:ff00::/104'; or a target of the other family: an IPv4 address "
            + "as the target host or in the target map)");
        assertThat(ClientAddresses.parse("2001:2:0:ff00::/104", List.of(), AddressAllocation.IP_FIRST, 1)
            .missingFamily("198.19.1.2:80", false)).startsWith("client addresses: '2001:2:0:ff00::/104' has no IPv4 "
                + "range, needed to replay to the IPv4 server 198.19.1.2:80 (expected: an IPv4 range next to the "
                + "others, e.g. '2001:2:0:ff00::/104, 198.18.1.*'");
    }

    @Test
    void shouldFormatServersWithBracketsOnlyForIpv6WithAPort() throws Exception {
        assertThat(ClientAddresses.server(InetAddress.getByName("2001:2:0:1::2"), 80)).isEqualTo("[2001:2:0:1::2]:80");
        assertThat(ClientAddresses.server(InetAddress.getByName("2001:2:0:1::2"), 0)).isEqualTo("2001:2:0:1::2");
        assertThat(ClientAddresses.server(InetAddress.getByName("198.19.1.2"), 80)).isEqualTo("198.19.1.2:80");
    }

    @Test
    void shouldExplainTheBadRangeWhenOneItemIsWrong() {
        assertThatThrownBy(() -> ClientAddresses.parse("198.18.1.*, 2001:2:0:ff00::/9999", List.of(),
            AddressAllocation.IP_FIRST, 1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("2001:2:0:ff00::/9999").hasMessageContaining("expected");
        assertThatThrownBy(() -> ClientAddresses.parse(" ", List.of(), AddressAllocation.IP_FIRST, 1))
            .hasMessageStartingWith("client addresses: empty (expected:");
    }

    @Test
    void shouldKeepTheRecordedAddressesOfBothFamiliesWhenTheSpecIsOriginal() {
        ClientAddresses clients = ClientAddresses.parse(" Original ", List.of(), AddressAllocation.IP_FIRST, 1);

        assertThat(clients.original()).isTrue();
        assertThat(clients.has(false)).isTrue();
        assertThat(clients.has(true)).isTrue();
        assertThat(clients.pool(false)).as("no fake addresses").isNull();
        assertThat(clients.cidrs()).as("registered with the agent").containsExactly("0.0.0.0/0", "::/0");
        assertThat(ClientAddresses.lists("original", true)).isTrue();
        assertThat(ClientAddresses.lists("original", false)).isTrue();
    }

    @Test
    void shouldRegisterOnlyTheListedRangesWhenOriginalNamesWhereTheClientsAre() {
        ClientAddresses clients = ClientAddresses.parse("original 10.20.0.0/16, 198.18.250.0/24", List.of(),
            AddressAllocation.IP_FIRST, 1);

        assertThat(clients.original()).isTrue();
        assertThat(clients.cidrs()).containsExactly("10.20.0.0/16", "198.18.250.0/24");
        assertThat(clients.has(false)).isTrue();
        assertThat(clients.has(true)).isFalse();
        assertThat(ClientAddresses.lists("original 10.20.0.0/16", true)).isFalse();
        assertThat(ClientAddresses.parse("198.18.1.*", List.of(), AddressAllocation.IP_FIRST, 1).original()).isFalse();
        assertThatThrownBy(() -> ClientAddresses.parse("original 10.20.0.*", List.of(), AddressAllocation.IP_FIRST, 1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("client addresses: '10.20.0.*' after 'original' (expected: CIDR blocks where the "
                + "recorded clients are, e.g. 'original 10.20.0.0/16'): ");
    }
}
