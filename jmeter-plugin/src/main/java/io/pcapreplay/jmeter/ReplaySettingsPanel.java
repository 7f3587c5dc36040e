package io.pcapreplay.jmeter;

import java.awt.Component;
import java.util.ArrayList;
import java.util.List;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JComboBox;
import javax.swing.JComponent;
import javax.swing.JFileChooser;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JTextField;
import net.miginfocom.swing.MigLayout;
import org.apache.jmeter.gui.util.FileDialoger;
import org.apache.jmeter.gui.util.VerticalPanel;

/**
 * The replay part of the {@link PcapReplayThreadGroupGui} form, in JMeter's own look (titled sections, labels
 * aligned in a MigLayout column, a tooltip on every field): captured sessions (files with a chooser, recorded ports,
 * filter), their hand-out, and the user mode; fields of one mode are enabled only in that mode.
 */
final class ReplaySettingsPanel extends VerticalPanel {

    static final String[] HAND_OUTS = {"round-robin", "random", "recorded", "recorded-timing"};
    static final String[] MODES = {"thread-per-user", "engine-driven"};

    private static final long serialVersionUID = 1L;
    private static final String[] CAPTURE_EXTENSIONS = {"pcap", "pcapng", "cap"};

    final JTextField captureFiles = named(new JTextField(40), "captureFiles");
    final JButton browse = named(new JButton("Browse..."), "captureFilesBrowse");
    final JTextField serverPorts = named(new JTextField(10), "serverPorts");
    final JTextField filter = named(new JTextField(30), "filter");
    final JTextField liveInterface = named(new JTextField(10), "liveInterface");
    final JTextField livePercent = named(new JTextField(6), "livePercent");
    final JTextField liveAmplification = named(new JTextField(6), "liveAmplification");
    final JTextField liveRecord = named(new JTextField(30), "liveRecord");
    final JTextField liveRecordLimits = named(new JTextField(20), "liveRecordLimits");
    final JComboBox<String> handOut = named(new JComboBox<>(HAND_OUTS), "handOut");
    final JTextField startRate = named(new JTextField(8), "startRate");
    final JComboBox<String> mode = named(new JComboBox<>(MODES), "mode");
    final JTextField publishers = named(new JTextField(6), "publishers");
    final JCheckBox eachSessionOnce = named(new JCheckBox("Replay every session once (users and loops follow "
        + "from the capture)"), "eachSessionOnce");
    final JCheckBox virtualThreads = named(new JCheckBox("Run the users on virtual threads (Java 21+)"),
        "virtualThreads");

    private final JLabel publishersLabel = new JLabel("Publishing threads:");
    private final List<JPanel> sections = new ArrayList<>();
    private final List<JLabel> labels = new ArrayList<>();

    ReplaySettingsPanel() {
        handOut.setEditable(true); // also takes ${__P(handOut,round-robin)}
        mode.setEditable(true);
        add(help());
        add(capturesSection());
        add(liveSection());
        add(handOutSection());
        add(modeSection());
        alignLabels();
        mode.addActionListener(event -> enableForMode());
        browse.addActionListener(event -> chooseCaptures());
    }

    private static JComponent help() {
        JLabel help = new JLabel("<html>Each user replays whole sessions read from the captures at the start of the "
            + "test: one loop iteration is one session, each request/response exchange one sample of the Pcap Session "
            + "Sampler below this group. Relative paths are taken from this plan's folder.</html>");
        help.setName("help");
        help.setBorder(BorderFactory.createEmptyBorder(2, 5, 5, 5));
        return help;
    }

    private JPanel capturesSection() {
        JPanel section = section("Captured sessions");
        JLabel label = label("Capture file(s):", captureFiles, "pcap or pcapng files, separated by commas; "
            + "absolute, or relative to this plan's folder (like CSV Data Set). Example: ../pcaps/http-keepalive.pcap");
        section.add(label);
        section.add(captureFiles, "split 2, growx");
        section.add(browse, "growx 0");
        browse.setToolTipText("Choose a capture file (one under this plan's folder is kept relative to it)");
        row(section, "Recorded server port(s):", serverPorts, "Server ports of the sessions to replay, separated by "
            + "commas (e.g. 80, 8080); empty: every TCP session");
        row(section, "Capture filter (BPF):", filter, "Optional libpcap filter applied while reading, e.g. "
            + "'host 10.1.2.3' (tcpdump syntax)");
        return section;
    }

    private JPanel liveSection() {
        JPanel section = section("Live copy (instead of capture files; tcpcopy's job)");
        row(section, "Live interface:", liveInterface, "Capture the sessions live from this device (e.g. eth0, any) "
            + "with libpcap, read-only, on the server ports and filter above; each new session is replayed as soon "
            + "as its first request is complete. Empty: read the capture files. Needs root or CAP_NET_RAW");
        row(section, "Sessions copied (%):", livePercent, "Percentage of the live sessions copied, chosen by a "
            + "stable hash of each session's addresses and ports (tcpcopy -r); default 100");
        row(section, "Copies per session:", liveAmplification, "Each copied session is replayed this many times, by "
            + "different users from different client addresses (tcpcopy -n); default 1");
        row(section, "Record to (prefix):", liveRecord, "Also write every captured frame to pcapng files "
            + "PREFIX-00001.pcapng, PREFIX-00002.pcapng ...; relative to this plan's folder; empty: no recording");
        row(section, "Recording limits:", liveRecordLimits, "When to start the next file and how many to keep, "
            + "e.g. '100 MiB, 10 m, 5 files'; empty: one file, no limit");
        return section;
    }

