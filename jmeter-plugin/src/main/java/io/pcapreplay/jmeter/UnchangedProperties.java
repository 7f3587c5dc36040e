package io.pcapreplay.jmeter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.jmeter.testelement.TestElement;
import org.apache.jmeter.testelement.property.JMeterProperty;
import org.apache.jmeter.testelement.property.NullProperty;
import org.apache.jmeter.testelement.property.StringProperty;

/**
 * Writes a form's fields back into its element so that an unchanged field leaves the loaded property exactly as it
 * was (its type too: a boolProp stays a boolProp, an absent property stays absent), and a changed one becomes a
 * string property. JMeter compares the elements before and after to decide whether a plan needs saving.
 */
final class UnchangedProperties {

    private final TestElement element;
    private final Map<String, JMeterProperty> loaded;

    /**
     * @param element the element being written (already cleared by JMeter)
     * @param loaded its properties before, from {@link #snapshot}
     */
    UnchangedProperties(TestElement element, Map<String, JMeterProperty> loaded) {
        this.element = element;
        this.loaded = loaded;
    }

    /** Returns copies of the named properties the element holds now (absent ones are left out). */
    static Map<String, JMeterProperty> snapshot(TestElement element, List<String> names) {
        Map<String, JMeterProperty> properties = new HashMap<>();
        for (String name : names) {
            JMeterProperty property = element.getProperty(name);
            if (!(property instanceof NullProperty)) {
                properties.put(name, property.clone());
            }
        }
        return properties;
    }

    /**
     * @param name the property
     * @param value what the field shows
     * @param defaultValue what the form shows when the property is absent
     */
    void write(String name, String value, String defaultValue) {
        JMeterProperty before = loaded.get(name);
        if (before != null && before.getStringValue().equals(value)) {
            element.setProperty(before.clone());
        } else if (before != null || !value.equals(defaultValue)) {
            element.setProperty(new StringProperty(name, value));
        }
    }
}
