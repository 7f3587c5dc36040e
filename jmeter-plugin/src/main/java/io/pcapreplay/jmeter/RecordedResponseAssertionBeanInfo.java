package io.pcapreplay.jmeter;

import java.beans.PropertyDescriptor;
import org.apache.jmeter.testbeans.BeanInfoSupport;
import org.apache.jmeter.testbeans.gui.TextAreaEditor;

/** Describes the {@link RecordedResponseAssertion} form (texts in RecordedResponseAssertionResources.properties). */
public class RecordedResponseAssertionBeanInfo extends BeanInfoSupport {

    /** Builds the groups and fields. */
    public RecordedResponseAssertionBeanInfo() {
        super(RecordedResponseAssertion.class);
        createPropertyGroup("compare", new String[] {"compareStatus", "headers", "bodyMode"});
        createPropertyGroup("ignore", new String[] {"ignoreRegexes", "ignoreJsonPaths"});
        choice("compareStatus", "true", "true", "false");
        PropertyDescriptor headers = property("headers");
        headers.setValue(NOT_UNDEFINED, Boolean.TRUE);
        headers.setValue(DEFAULT, "Content-Type");
        choice("bodyMode", "exact", "exact", "json", "none");
        textArea("ignoreRegexes");
        textArea("ignoreJsonPaths");
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