    private JPanel handOutSection() {
        JPanel section = section("Hand-out to users");
        row(section, "Session hand-out:", handOut, "round-robin: the sessions in turn; random: any session; recorded: "
            + "in recorded order, each at its recorded start offset (scaled by the sampler's speed factor), an "
            + "exchange that began after another session's exchange had completed waiting for it (causal order); "
            + "recorded-timing: the offsets only, sessions never wait for each other");
        eachSessionOnce.setToolTipText("Each session of the captures is replayed exactly once: the users are the "
            + "most sessions open at once in the capture (doubled), each takes sessions until all were replayed; "
            + "the Number of Threads and Loop Count are then ignored (the duration still applies)");
        section.add(eachSessionOnce, "span 2, wrap");
        row(section, "Session starts per second:", startRate, "Most sessions started per second over all users, "
            + "in addition to the ramp-up; 0 = no limit");
        return section;
    }

    private JPanel modeSection() {
        JPanel section = section("User mode");
        row(section, "Users run as:", mode, "thread-per-user: each user is a JMeter thread (JMeter's timers and "
            + "controllers apply); engine-driven: users live inside the replay engine, a few JMeter threads publish "
            + "their exchanges as samples (many more users per replayer)");
        section.add(label(publishersLabel, publishers, "Engine-driven mode: JMeter threads turning finished "
            + "exchanges into samples"));
        section.add(publishers, "growx 0, wrap");
        virtualThreads.setToolTipText("Thread-per-user mode on Java 21 or later: each user on a virtual thread, so "
            + "thousands of users cost little memory; platform threads otherwise");
        section.add(virtualThreads, "span 2, wrap");
        return section;
    }

    private JPanel section(String title) {
        JPanel section = new JPanel(new MigLayout("fillx, wrap 2, insets 2 5 2 5", "[][fill,grow]"));
        section.setBorder(BorderFactory.createTitledBorder(title));
        sections.add(section);
        return section;
    }

    /** One label column for all sections, as wide as the widest label, so the fields line up. */
    private void alignLabels() {
        int width = 0;
        for (JLabel label : labels) {
            width = Math.max(width, label.getPreferredSize().width);
        }
        for (JPanel section : sections) {
            ((MigLayout) section.getLayout()).setColumnConstraints("[" + width + "!][fill,grow]");
        }
    }

    private void row(JPanel section, String label, JComponent field, String tooltip) {
        section.add(label(label, field, tooltip));
        section.add(field, field instanceof JTextField textField && textField.getColumns() < 20 ? "growx 0" : "");
    }

    private JLabel label(String text, JComponent field, String tooltip) {
        return label(new JLabel(text), field, tooltip);
    }

    private JLabel label(JLabel label, JComponent field, String tooltip) {
        label.setLabelFor(field);
        label.setToolTipText(tooltip);
        field.setToolTipText(tooltip);
        labels.add(label);
        return label;
    }

    private static <T extends Component> T named(T component, String name) {
        component.setName(name);
        return component;
    }

    /** Publishing threads only for engine-driven users, virtual threads only for thread-per-user; both for ${...}. */
    void enableForMode() {
        String text = String.valueOf(mode.getSelectedItem()).trim();
        boolean expression = text.contains("${");
        boolean engineDriven = expression || isEngineDriven(text);
        boolean threadPerUser = expression || !engineDriven;
        publishers.setEnabled(engineDriven);
        publishersLabel.setEnabled(engineDriven);
        virtualThreads.setEnabled(threadPerUser);
    }

    private static boolean isEngineDriven(String text) {
        try {
            return UserMode.parse(text) == UserMode.ENGINE_DRIVEN;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Lets the user pick a capture file (JMeter's chooser, starting in the folder of the first file given, else the
     * plan's folder); it replaces the field's text, kept relative when it lies under the plan's folder.
     */
    private void chooseCaptures() {
        String first = captureFiles.getText().split("[,;]")[0].trim();
        String start = first.isEmpty() || first.contains("${") ? PlanFiles.baseDirectory().toString()
            : PlanFiles.resolve(first).toString();
        JFileChooser chooser = FileDialoger.promptToOpenFile(this, CAPTURE_EXTENSIONS, start, false);
        if (chooser != null && chooser.getSelectedFile() != null) { // null: cancelled
            captureFiles.setText(PlanFiles.relativize(chooser.getSelectedFile().toPath()));
        }
    }

    void clear() {
        captureFiles.setText("");
        serverPorts.setText("");
        filter.setText("");
        liveInterface.setText("");
        livePercent.setText(PcapReplayThreadGroup.DEFAULT_LIVE_PERCENT);
        liveAmplification.setText(PcapReplayThreadGroup.DEFAULT_LIVE_AMPLIFICATION);
        liveRecord.setText("");
        liveRecordLimits.setText("");
        handOut.setSelectedItem(HAND_OUTS[0]);
        startRate.setText(PcapReplayThreadGroup.DEFAULT_START_RATE);
        mode.setSelectedItem(MODES[0]);
        publishers.setText(PcapReplayThreadGroup.DEFAULT_PUBLISHERS);
        virtualThreads.setSelected(true);
        eachSessionOnce.setSelected(false);
        enableForMode();
    }
}
