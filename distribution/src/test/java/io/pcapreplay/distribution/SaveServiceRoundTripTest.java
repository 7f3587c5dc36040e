package io.pcapreplay.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.jmeter.PcapReplayThreadGroup;
import io.pcapreplay.jmeter.PcapReplayThreadGroupGui;
import io.pcapreplay.jmeter.PcapSessionSampler;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.jmeter.control.LoopController;
import org.apache.jmeter.save.SaveService;
import org.apache.jmeter.testbeans.gui.TestBeanGUI;
import org.apache.jmeter.testelement.TestElement;
import org.apache.jmeter.testelement.TestPlan;
import org.apache.jmeter.testelement.property.JMeterProperty;
import org.apache.jmeter.testelement.property.PropertyIterator;
import org.apache.jmeter.testelement.property.TestElementProperty;
import org.apache.jmeter.util.JMeterUtils;
import org.apache.jorphan.collections.HashTree;
import org.apache.jorphan.collections.SearchByClass;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SaveService (the .jmx format of JMeter 5.6.3) keeps every property of both elements, and loads replay.jmx. */
class SaveServiceRoundTripTest {

    @BeforeAll
    static void jmeterHome() throws Exception {
        Path home = JMeterLab.jmeterHome();
        JMeterUtils.setJMeterHome(home.toString());
        JMeterUtils.loadJMeterProperties(home.resolve("bin/jmeter.properties").toString());
        JMeterUtils.initLocale();
    }

    @Test
    void shouldKeepEveryPropertyWhenAPlanWithBothElementsIsSavedAndLoaded(@TempDir Path directory) throws Exception {
        PcapReplayThreadGroup group = threadGroup();
        PcapSessionSampler sampler = sampler();
        HashTree tree = new HashTree();
        TestPlan plan = new TestPlan("round trip");
        plan.setProperty(TestElement.GUI_CLASS, "org.apache.jmeter.control.gui.TestPlanGui");
        plan.setProperty(TestElement.TEST_CLASS, TestPlan.class.getName());
        tree.add(plan);
        tree.getTree(plan).add(group);
        tree.getTree(plan).getTree(group).add(sampler);

        Path saved = directory.resolve("saved.jmx");
        try (OutputStream out = Files.newOutputStream(saved)) {
            SaveService.saveTree(tree, out);
        }
        HashTree loaded = SaveService.loadTree(saved.toFile());

        assertThat(properties(only(loaded, PcapReplayThreadGroup.class))).isEqualTo(properties(group));
        assertThat(properties(only(loaded, PcapSessionSampler.class))).isEqualTo(properties(sampler));
        assertThat(properties(only(loaded, PcapSessionSampler.class))).containsEntry("targetHost",
            "${__P(target,198.19.1.2)}");
    }

    @Test
    void shouldLoadTheExamplePlanWithBothElementsTakingEverythingFromProperties() throws Exception {
        Path plan = Path.of(System.getProperty("project.root"), "examples", "plans", "replay.jmx");

        HashTree tree = SaveService.loadTree(plan.toFile());

        Map<String, String> group = properties(only(tree, PcapReplayThreadGroup.class));
        assertThat(group).containsEntry(PcapReplayThreadGroup.CAPTURE_FILES, "${__P(pcap,)}")
            .containsEntry("ThreadGroup.num_threads", "${__P(users,1)}")
            .containsEntry("ThreadGroup.duration", "${__P(duration,3600)}");
        Map<String, String> sampler = properties(only(tree, PcapSessionSampler.class));
        assertThat(sampler).containsEntry("targetHost", "${__P(target,127.0.0.1)}")
            .containsEntry("agentAddress", "${__P(agent,127.0.0.1)}")
            .containsEntry("clientAddresses", "${__P(clientIps,198.18.1.*)}")
            .containsEntry("speedFactor", "${__P(speed,1)}");
    }

