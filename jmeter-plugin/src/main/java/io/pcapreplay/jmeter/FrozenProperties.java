package io.pcapreplay.jmeter;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.jmeter.testelement.TestElement;
import org.apache.jmeter.testelement.property.FunctionProperty;
import org.apache.jmeter.testelement.property.JMeterProperty;
import org.apache.jmeter.testelement.property.PropertyIterator;
import org.apache.jmeter.testelement.property.StringProperty;

/**
 * Freezes a running element's function-valued properties ({@code ${__P(...)}} and the like) to their current values.
 * JMeter evaluates every function of a TestBean's properties again before each sample (it prepares the bean and then
 * drops the cached values); an engine-driven publisher reads its settings once, so that work is wasted on it: it was
 * two fifths of the publishing threads' CPU in the throughput benchmark (JFR). Only the calling thread's copy of the
 * element changes.
 */
final class FrozenProperties {

    private FrozenProperties() {
    }

    /**
     * Replaces each function property of the running {@code element} by a string property holding its value now; the
     * element stays a running version (its other properties are restored after each sample as before).
     *
     * @return the number of properties frozen
     */
    static int freeze(TestElement element) {
        Map<String, String> values = new LinkedHashMap<>();
        for (PropertyIterator properties = element.propertyIterator(); properties.hasNext(); ) {
            JMeterProperty property = properties.next();
            if (property instanceof FunctionProperty) {
                values.put(property.getName(), property.getStringValue());
            }
        }
        if (values.isEmpty()) {
            return 0;
        }
        boolean running = element.isRunningVersion();
        element.setRunningVersion(false);
        values.forEach((name, value) -> element.setProperty(new StringProperty(name, value)));
        element.setRunningVersion(running);
        return values.size();
    }
}
