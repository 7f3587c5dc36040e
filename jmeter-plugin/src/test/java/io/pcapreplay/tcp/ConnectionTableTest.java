package io.pcapreplay.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConnectionTableTest {

    @Test
    void shouldFindWhatWasPutWhenKeysArePackedAddresses() {
        ConnectionTable<String> table = new ConnectionTable<>(4);
        long first = ConnectionTable.ipv4Key(0xC612_0001, 40000);
        long second = ConnectionTable.ipv4Key(0xC612_0001, 40001);
        table.put(first, "a");
        table.put(second, "b");
        assertThat(table.get(first)).isEqualTo("a");
        assertThat(table.get(second)).isEqualTo("b");
        assertThat(table.put(first, "c")).isEqualTo("a");
        assertThat(table.size()).isEqualTo(2);
        assertThat(table.remove(first)).isEqualTo("c");
        assertThat(table.get(first)).isNull();
        assertThat(table.remove(first)).isNull();
    }

    @Test
    void shouldPackAddressAndPortWithoutOverlap() {
        assertThat(ConnectionTable.ipv4Key(0xFFFF_FFFF, 0xFFFF)).isEqualTo(0xFFFF_FFFF_FFFFL);
        assertThat(ConnectionTable.ipv4Key(1, 0)).isEqualTo(0x1_0000L);
    }

    @Test
    void shouldAgreeWithHashMapUnderRandomChurn() {
        Random random = new Random(7);
        ConnectionTable<Long> table = new ConnectionTable<>(0);
        Map<Long, Long> model = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            // a small key space forces collisions, long probe chains and backward shifts
            long key = ConnectionTable.ipv4Key(0xC612_0000 + random.nextInt(64), 1024 + random.nextInt(64));
            if (random.nextBoolean()) {
                assertThat(table.put(key, (long) i)).isEqualTo(model.put(key, (long) i));
            } else {
                assertThat(table.remove(key)).isEqualTo(model.remove(key));
            }
            assertThat(table.size()).isEqualTo(model.size());
        }
        model.forEach((key, value) -> assertThat(table.get(key)).isEqualTo(value));
        long[] sum = {0};
        table.forEachValue(value -> sum[0] += value);
        assertThat(sum[0]).isEqualTo(model.values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void shouldRejectTheReservedKeyAndNullValues() {
        ConnectionTable<String> table = new ConnectionTable<>(1);
        assertThatThrownBy(() -> table.put(0, "x")).hasMessageContaining("connection key: 0");
        assertThatThrownBy(() -> table.put(1, null)).hasMessageContaining("value: null");
    }

    @Test
    void shouldBeEmptyWhenCleared() {
        ConnectionTable<String> table = new ConnectionTable<>(1);
        for (int i = 1; i <= 100; i++) {
            table.put(i, "v" + i);
        }
        table.clear();
        assertThat(table.size()).isZero();
        assertThat(table.get(50)).isNull();
    }
}
