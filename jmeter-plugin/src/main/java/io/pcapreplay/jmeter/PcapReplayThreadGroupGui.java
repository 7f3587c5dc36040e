package io.pcapreplay.jmeter;

import java.awt.BorderLayout;
import java.awt.Component;
import java.awt.Container;
import java.util.Map;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import org.apache.jmeter.gui.util.VerticalPanel;
import org.apache.jmeter.testelement.TestElement;
import org.apache.jmeter.testelement.property.JMeterProperty;
import org.apache.jmeter.threads.gui.ThreadGroupGui;
import org.apache.jmeter.util.JMeterUtils;

/**
 * The form of {@link PcapReplayThreadGroup}: JMeter's thread group form (users, ramp-up, loops = sessions per user,
 * scheduler) with the replay settings below it ({@link ReplaySettingsPanel}). Listed under Add > Threads (Users).
 *
 * <p>Added from the menu, a group gets JMeter's thread group defaults (1 user, ramp-up 1 s, 1 loop) and the replay
 * defaults of {@link PcapReplayThreadGroup}, never what the form showed for another element. Opening a plan and
 * leaving it unchanged writes back exactly what was loaded (same values, same property types), so JMeter does not
 * ask to save an unchanged plan.
 */
public class PcapReplayThreadGroupGui extends ThreadGroupGui {

    private static final long serialVersionUID = 1L;
    /** JMeter's resource key of a thread group label -> what it means for a replay. */
    private static final Map<String, String> THREAD_TOOLTIPS = Map.of(
        "number_of_threads", "Users: each replays one captured session per loop iteration (engine-driven: users "
            + "inside the replay engine)",
        "ramp_up", "Seconds until every user has started",
        "iterator_num", "Sessions per user; Infinite: sessions until the duration below ends",
        "duration", "Seconds the users replay (with 'Specify Thread lifetime')",
        "delay", "Seconds before the first user starts (with 'Specify Thread lifetime')");

    private final ReplaySettingsPanel replay = new ReplaySettingsPanel();
    /** The virtual-threads text last configured (may be ${...}) and the box state it was shown as. */
    private String configuredVirtualThreads = "true";
    private boolean shownVirtualThreads = true;
    private String configuredEachSessionOnce = "false";
    private boolean shownEachSessionOnce;

    /** Builds the form: JMeter's thread properties, then the replay settings, top-aligned. */
    public PcapReplayThreadGroupGui() {
        super();
        BorderLayout layout = (BorderLayout) getLayout();
        Component threads = layout.getLayoutComponent(BorderLayout.CENTER);
        VerticalPanel body = new VerticalPanel();
        if (threads != null) {
            remove(threads);
            body.add(threads);
            describe(threads);
        }
        body.add(replay);
        JPanel top = new JPanel(new BorderLayout());
        top.add(body, BorderLayout.NORTH);
        add(top, BorderLayout.CENTER);
    }

