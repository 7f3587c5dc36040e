package io.pcapreplay.jmeter;

import java.beans.PropertyDescriptor;
import org.apache.jmeter.testbeans.BeanInfoSupport;
import org.apache.jmeter.testbeans.gui.FileEditor;
import org.apache.jmeter.testbeans.gui.TextAreaEditor;

/** Describes the {@link PcapSessionSampler} form (texts in PcapSessionSamplerResources.properties). */
public class PcapSessionSamplerBeanInfo extends BeanInfoSupport {

    /** Builds the groups and fields. */
    public PcapSessionSamplerBeanInfo() {
        super(PcapSessionSampler.class);
        createPropertyGroup("target", new String[] {"targetHost", "targetPort", "targetMap"});
        createPropertyGroup("agent", new String[] {"agentAddress", "tokenFile", "clientAddresses", "transport"});
        createPropertyGroup("replay", new String[] {"speedFactor", "requestRate", "connectTimeout",
            "responseTimeout", "idleTimeout", "comet"});
        createPropertyGroup("http", new String[] {"httpRules"});
        createPropertyGroup("sample", new String[] {"responseBytes", "labelStyle", "labelPaths", "sessionParent"});
        text("targetHost", "");
        text("targetPort", "0");
        text("targetMap", "");
        text("agentAddress", "");
        text("tokenFile", "");
        property("tokenFile").setPropertyEditorClass(FileEditor.class); // a text field with a Browse... button
        text("clientAddresses", "198.18.1.*");
        choice("transport", PcapSessionSampler.RAW_IP, PcapSessionSampler.RAW_IP, PcapSessionSampler.KERNEL);
        text("speedFactor", "1");
        text("requestRate", "0");
        textArea("httpRules");
        text("labelPaths", "");
        text("connectTimeout", "10000");
        text("responseTimeout", "30000");
        text("idleTimeout", "30000");
        flag("comet", false);
        text("responseBytes", "65536");
        choice("labelStyle", "request-line", "request-line", "request-path", "port-and-index", "sampler-name");
        flag("sessionParent", false);
    }

    private void text(String name, String defaultValue) {
        PropertyDescriptor descriptor = property(name);
        descriptor.setValue(NOT_UNDEFINED, Boolean.TRUE);
        descriptor.setValue(DEFAULT, defaultValue);
    }

    /** A boolean: JMeter's True/False choice, saved as a boolProp (a ${...} expression is allowed too). */
    private void flag(String name, boolean defaultValue) {
        PropertyDescriptor descriptor = property(name);
        descriptor.setValue(NOT_UNDEFINED, Boolean.TRUE);
        descriptor.setValue(DEFAULT, defaultValue);
    }

    private void textArea(String name) {
        PropertyDescriptor descriptor = property(name);
        descriptor.setPropertyEditorClass(TextAreaEditor.class);
        descriptor.setValue(NOT_UNDEFINED, Boolean.TRUE);
        descriptor.setValue(DEFAULT, "");
    }

    private void choice(String name, String defaultValue, String... tags) {
        PropertyDescriptor descriptor = property(name);
        descriptor.setValue(NOT_UNDEFINED, Boolean.TRUE);
        descriptor.setValue(DEFAULT, defaultValue);
        descriptor.setValue(TAGS, tags);
    }
}
