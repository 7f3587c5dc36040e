package io.pcapreplay.benchmarks;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks and prints each of ours against its reference as a ratio, both measured in this run.
 * Usage: {@code scripts/bench-micro.sh [quick]}.
 */
public final class BenchmarkMain {

    private static final String[][] PAIRS = {
        {"PacketDecodeBenchmark.ipTcpView", "PacketDecodeBenchmark.pcap4jPacket", "decode a captured TCP frame"},
        {"TimerBenchmark.timerWheel", "TimerBenchmark.priorityQueue", "re-arm a connection timer"},
        {"ConnectionLookupBenchmark.connectionTable", "ConnectionLookupBenchmark.hashMap",
            "find a connection among 1,000,000"},
        {"HttpRewriteBenchmark.rewrite", "HttpRewriteBenchmark.copySession", "rewrite a 3-request HTTP session"},
    };

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws RunnerException {
        boolean quick = args.length > 0 && args[0].equals("quick");
        Options options = new OptionsBuilder()
                .include("io\\.pcapreplay\\.benchmarks\\..*Benchmark")
                .forks(1)
                .warmupIterations(quick ? 1 : 3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 2 : 5)
                .measurementTime(TimeValue.seconds(1))
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, double[]> scores = new TreeMap<>();
        for (RunResult result : results) {
            String label = result.getParams().getBenchmark();
            String name = label.substring(label.lastIndexOf('.', label.lastIndexOf('.') - 1) + 1);
            scores.put(name, new double[] {result.getPrimaryResult().getScore(),
                result.getPrimaryResult().getScoreError()});
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-36s %14s %14s %8s%n", "operation", "ours (ns/op)", "reference", "ratio");
        for (String[] pair : PAIRS) {
            double[] ours = scores.get(pair[0]);
            double[] reference = scores.get(pair[1]);
            if (ours != null && reference != null) {
                System.out.printf(Locale.ROOT, "%-36s %8.1f ±%4.1f %8.1f ±%4.1f %7.1fx%n", pair[2], ours[0], ours[1],
                        reference[0], reference[1], reference[0] / ours[0]);
            }
        }
        System.out.println("ratio = reference time / our time, both measured in this run (higher is better)");
    }
}