    /** Tooltips for JMeter's own thread group fields, found by their labels. */
    private static void describe(Component component) {
        if (component instanceof JLabel label) {
            for (Map.Entry<String, String> entry : THREAD_TOOLTIPS.entrySet()) {
                if (JMeterUtils.getResString(entry.getKey()).equals(label.getText())) {
                    label.setToolTipText(entry.getValue());
                    if (label.getLabelFor() instanceof JComponent field) {
                        field.setToolTipText(entry.getValue());
                    }
                }
            }
        }
        if (component instanceof Container container) {
            for (Component child : container.getComponents()) {
                describe(child);
            }
        }
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

    /** A group added from the menu: JMeter's thread group defaults, then the replay defaults. */
    @Override
    public void assignDefaultValues(TestElement element) {
        super.assignDefaultValues(element);
        if (element instanceof PcapReplayThreadGroup group) {
            group.assignReplayDefaults();
        }
    }

    @Override
    public void modifyTestElement(TestElement element) {
        Map<String, JMeterProperty> loaded = UnchangedProperties.snapshot(element,
            PcapReplayThreadGroup.REPLAY_PROPERTIES);
        super.modifyTestElement(element); // JMeter clears the element and writes its own fields back
        if (element instanceof PcapReplayThreadGroup) {
            UnchangedProperties properties = new UnchangedProperties(element, loaded);
            properties.write(PcapReplayThreadGroup.CAPTURE_FILES, replay.captureFiles.getText(), "");
            properties.write(PcapReplayThreadGroup.SERVER_PORTS, replay.serverPorts.getText(), "");
            properties.write(PcapReplayThreadGroup.FILTER, replay.filter.getText(), "");
            properties.write(PcapReplayThreadGroup.LIVE_INTERFACE, replay.liveInterface.getText(), "");
            properties.write(PcapReplayThreadGroup.LIVE_PERCENT, replay.livePercent.getText(),
                PcapReplayThreadGroup.DEFAULT_LIVE_PERCENT);
            properties.write(PcapReplayThreadGroup.LIVE_AMPLIFICATION, replay.liveAmplification.getText(),
                PcapReplayThreadGroup.DEFAULT_LIVE_AMPLIFICATION);
            properties.write(PcapReplayThreadGroup.LIVE_RECORD, replay.liveRecord.getText(), "");
            properties.write(PcapReplayThreadGroup.LIVE_RECORD_LIMITS, replay.liveRecordLimits.getText(), "");
            properties.write(PcapReplayThreadGroup.HAND_OUT, selected(replay.handOut.getSelectedItem()),
                PcapReplayThreadGroup.DEFAULT_HAND_OUT);
            properties.write(PcapReplayThreadGroup.START_RATE, replay.startRate.getText(),
                PcapReplayThreadGroup.DEFAULT_START_RATE);
            properties.write(PcapReplayThreadGroup.MODE, selected(replay.mode.getSelectedItem()),
                PcapReplayThreadGroup.DEFAULT_MODE);
            properties.write(PcapReplayThreadGroup.PUBLISHERS, replay.publishers.getText(),
                PcapReplayThreadGroup.DEFAULT_PUBLISHERS);
            boolean selected = replay.virtualThreads.isSelected();
            properties.write(PcapReplayThreadGroup.VIRTUAL_THREADS,
                selected == shownVirtualThreads ? configuredVirtualThreads : String.valueOf(selected), "true");
            boolean once = replay.eachSessionOnce.isSelected();
            properties.write(PcapReplayThreadGroup.EACH_SESSION_ONCE,
                once == shownEachSessionOnce ? configuredEachSessionOnce : String.valueOf(once), "false");
        }
    }

    private static String selected(Object item) {
        return item == null ? "" : item.toString().trim();
    }

    @Override
    public void configure(TestElement element) {
        super.configure(element);
        if (element instanceof PcapReplayThreadGroup group) {
            replay.captureFiles.setText(group.getCaptureFiles());
            replay.serverPorts.setText(group.getServerPorts());
            replay.filter.setText(group.getFilter());
            replay.liveInterface.setText(group.getLiveInterface());
            replay.livePercent.setText(group.getLivePercent());
            replay.liveAmplification.setText(group.getLiveAmplification());
            replay.liveRecord.setText(group.getLiveRecord());
            replay.liveRecordLimits.setText(group.getLiveRecordLimits());
            replay.handOut.setSelectedItem(group.getHandOut());
            replay.startRate.setText(group.getStartRate());
            replay.mode.setSelectedItem(group.getMode());
            replay.publishers.setText(group.getPublishers());
            configuredVirtualThreads = group.getPropertyAsString(PcapReplayThreadGroup.VIRTUAL_THREADS, "true");
            shownVirtualThreads = group.getVirtualThreads();
            replay.virtualThreads.setSelected(shownVirtualThreads); // ${...} shows unticked, kept unless clicked
            configuredEachSessionOnce = group.getPropertyAsString(PcapReplayThreadGroup.EACH_SESSION_ONCE, "false");
            shownEachSessionOnce = group.getEachSessionOnce();
            replay.eachSessionOnce.setSelected(shownEachSessionOnce);
            replay.enableForMode();
        }
    }

    @Override
    public void clearGui() {
        super.clearGui();
        replay.clear();
        configuredVirtualThreads = "true";
        shownVirtualThreads = true;
        configuredEachSessionOnce = "false";
        shownEachSessionOnce = false;
    }
}
