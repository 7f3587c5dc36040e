package io.pcapreplay.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.jmeter.PcapReplayThreadGroup;
import io.pcapreplay.jmeter.PcapReplayThreadGroupGui;
import io.pcapreplay.jmeter.PcapSessionSampler;
import io.pcapreplay.jmeter.RecordedResponseAssertion;
import java.awt.Component;
import java.awt.Container;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.swing.AbstractButton;
import javax.swing.JComboBox;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.SwingUtilities;
import javax.swing.text.JTextComponent;
import org.apache.jmeter.control.LoopController;
import org.apache.jmeter.gui.JMeterGUIComponent;
import org.apache.jmeter.save.SaveService;
import org.apache.jmeter.testbeans.gui.TestBeanGUI;
import org.apache.jmeter.testelement.TestElement;
import org.apache.jmeter.testelement.property.JMeterProperty;
import org.apache.jmeter.testelement.property.PropertyIterator;
import org.apache.jmeter.testelement.property.TestElementProperty;
import org.apache.jmeter.util.JMeterUtils;
import org.apache.jorphan.collections.HashTree;
import org.apache.jorphan.collections.SearchByClass;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two forms as JMeter 5.6.3 uses them, without a display (the GUI under Xvfb is {@code GuiMenuPlanLabIT}): what
 * a group added from the menu starts with, that a plan opened and left unchanged is written back unchanged (JMeter's
 * "save changes?" check compares the elements), mode-dependent fields, and a tooltip on every field.
 */
class GuiFormsTest {

    @BeforeAll
    static void jmeter() throws Exception {
        Path home = JMeterLab.jmeterHome();
        JMeterUtils.setJMeterHome(home.toString());
        JMeterUtils.loadJMeterProperties(home.resolve("bin/jmeter.properties").toString());
        JMeterUtils.initLocale();
    }

    @Test
    void shouldStartWithOneUserRampUpOneAndReplayDefaultsWhenAGroupIsAddedFromTheMenu() throws Exception {
        TestElement[] added = new TestElement[1];
        SwingUtilities.invokeAndWait(() -> {
            PcapReplayThreadGroupGui gui = new PcapReplayThreadGroupGui();
            gui.configure(busyGroup()); // what the form showed before: must not leak into the new group
            gui.clearGui(); // what GuiPackage.createTestElement does
            added[0] = gui.createTestElement();
        });

        PcapReplayThreadGroup group = (PcapReplayThreadGroup) added[0];
        assertThat(group.getName()).isEqualTo("Pcap Replay Thread Group");
        assertThat(group.getUsers()).isEqualTo(1);
        assertThat(group.getRampUp()).isEqualTo(1);
        assertThat(((LoopController) group.getSamplerController()).getLoops()).isEqualTo(1);
        assertThat(group.getCaptureFiles()).isEmpty();
        assertThat(group.getHandOut()).isEqualTo("round-robin");
        assertThat(group.getMode()).isEqualTo("thread-per-user");
        assertThat(group.getStartRate()).isEqualTo("0");
        assertThat(group.getPublishers()).isEqualTo("2");
        assertThat(group.getVirtualThreads()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"replay.jmx", "replay-gui.jmx"})
    void shouldWriteBackEveryPropertyUnchangedWhenAnExamplePlanIsOpenedAndLeftAsItIs(String plan) throws Exception {
        HashTree tree = SaveService.loadTree(Path.of(System.getProperty("project.root"), "examples", "plans", plan)
            .toFile());
        List<TestElement> elements = new ArrayList<>();
        elements.add(only(tree, PcapReplayThreadGroup.class));
        elements.add(only(tree, PcapSessionSampler.class));

        for (TestElement element : elements) {
            Map<String, String> loaded = properties(element);
            TestElement written = (TestElement) element.clone();
            SwingUtilities.invokeAndWait(() -> {
                JMeterGUIComponent gui = gui(element);
                gui.configure(element);
                gui.modifyTestElement(written);
            });

            assertThat(properties(written)).as(plan + ": " + element.getName()).isEqualTo(loaded);
            assertThat(written).as(plan + ": " + element.getName() + " equals (JMeter's dirty check)")
                .isEqualTo(element);
        }
    }

    @Test
    void shouldEnablePublishersOnlyWhenEngineDrivenAndVirtualThreadsOnlyWhenThreadPerUser() throws Exception {
        Map<String, Boolean> enabled = new TreeMap<>();
        SwingUtilities.invokeAndWait(() -> {
            PcapReplayThreadGroupGui gui = new PcapReplayThreadGroupGui();
            PcapReplayThreadGroup group = (PcapReplayThreadGroup) gui.createTestElement();
            gui.configure(group);
            enabled.put("thread-per-user publishers", find(gui, "publishers").isEnabled());
            enabled.put("thread-per-user virtualThreads", find(gui, "virtualThreads").isEnabled());
            group.setMode("engine-driven");
            gui.configure(group);
            enabled.put("engine-driven publishers", find(gui, "publishers").isEnabled());
            enabled.put("engine-driven virtualThreads", find(gui, "virtualThreads").isEnabled());
        });

        assertThat(enabled).containsEntry("thread-per-user publishers", false)
            .containsEntry("thread-per-user virtualThreads", true).containsEntry("engine-driven publishers", true)
            .containsEntry("engine-driven virtualThreads", false);
    }

