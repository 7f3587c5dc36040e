package io.pcapreplay.jmeter;

import java.awt.BorderLayout;
import javax.swing.BorderFactory;
import javax.swing.Box;
import javax.swing.JCheckBox;
import javax.swing.JComboBox;
import javax.swing.JLabel;
import javax.swing.JPanel;
import org.apache.jmeter.testelement.TestElement;
import org.apache.jmeter.threads.gui.ThreadGroupGui;
import org.apache.jorphan.gui.JLabeledTextField;

/**
 * The form of {@link PcapReplayThreadGroup}: JMeter's thread group form (users, ramp-up, loops = sessions per user,
 * duration) plus the captures, the session hand-out and the user mode. Listed under Add > Threads.
 */
public class PcapReplayThreadGroupGui extends ThreadGroupGui {

    private static final long serialVersionUID = 1L;
    private static final String[] HAND_OUTS = {"round-robin", "random", "recorded"};
    private static final String[] MODES = {"thread-per-user", "engine-driven"};

    private final JLabeledTextField captureFiles = new JLabeledTextField("Capture file(s) (comma separated):", 40);
    private final JLabeledTextField serverPorts = new JLabeledTextField("Recorded server port(s), empty = any:", 10);
    private final JLabeledTextField filter = new JLabeledTextField("BPF filter (optional):", 30);
    private final JComboBox<String> handOut = new JComboBox<>(HAND_OUTS);
    private final JLabeledTextField startRate = new JLabeledTextField("Session starts per second, 0 = no limit:", 8);
    private final JComboBox<String> mode = new JComboBox<>(MODES);
    private final JLabeledTextField publishers = new JLabeledTextField("Publishing threads (engine-driven):", 4);
    private final JCheckBox virtualThreads = new JCheckBox("Thread per user on virtual threads (Java 21+)", true);

    /** Builds the form. */
    public PcapReplayThreadGroupGui() {
        super();
        handOut.setEditable(true);
        Box box = Box.createVerticalBox();
        box.add(captureFiles);
        box.add(serverPorts);
        box.add(filter);
        box.add(labelled("Session hand-out to users:", handOut));
        box.add(startRate);
        mode.setEditable(true);
        box.add(labelled("Users run as:", mode));
        box.add(publishers);
        box.add(virtualThreads);
        JPanel panel = new JPanel(new BorderLayout());
        panel.setBorder(BorderFactory.createTitledBorder("Captured sessions (one loop iteration = one session)"));
        panel.add(box, BorderLayout.NORTH);
        add(panel, BorderLayout.SOUTH);
    }

    private static JPanel labelled(String label, JComboBox<String> comboBox) {
        JPanel panel = new JPanel(new BorderLayout(5, 0));
        panel.add(new JLabel(label), BorderLayout.WEST);
        panel.add(comboBox, BorderLayout.CENTER);
        return panel;
    }

    @Override
    public String getStaticLabel() {
        return "Pcap Replay Thread Group";
    }

    @Override
    public String getLabelResource() {
        return "pcap_replay_thread_group";
    }

    @Override
    public TestElement makeTestElement() {
        return new PcapReplayThreadGroup();
    }

    @Override
    public TestElement createTestElement() {
        PcapReplayThreadGroup group = new PcapReplayThreadGroup();
        modifyTestElement(group);
        return group;
    }

    @Override
    public void modifyTestElement(TestElement element) {
        super.modifyTestElement(element);
        if (element instanceof PcapReplayThreadGroup group) {
            group.setCaptureFiles(captureFiles.getText());
            group.setServerPorts(serverPorts.getText());
            group.setFilter(filter.getText());
            group.setHandOut(String.valueOf(handOut.getSelectedItem()));
            group.setStartRate(startRate.getText());
            group.setMode(String.valueOf(mode.getSelectedItem()));
            group.setPublishers(publishers.getText());
            group.setVirtualThreads(virtualThreads.isSelected());
        }
    }

    @Override
    public void configure(TestElement element) {
        super.configure(element);
        if (element instanceof PcapReplayThreadGroup group) {
            captureFiles.setText(group.getCaptureFiles());
            serverPorts.setText(group.getServerPorts());
            filter.setText(group.getFilter());
            handOut.setSelectedItem(group.getHandOut());
            startRate.setText(group.getStartRate());
            mode.setSelectedItem(group.getMode());
            publishers.setText(group.getPublishers());
            virtualThreads.setSelected(group.getVirtualThreads());
        }
    }

    @Override
    public void clearGui() {
        super.clearGui();
        captureFiles.setText("");
        serverPorts.setText("");
        filter.setText("");
        handOut.setSelectedItem(HAND_OUTS[0]);
        startRate.setText("0");
        mode.setSelectedItem(MODES[0]);
        publishers.setText("2");
        virtualThreads.setSelected(true);
    }
}
