package io.pcapreplay.benchmarks;

import io.pcapreplay.tcp.ConnectionTable;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Finding the connection of an incoming packet by its packed fake-client address and port, among many open
 * connections: {@link ConnectionTable} against a {@code HashMap<Long, Object>} (the reference).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ConnectionLookupBenchmark {

    @Param("1000000")
    public int connections;

    private long[] keys;
    private ConnectionTable<Object> table;
    private Map<Long, Object> map;
    private SplittableRandom random;

    @Setup
    public void setUp() {
        random = new SplittableRandom(3);
        keys = new long[connections];
        table = new ConnectionTable<>(connections);
        map = new HashMap<>(connections * 2);
        Object value = new Object();
        for (int i = 0; i < connections; i++) {
            // 198.18.0.0/15, ip-first: consecutive addresses, then the next port
            keys[i] = ConnectionTable.ipv4Key(0xC612_0001 + i % 131_000, 1024 + i / 131_000);
            table.put(keys[i], value);
            map.put(keys[i], value);
        }
    }

    @Benchmark
    public Object connectionTable() {
        return table.get(keys[random.nextInt(connections)]);
    }

    @Benchmark
    public Object hashMap() {
        return map.get(keys[random.nextInt(connections)]);
    }
}