    @Test
    void shouldHaveATooltipOnEveryFieldOfBothForms() throws Exception {
        List<String> missing = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        SwingUtilities.invokeAndWait(() -> {
            PcapReplayThreadGroupGui group = new PcapReplayThreadGroupGui();
            group.configure(group.createTestElement());
            missing.addAll(withoutTooltip(find(group, "help").getParent()));
            TestBeanGUI sampler = new TestBeanGUI(PcapSessionSampler.class);
            sampler.configure(sampler.createTestElement());
            for (Component label : all(sampler)) {
                if (label instanceof JLabel text && text.getLabelFor() != null
                        && !List.of("Name:", "Comments:").contains(text.getText())) { // JMeter's own title panel
                    labels.add(text.getText());
                    if (text.getToolTipText() == null || text.getToolTipText().isBlank()) {
                        missing.add("sampler: " + text.getText());
                    }
                }
            }
        });

        assertThat(missing).isEmpty();
        assertThat(labels).as("the sampler's fields").hasSizeGreaterThanOrEqualTo(15);
    }

    @Test
    void shouldShowEveryFieldWhenTheSamplerFormIsBuilt() throws Exception {
        List<String> labels = new ArrayList<>();
        SwingUtilities.invokeAndWait(() -> {
            TestBeanGUI gui = new TestBeanGUI(PcapSessionSampler.class);
            TestElement sampler = gui.createTestElement();
            sampler.setProperty("targetHost", "${__P(target,198.19.1.2)}");
            gui.configure(sampler);
            labels.addAll(texts(gui));
            labels.add("static label: " + gui.getStaticLabel());
        });

        assertThat(labels).contains("static label: Pcap Session Sampler", "Target host", "Target port",
            "Agent address", "Agent token file", "Client addresses", "Transport", "Speed (factor or %)",
            "Requests per second (0 = unlimited)", "HTTP rules", "Label path rules",
            "Connect timeout (ms)", "Response timeout (ms)", "Idle timeout (ms)", "Comet mode",
            "Response bytes to keep", "Label style", "Server under test", "Intercept agent and fake clients");
    }

    @Test
    void shouldShowEveryFieldWhenTheRecordedResponseAssertionFormIsBuilt() throws Exception {
        List<String> labels = new ArrayList<>();
        SwingUtilities.invokeAndWait(() -> {
            TestBeanGUI gui = new TestBeanGUI(RecordedResponseAssertion.class);
            gui.configure(gui.createTestElement());
            labels.addAll(texts(gui));
            labels.add("static label: " + gui.getStaticLabel());
            labels.add("menu: " + gui.getMenuCategories());
        });

        assertThat(labels).contains("static label: Recorded Response Assertion", "menu: [menu_assertions]",
            "HTTP status", "Header fields", "Body", "Ignore regexes", "Ignore JSON paths");
    }

    /** A group as the form showed it for another plan. */
    private static PcapReplayThreadGroup busyGroup() {
        PcapReplayThreadGroup group = (PcapReplayThreadGroup) new PcapReplayThreadGroupGui().createTestElement();
        group.setNumThreads(50);
        group.setRampUp(30);
        group.setCaptureFiles("other.pcap");
        group.setMode("engine-driven");
        return group;
    }

    private static JMeterGUIComponent gui(TestElement element) {
        return element instanceof PcapReplayThreadGroup ? new PcapReplayThreadGroupGui()
            : new TestBeanGUI(PcapSessionSampler.class);
    }

    private static List<String> withoutTooltip(Container form) {
        List<String> missing = new ArrayList<>();
        for (Component component : all(form)) {
            boolean field = component instanceof JTextComponent || component instanceof JComboBox
                || component instanceof AbstractButton;
            if (field && component.getParent() != null && !(component.getParent() instanceof JComboBox)
                    && ((JComponent) component).getToolTipText() == null) {
                missing.add("thread group: " + component.getName() + " " + component.getClass().getSimpleName());
            }
        }
        return missing;
    }

    private static List<String> texts(Container container) {
        List<String> texts = new ArrayList<>();
        if (container instanceof JComponent component
                && component.getBorder() instanceof javax.swing.border.TitledBorder titled) {
            texts.add(titled.getTitle());
        }
        for (Component child : container.getComponents()) {
            if (child instanceof JLabel label && label.getText() != null) {
                texts.add(label.getText().trim().replaceAll(":$", ""));
            }
            if (child instanceof Container nested) {
                texts.addAll(texts(nested));
            }
        }
        return texts;
    }

    private static JComponent find(Container container, String name) {
        return (JComponent) all(container).stream().filter(component -> name.equals(component.getName())).findFirst()
            .orElseThrow(() -> new AssertionError("no component named " + name));
    }

    private static List<Component> all(Container container) {
        List<Component> components = new ArrayList<>();
        for (Component child : container.getComponents()) {
            components.add(child);
            if (child instanceof Container nested) {
                components.addAll(all(nested));
            }
        }
        return components;
    }

    private static <T> T only(HashTree tree, Class<T> type) {
        SearchByClass<T> search = new SearchByClass<>(type);
        tree.traverse(search);
        assertThat(search.getSearchResults()).hasSize(1);
        return search.getSearchResults().iterator().next();
    }

    /** Name -> "type value" of every property, nested elements (the loop controller) flattened with a prefix. */
    static Map<String, String> properties(TestElement element) {
        Map<String, String> properties = new TreeMap<>();
        collect("", element, properties);
        return properties;
    }

    private static void collect(String prefix, TestElement element, Map<String, String> properties) {
        PropertyIterator iterator = element.propertyIterator();
        while (iterator.hasNext()) {
            JMeterProperty property = iterator.next();
            if (property instanceof TestElementProperty nested) {
                collect(prefix + property.getName() + "/", nested.getElement(), properties);
            } else {
                properties.put(prefix + property.getName(),
                    property.getClass().getSimpleName() + " " + property.getStringValue());
            }
        }
    }
}
