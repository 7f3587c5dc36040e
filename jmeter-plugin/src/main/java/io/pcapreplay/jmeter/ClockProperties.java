package io.pcapreplay.jmeter;

import io.pcapreplay.net.AgentClock;
import io.pcapreplay.net.ClockOffset;
import io.pcapreplay.net.ReplayRuntime;
import org.apache.jmeter.util.JMeterUtils;

/**
 * Publishes the agent clock's offset estimate as JMeter properties, for listeners, reports and scripts (e.g.
 * {@code ${__P(pcapreplay.clockOffsetMicros)}}): {@value #OFFSET} (agent minus replayer, µs), {@value #UNCERTAINTY}
 * (µs) and {@value #FROM_WIRE} ({@code true} when samples are timed from the agent's capture timestamps,
 * {@code false} when at local receive time). Set when a runtime is acquired; absent without an agent.
 */
final class ClockProperties {

    /** Property: the estimated offset, agent clock minus replayer clock, in microseconds. */
    static final String OFFSET = "pcapreplay.clockOffsetMicros";
    /** Property: the estimate's uncertainty (+/-), in microseconds. */
    static final String UNCERTAINTY = "pcapreplay.clockUncertaintyMicros";
    /** Property: whether samples are timed from the agent's capture timestamps. */
    static final String FROM_WIRE = "pcapreplay.clockTimedFromWire";

    private ClockProperties() {
    }

    /** Sets the properties from the runtime's agent clock (nothing without an agent). */
    static void publish(ReplayRuntime runtime) {
        AgentClock clock = runtime.agentClock();
        if (clock == null) {
            return;
        }
        ClockOffset estimate = clock.estimate();
        JMeterUtils.setProperty(FROM_WIRE, Boolean.toString(clock.trusted()));
        if (estimate != null) {
            JMeterUtils.setProperty(OFFSET, Long.toString(Math.round(estimate.offsetNanos() / 1e3)));
            JMeterUtils.setProperty(UNCERTAINTY, Long.toString(Math.round(estimate.uncertaintyNanos() / 1e3)));
        }
    }
}
