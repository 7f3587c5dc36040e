package io.pcapreplay.agent.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.protocol.AddressRange;
import io.pcapreplay.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RouterTest {

    private static final String[] OWNERS = new String[50];

    static {
        for (int i = 0; i < OWNERS.length; i++) {
            OWNERS[i] = "o" + i;
        }
    }

    private final Router<String> router = new Router<>(8);

    @Test
    void shouldRouteToOwnerWhenDestinationIsInsideItsRange() {
        assertThat(register("a", "198.18.0.0/24", "2001:2::/64")).isNull();
        assertThat(register("b", "198.18.1.0/24")).isNull();

        assertThat(router.route(ipv4To(198, 18, 0, 77), 0, 40)).isEqualTo("a");
        assertThat(router.route(ipv4To(198, 18, 1, 255), 0, 40)).isEqualTo("b");
        assertThat(router.route(ipv4To(198, 18, 2, 0), 0, 40)).isNull();
        assertThat(router.route(ipv6To("2001:2::1234"), 0, 60)).isEqualTo("a");
        assertThat(router.route(ipv6To("2001:2:0:1::1"), 0, 60)).isNull();
    }

    @Test
    void shouldRefuseRangeWhenAnotherOwnerHoldsAnOverlappingOne() {
        register("a", "198.18.0.0/16");

        Router.Refusal refusal = register("b", "198.18.5.0/24");

        assertThat(refusal.code()).isEqualTo(ErrorCode.RANGE_OWNED);
        assertThat(refusal.text()).contains("198.18.5.0/24", "198.18.0.0/16", "'a'");
        assertThat(router.route(ipv4To(198, 18, 5, 1), 0, 40)).isEqualTo("a");
    }

    @Test
    void shouldMergeNestedRangesWhenTheSameOwnerRegistersThem() {
        assertThat(register("a", "198.18.0.0/16", "198.18.7.0/24", "198.18.0.0/16")).isNull();

        assertThat(router.rangesOf("a")).hasSize(2);
        assertThat(router.route(ipv4To(198, 18, 7, 7), 0, 40)).isEqualTo("a");
        assertThat(router.route(ipv4To(198, 18, 200, 7), 0, 40)).isEqualTo("a");
    }

    @Test
    void shouldFreeRangesWhenOwnerUnregistersOrLeaves() {
        register("a", "198.18.0.0/24", "198.18.1.0/24");

        assertThat(router.unregister("a", List.of(AddressRange.parse("198.18.0.0/24")))).isNull();
        assertThat(router.unregister("a", List.of(AddressRange.parse("198.18.9.0/24"))).code())
                .isEqualTo(ErrorCode.NOT_REGISTERED);
        assertThat(router.route(ipv4To(198, 18, 0, 1), 0, 40)).isNull();
        assertThat(router.route(ipv4To(198, 18, 1, 1), 0, 40)).isEqualTo("a");

        router.removeOwner("a");

        assertThat(router.route(ipv4To(198, 18, 1, 1), 0, 40)).isNull();
        assertThat(register("b", "198.18.0.0/15")).isNull();
    }

    @Test
    void shouldRefuseWhenOwnerExceedsMaxRanges() {
        List<String> ranges = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            ranges.add("198.18." + i + ".0/24");
        }

        assertThat(register("a", ranges.toArray(String[]::new)).code()).isEqualTo(ErrorCode.TOO_MANY_RANGES);
        assertThat(router.rangesOf("a")).isEmpty();
    }

    @Test
    void shouldMatchLinearScanWhenManyOwnersHoldRandomRanges() {
        Router<String> big = new Router<>(1000);
        Random random = new Random(1);
        List<AddressRange> all = new ArrayList<>();
        for (int owner = 0; owner < 50; owner++) {
            for (int i = 0; i < 10; i++) {
                int prefix = 24 + random.nextInt(2) * 4;
                int last = prefix == 24 ? 0 : random.nextInt(16) << 4;
                AddressRange range = new AddressRange(new byte[] {(byte) 198, (byte) (18 + random.nextInt(2)),
                        (byte) random.nextInt(256), (byte) last}, prefix);
                if (big.register(OWNERS[owner], List.of(range), name -> name) == null) {
                    all.add(range);
                }
            }
        }
        for (int probe = 0; probe < 20_000; probe++) {
            byte[] address = {(byte) 198, (byte) (18 + random.nextInt(2)), (byte) random.nextInt(256),
                    (byte) random.nextInt(256)};
            String expected = null;
            for (AddressRange range : all) {
                if (range.contains(address)) {
                    expected = ownerOf(big, range);
                }
            }
            assertThat(big.route(ipv4To(address[0], address[1], address[2], address[3]), 0, 40))
                    .as("probe %s", java.util.Arrays.toString(address)).isEqualTo(expected);
        }
    }

    private static String ownerOf(Router<String> router, AddressRange range) {
        for (int owner = 0; owner < 50; owner++) {
            if (router.rangesOf(OWNERS[owner]).contains(range)) {
                return OWNERS[owner];
            }
        }
        return null;
    }

    private Router.Refusal register(String owner, String... ranges) {
        List<AddressRange> parsed = new ArrayList<>();
        for (String range : ranges) {
            parsed.add(AddressRange.parse(range));
        }
        return router.register(owner, parsed, name -> "'" + name + "'");
    }

    static byte[] ipv4To(int a, int b, int c, int d) {
        byte[] packet = new byte[40];
        packet[0] = 0x45;
        packet[16] = (byte) a;
        packet[17] = (byte) b;
        packet[18] = (byte) c;
        packet[19] = (byte) d;
        return packet;
    }

    static byte[] ipv6To(String address) {
        byte[] packet = new byte[60];
        packet[0] = 0x60;
        System.arraycopy(AddressRange.parse(address).address(), 0, packet, 24, 16);
        return packet;
    }
}