    @Test
    void shouldLoadTheGuiFriendlyPlanWithPlainValues() throws Exception {
        Path plan = Path.of(System.getProperty("project.root"), "examples", "plans", "replay-gui.jmx");

        HashTree tree = SaveService.loadTree(plan.toFile());

        assertThat(properties(only(tree, PcapReplayThreadGroup.class)))
            .containsEntry(PcapReplayThreadGroup.CAPTURE_FILES, "examples/pcaps/http-keepalive.pcap")
            .containsEntry("ThreadGroup.num_threads", "10");
        assertThat(properties(only(tree, PcapSessionSampler.class))).containsEntry("targetHost", "198.19.1.2")
            .containsEntry("agentAddress", "198.19.3.3:36524").containsEntry("transport", "raw-ip")
            .allSatisfy((name, value) -> assertThat(value).as(name).doesNotContain("${"));
    }

    private static PcapReplayThreadGroup threadGroup() {
        PcapReplayThreadGroup group = new PcapReplayThreadGroup();
        group.setName("replay users");
        group.setProperty(TestElement.GUI_CLASS, PcapReplayThreadGroupGui.class.getName());
        group.setProperty(TestElement.TEST_CLASS, PcapReplayThreadGroup.class.getName());
        group.setProperty("ThreadGroup.num_threads", "${__P(users,3)}");
        group.setRampUp(5);
        group.setScheduler(true);
        group.setProperty("ThreadGroup.duration", "120");
        LoopController loops = new LoopController();
        loops.setLoops(7);
        loops.setProperty(TestElement.GUI_CLASS, "org.apache.jmeter.control.gui.LoopControlPanel");
        loops.setProperty(TestElement.TEST_CLASS, LoopController.class.getName());
        group.setSamplerController(loops);
        group.setCaptureFiles("a.pcap, ${__P(pcap,b.pcap)}");
        group.setServerPorts("80,6379");
        group.setFilter("tcp and host 10.1.2.3");
        group.setHandOut("recorded");
        group.setStartRate("12.5");
        group.setMode("engine-driven");
        group.setPublishers("${__P(publishers,3)}");
        return group;
    }

    private static PcapSessionSampler sampler() {
        PcapSessionSampler sampler = new PcapSessionSampler();
        sampler.setName("replay");
        sampler.setProperty(TestElement.GUI_CLASS, TestBeanGUI.class.getName());
        sampler.setProperty(TestElement.TEST_CLASS, PcapSessionSampler.class.getName());
        String[][] fields = {{"targetHost", "${__P(target,198.19.1.2)}"}, {"targetPort", "8080"},
            {"agentAddress", "198.19.3.3:36524"}, {"tokenFile", "/etc/pcap-replay/agent.token"},
            {"clientAddresses", "198.18.1.*"}, {"transport", "raw-ip"}, {"speedFactor", "2.5"},
            {"connectTimeout", "3000"}, {"responseTimeout", "20000"}, {"idleTimeout", "40000"}, {"comet", "true"},
            {"responseBytes", "1024"}, {"labelStyle", "port-and-index"}};
        for (String[] field : fields) {
            sampler.setProperty(field[0], field[1]);
        }
        return sampler;
    }

    private static <T> T only(HashTree tree, Class<T> type) {
        SearchByClass<T> search = new SearchByClass<>(type);
        tree.traverse(search);
        assertThat(search.getSearchResults()).hasSize(1);
        return search.getSearchResults().iterator().next();
    }

    /** Name -> string value of every property, nested elements (the loop controller) flattened with a prefix. */
    private static Map<String, String> properties(Object element) {
        Map<String, String> properties = new TreeMap<>();
        collect("", (TestElement) element, properties);
        return properties;
    }

    private static void collect(String prefix, TestElement element, Map<String, String> properties) {
        PropertyIterator iterator = element.propertyIterator();
        while (iterator.hasNext()) {
            JMeterProperty property = iterator.next();
            if (property instanceof TestElementProperty nested) {
                collect(prefix + property.getName() + "/", nested.getElement(), properties);
            } else {
                properties.put(prefix + property.getName(), property.getStringValue());
            }
        }
    }
}
