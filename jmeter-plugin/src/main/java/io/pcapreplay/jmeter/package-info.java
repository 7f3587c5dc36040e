/**
 * The JMeter elements, the only package importing JMeter: {@link io.pcapreplay.jmeter.PcapReplayThreadGroup} (reads
 * the captures, hands sessions to users, one loop iteration = one session) with its GUI, and the TestBean
 * {@link io.pcapreplay.jmeter.PcapSessionSampler} (one sample per replayed request/response exchange, built by
 * {@link io.pcapreplay.jmeter.ExchangeSamples}).
 */
package io.pcapreplay.jmeter;
