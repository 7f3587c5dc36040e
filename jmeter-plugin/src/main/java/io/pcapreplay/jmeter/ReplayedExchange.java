package io.pcapreplay.jmeter;

import io.pcapreplay.pcap.Exchange;
import io.pcapreplay.tcp.ExchangeResult;
import org.apache.jmeter.threads.JMeterVariables;

/**
 * The recorded exchange behind the sample just made, kept in the sampling thread's JMeter variables (object
 * {@value #VARIABLE}) for the assertions and post-processors that run on that sample, such as the
 * {@link RecordedResponseAssertion}.
 *
 * @param recorded the recorded exchange (its request as sent, its recorded response)
 * @param bytesReceived the replayed response's length on the wire
 * @param bytesKept how many of them the sample holds (the sampler's "Response bytes to keep")
 */
public record ReplayedExchange(Exchange recorded, long bytesReceived, int bytesKept) {

    /** The variables object holding it. */
    public static final String VARIABLE = "pcapreplay.exchange";

    /**
     * Keeps the exchange of a sample in the variables.
     *
     * @param variables the sampling thread's variables (nothing is kept when null)
     * @param recorded the recorded exchange
     * @param result the replayed one
     */
    static void remember(JMeterVariables variables, Exchange recorded, ExchangeResult result) {
        if (variables != null) {
            variables.putObject(VARIABLE, new ReplayedExchange(recorded, result.bytesReceived(),
                result.keptLength()));
        }
    }

    /**
     * Returns the exchange kept in the variables, or null.
     *
     * @param variables the variables
     * @return the exchange, or null
     */
    public static ReplayedExchange find(JMeterVariables variables) {
        return variables != null && variables.getObject(VARIABLE) instanceof ReplayedExchange exchange ? exchange
            : null;
    }

    /** Tells whether the sample holds less than the whole replayed response: whether it was cut. */
    public boolean cut() {
        return bytesKept < bytesReceived;
    }
}
