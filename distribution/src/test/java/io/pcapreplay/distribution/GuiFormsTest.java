package io.pcapreplay.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.jmeter.PcapReplayThreadGroup;
import io.pcapreplay.jmeter.PcapReplayThreadGroupGui;
import io.pcapreplay.jmeter.PcapSessionSampler;
import io.pcapreplay.jmeter.RecordedResponseAssertion;
import java.awt.Component;
import java.awt.Container;
import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.SwingUtilities;
import javax.swing.border.TitledBorder;
import org.apache.jmeter.testbeans.gui.TestBeanGUI;
import org.apache.jmeter.testelement.TestElement;
import org.apache.jmeter.util.JMeterUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two forms as JMeter 5.6.3 builds them (without a display: the Swing panels are painted off-screen into
 * target/gui/*.png for a look): the sampler's TestBean form shows every field of the BeanInfo, the thread group's
 * form writes back what it was configured with.
 */
class GuiFormsTest {

    private static Path output;

    @BeforeAll
    static void jmeter() throws Exception {
        Path home = JMeterLab.jmeterHome();
        JMeterUtils.setJMeterHome(home.toString());
        JMeterUtils.loadJMeterProperties(home.resolve("bin/jmeter.properties").toString());
        JMeterUtils.initLocale();
        output = Files.createDirectories(home.getParent().resolve("gui"));
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
            paint(gui, output.resolve("pcap-session-sampler.png"));
        });

        assertThat(labels).contains("static label: Pcap Session Sampler", "Target host", "Target port",
            "Agent address", "Agent token file", "Client addresses", "Transport", "Speed (factor or %)",
            "Requests per second (0 = unlimited)", "HTTP rules", "Label path rules",
            "Connect timeout (ms)", "Response timeout (ms)", "Idle timeout (ms)", "Comet mode",
            "Response bytes to keep", "Label style", "Server under test", "Intercept agent and fake clients");
        assertThat(output.resolve("pcap-session-sampler.png")).isNotEmptyFile();
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
            paint(gui, output.resolve("recorded-response-assertion.png"));
        });

        assertThat(labels).contains("static label: Recorded Response Assertion", "menu: [menu_assertions]",
            "HTTP status", "Header fields", "Body", "Ignore regexes", "Ignore JSON paths");
    }

    @Test
    void shouldWriteBackTheCapturesAndModeWhenTheThreadGroupFormIsConfigured() throws Exception {
        PcapReplayThreadGroup[] written = new PcapReplayThreadGroup[1];
        List<String> labels = new ArrayList<>();
        SwingUtilities.invokeAndWait(() -> {
            PcapReplayThreadGroupGui gui = new PcapReplayThreadGroupGui();
            PcapReplayThreadGroup group = (PcapReplayThreadGroup) gui.createTestElement();
            group.setCaptureFiles("${__P(pcap)}");
            group.setServerPorts("80");
            group.setHandOut("recorded");
            group.setMode("engine-driven");
            group.setPublishers("4");
            gui.configure(group);
            written[0] = (PcapReplayThreadGroup) gui.createTestElement();
            gui.modifyTestElement(written[0]);
            labels.addAll(texts(gui));
            labels.add("static label: " + gui.getStaticLabel());
            labels.add("menu: " + gui.getMenuCategories());
            paint(gui, output.resolve("pcap-replay-thread-group.png"));
        });

        assertThat(written[0].getCaptureFiles()).isEqualTo("${__P(pcap)}");
        assertThat(written[0].getServerPorts()).isEqualTo("80");
        assertThat(written[0].getHandOut()).isEqualTo("recorded");
        assertThat(written[0].getMode()).isEqualTo("engine-driven");
        assertThat(written[0].getPublishers()).isEqualTo("4");
        assertThat(labels).contains("static label: Pcap Replay Thread Group", "menu: [menu_threads]");
    }

    private static List<String> texts(Container container) {
        List<String> texts = new ArrayList<>();
        if (container instanceof JComponent component && component.getBorder() instanceof TitledBorder titled) {
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

    private static void paint(JComponent component, Path file) {
        Dimension size = component.getPreferredSize();
        component.setSize(Math.max(size.width, 800), Math.max(size.height, 600));
        layout(component);
        hideSyntaxAreas(component); // RSyntaxTextArea (text area fields) cannot paint off screen: getGraphics() null
        BufferedImage image = new BufferedImage(component.getWidth(), component.getHeight(),
            BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        component.printAll(graphics);
        graphics.dispose();
        try {
            ImageIO.write(image, "png", file.toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void hideSyntaxAreas(Container container) {
        for (Component child : container.getComponents()) {
            if (child.getClass().getName().contains("SyntaxTextArea")) {
                child.setVisible(false);
            } else if (child instanceof Container nested) {
                hideSyntaxAreas(nested);
            }
        }
    }

    private static void layout(Container container) {
        container.doLayout();
        for (Component child : container.getComponents()) {
            if (child instanceof Container nested) {
                layout(nested);
            }
        }
    }
}
