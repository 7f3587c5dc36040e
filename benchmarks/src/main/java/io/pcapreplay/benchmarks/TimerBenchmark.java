package io.pcapreplay.benchmarks;

import io.pcapreplay.tcp.TimerWheel;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The engine's timer pattern: many connections, each re-arming its one timer on every packet (RTO, delayed ACK,
 * think time), while time moves on and due timers fire. {@link TimerWheel} against a {@link PriorityQueue} with lazy
 * cancellation (the reference: how a scheduled executor keeps its tasks).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TimerBenchmark {

    private static final long MS = 1_000_000L;

    @Param("100000")
    public int connections;

    private static final class Connection extends TimerWheel.Node {
        long generation;
    }

    private static final class Entry {
        final Connection connection;
        final long deadline;
        final long generation;

        Entry(Connection connection, long deadline, long generation) {
            this.connection = connection;
            this.deadline = deadline;
            this.generation = generation;
        }
    }

    private Connection[] nodes;
    private TimerWheel wheel;
    private PriorityQueue<Entry> queue;
    private SplittableRandom random;
    private long now;
    private long fired;

    @Setup(Level.Iteration)
    public void setUp() {
        random = new SplittableRandom(1);
        nodes = new Connection[connections];
        wheel = new TimerWheel(MS, 4096, 0);
        queue = new PriorityQueue<>(connections, (a, b) -> Long.compare(a.deadline, b.deadline));
        for (int i = 0; i < connections; i++) {
            nodes[i] = new Connection();
            long deadline = 1 + random.nextInt(200) * MS;
            wheel.schedule(nodes[i], deadline);
            queue.add(new Entry(nodes[i], deadline, 0));
        }
        now = 0;
    }

    /** One packet: re-arm one connection's timer; every 64 packets the clock moves 0.1 ms and due timers fire. */
    @Benchmark
    public long timerWheel() {
        Connection connection = nodes[random.nextInt(connections)];
        wheel.schedule(connection, now + 1 + random.nextInt(200) * MS);
        if ((random.nextInt() & 63) == 0) {
            now += MS / 10;
            wheel.advance(now, (node, at) -> {
                fired++;
                wheel.schedule(node, at + 200 * MS);
            });
        }
        return fired;
    }

    /** The same work on a priority queue: re-arming adds an entry and leaves the old one to be skipped. */
    @Benchmark
    public long priorityQueue() {
        Connection connection = nodes[random.nextInt(connections)];
        connection.generation++;
        queue.add(new Entry(connection, now + 1 + random.nextInt(200) * MS, connection.generation));
        if ((random.nextInt() & 63) == 0) {
            now += MS / 10;
            while (!queue.isEmpty() && queue.peek().deadline <= now) {
                Entry entry = queue.poll();
                if (entry.generation == entry.connection.generation) {
                    fired++;
                    entry.connection.generation++;
                    queue.add(new Entry(entry.connection, now + 200 * MS, entry.connection.generation));
                }
            }
        }
        return fired;
    }
}
