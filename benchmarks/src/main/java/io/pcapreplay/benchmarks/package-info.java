/**
 * JMH benchmarks of the hot code. Each benchmark class pairs our implementation with a reference doing the same
 * work the common way (pcap4j's packet objects, {@code java.util} collections), measured in the same run;
 * {@link io.pcapreplay.benchmarks.BenchmarkMain} prints the figures and their ratio.
 */
package io.pcapreplay.benchmarks;
