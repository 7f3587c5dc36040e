package io.pcapreplay.lab.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a CSV JTL holds, in a few lines: samples, errors, p50/p95 of elapsed and latency, samples and errors per
 * label, and the most frequent failure.
 *
 * @param samples the number of samples
 * @param errors the samples with success false
 * @param elapsed p50 and p95 of elapsed (ms)
 * @param latency p50 and p95 of latency (ms)
 * @param labels per label: samples and errors
 * @param firstFailure the first failed sample's label, response code and message, or empty
 */
public record JtlSummary(int samples, int errors, long[] elapsed, long[] latency, Map<String, int[]> labels,
        String firstFailure) {

    /** Reads a CSV JTL (header line first). */
    public static JtlSummary read(Path jtl) throws IOException {
        return of(JtlRows.read(jtl));
    }

    /** Summarizes JTL rows (column name -> value). */
    public static JtlSummary of(List<Map<String, String>> rows) {
        long[] elapsed = new long[rows.size()];
        long[] latency = new long[rows.size()];
        Map<String, int[]> labels = new TreeMap<>();
        int errors = 0;
        String firstFailure = "";
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            elapsed[i] = number(row.get("elapsed"));
            latency[i] = number(row.get("Latency"));
            int[] counts = labels.computeIfAbsent(String.valueOf(row.get("label")), label -> new int[2]);
            counts[0]++;
            if (!"true".equals(row.get("success"))) {
                errors++;
                counts[1]++;
                if (firstFailure.isEmpty()) {
                    firstFailure = row.get("label") + ": " + row.get("responseCode") + " "
                        + row.getOrDefault("failureMessage", row.get("responseMessage"));
                }
            }
        }
        return new JtlSummary(rows.size(), errors, percentiles(elapsed), percentiles(latency), labels,
            firstFailure);
    }

    /** Prints the summary. */
    public void print(PrintStream out) {
        out.printf("samples %d, errors %d (%.1f %%)%n", samples, errors,
            samples == 0 ? 0.0 : 100.0 * errors / samples);
        out.printf("elapsed p50 %d ms, p95 %d ms; latency (first byte) p50 %d ms, p95 %d ms%n", elapsed[0],
            elapsed[1], latency[0], latency[1]);
        labels.forEach((label, counts) -> out.printf("  %-22s %6d samples, %d errors%n", label, counts[0],
            counts[1]));
        if (!firstFailure.isEmpty()) {
            out.println("first failure: " + firstFailure);
        }
    }

    /** Nearest-rank p50 and p95; zeros when there are no values. */
    static long[] percentiles(long[] values) {
        if (values.length == 0) {
            return new long[] {0, 0};
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return new long[] {rank(sorted, 50), rank(sorted, 95)};
    }

    private static long rank(long[] sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static long number(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
