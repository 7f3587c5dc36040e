package io.pcapreplay.distribution.gui;

import java.awt.Component;
import java.awt.Container;
import java.awt.Frame;
import java.awt.Rectangle;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import javax.swing.AbstractButton;
import javax.swing.JCheckBox;
import javax.swing.JComboBox;
import javax.swing.JDialog;
import javax.swing.JFileChooser;
import javax.swing.JLabel;
import javax.swing.JMenu;
import javax.swing.JMenuItem;
import javax.swing.JOptionPane;
import javax.swing.JTree;
import javax.swing.text.JTextComponent;
import javax.swing.tree.TreePath;

/**
 * Drives the real JMeter GUI as a user would, from inside JMeter's JVM ({@code -javaagent}, started by
 * {@code GuiMenuPlanLabIT} under Xvfb): adds the Pcap Replay Thread Group and the Pcap Session Sampler through the
 * right-click Add menus, edits their fields with the keyboard, saves with File > Save, starts a new plan, reopens the
 * saved one with File > Open, shows both forms and saves it again with File > Save Test Plan as (to compare), adds
 * a second group to check it starts from the defaults, then ends JMeter. Every value read and every step goes to
 * result.properties and driver.log in the output folder, with screenshots; on a failure JMeter ends with status 3.
 *
 * <p>Arguments: a properties file with {@code output}, {@code plan} (where to save), and the values to type:
 * {@code users}, {@code captureFiles}, {@code serverPorts}, {@code targetHost}, {@code agentAddress},
 * {@code tokenFile}, {@code clientAddresses}.
 */
public final class GuiDriver {

    private static final Duration START = Duration.ofSeconds(150);
    private static final Duration STEP = Duration.ofSeconds(30);

    private final Properties settings;
    private final Path output;
    private final Properties result = new Properties();
    private final Screen screen;
    private Frame frame;

    private GuiDriver(Properties settings) throws Exception {
        this.settings = settings;
        this.output = Path.of(settings.getProperty("output"));
        this.screen = new Screen();
    }

    /**
     * The agent's entry point: drives the GUI on a thread of its own once JMeter's window is being built. AWT is not
     * touched before (a Robot made earlier initialises the toolkit before JMeter sets its look and feel, and JMeter
     * then fails to find its Darklaf theme).
     *
     * @param arguments the settings file
     * @param instrumentation to see when JMeter's MainFrame class is loaded
     */
    public static void premain(String arguments, Instrumentation instrumentation) {
        Thread driver = new Thread(() -> {
            long deadline = System.nanoTime() + START.toNanos();
            while (System.nanoTime() < deadline && !loaded(instrumentation, "org.apache.jmeter.gui.MainFrame")) {
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
            run(Path.of(arguments));
        }, "pcap-replay-gui-driver");
        driver.setDaemon(true);
        driver.start();
    }

    private static boolean loaded(Instrumentation instrumentation, String className) {
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (type.getName().equals(className)) {
                return true;
            }
        }
        return false;
    }

    private static void run(Path settingsFile) {
        Properties settings = new Properties();
        try (InputStream in = Files.newInputStream(settingsFile)) {
            settings.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        GuiDriver driver;
        try {
            driver = new GuiDriver(settings);
        } catch (Exception e) {
            System.err.println("gui driver: " + e);
            Runtime.getRuntime().halt(3);
            return;
        }
        driver.drive();
    }

    private void drive() {
        try {
            script();
        } catch (Throwable e) {
            result.setProperty("status", "failed");
            result.setProperty("failure", e.toString());
            log("FAILED: " + e);
            try {
                screen.screenshot(new Rectangle(0, 0, 1280, 1024), output.resolve("failure.png"));
            } catch (RuntimeException screenshot) {
                log("no failure screenshot: " + screenshot);
            }
            writeResult();
            System.exit(3);
        }
    }

    private void script() throws Exception {
        step("waiting for JMeter's window");
        frame = (Frame) screen.await("JMeter's main window", START, component -> component instanceof Frame f
            && f.getTitle() != null && f.getTitle().contains("Apache JMeter")
            && !Screen.all(f).stream().filter(JTree.class::isInstance).toList().isEmpty());
        Screen.onEventThread(() -> {
            frame.setBounds(0, 0, 1280, 1024);
            frame.validate();
            return null;
        });
        Thread.sleep(1_000);
        screen.screenshot(frame, output.resolve("01-jmeter-started.png"));
        makePlan();
        saveAndReopen();
        exitWithASecondGroup();
    }

    /** Both elements through the Add menus, their fields typed in. */
    private void makePlan() throws Exception {
        step("Test Plan > Add > Threads (Users) > Pcap Replay Thread Group");
        addFromMenu("Test Plan", "Threads (Users)", "Pcap Replay Thread Group");
        readThreadGroup("added");
        screen.screenshot(frame, output.resolve("02-thread-group-added.png"));

        step("editing the thread group");
        screen.replaceText(named("Thread Field"), settings.getProperty("users"));
        screen.replaceText(named("captureFiles"), settings.getProperty("captureFiles"));
        screen.replaceText(named("serverPorts"), settings.getProperty("serverPorts"));
        screen.screenshot(form("io.pcapreplay.jmeter.PcapReplayThreadGroupGui"),
            output.resolve("pcap-replay-thread-group.png"));

        step("Pcap Replay Thread Group > Add > Sampler > Pcap Session Sampler");
        addFromMenu("Pcap Replay Thread Group", "Sampler", "Pcap Session Sampler");
        readSampler("added");
        step("editing the sampler");
        for (String[] field : new String[][] {{"Target host:", "targetHost"}, {"Agent address:", "agentAddress"},
                {"Agent token file:", "tokenFile"}, {"Client addresses:", "clientAddresses"}}) {
            screen.replaceText(editor(field[0]), settings.getProperty(field[1]));
        }
        screen.screenshot(form("org.apache.jmeter.testbeans.gui.TestBeanGUI"),
            output.resolve("pcap-session-sampler.png"));
    }

    /** File > Save, File > New, File > Open, both forms shown, File > Save Test Plan as, File > New. */
    private void saveAndReopen() throws Exception {
        step("File > Save");
        menuBar("File", "Save");
        chooseFile(settings.getProperty("plan"));
        Path plan = Path.of(settings.getProperty("plan"));
        screen.waitUntil("the plan saved to " + plan, STEP, () -> Files.isRegularFile(plan)
            && frame.getTitle().contains(plan.getFileName().toString()));
        screen.screenshot(frame, output.resolve("03-saved.png"));

        step("File > New (the plan was just saved: no question expected)");
        result.setProperty("askedToSave.afterSave", String.valueOf(newPlan()));

        step("File > Open");
        menuBar("File", "Open");
        chooseFile(plan.toString());
        screen.waitUntil("the saved plan open", STEP, () -> frame.getTitle().contains(plan.getFileName().toString())
            && row("Pcap Replay Thread Group") >= 0);
        selectNode("Pcap Replay Thread Group");
        readThreadGroup("reloaded");
        screen.screenshot(frame, output.resolve("04-reloaded-thread-group.png"));
        selectNode("Pcap Session Sampler");
        readSampler("reloaded");
        screen.screenshot(frame, output.resolve("05-reloaded-sampler.png"));

        step("File > Save Test Plan as (the reopened plan, its forms shown: to compare with the first save)");
        menuBar("File", "Save Test Plan as");
        Path resaved = Path.of(settings.getProperty("resaved"));
        chooseFile(resaved.toString());
        screen.waitUntil("the plan saved again to " + resaved, STEP, () -> Files.isRegularFile(resaved)
            && frame.getTitle().contains(resaved.getFileName().toString()));

        step("File > New (the plan was just saved: no question expected)");
        result.setProperty("askedToSave.afterResave", String.valueOf(newPlan()));
    }

    /** A second group from the menu (its defaults), then the end: JMeter is ended with exit status 0. */
    private void exitWithASecondGroup() throws Exception {
        step("a second group from the menu starts from the defaults");
        addFromMenu("Test Plan", "Threads (Users)", "Pcap Replay Thread Group");
        readThreadGroup("second");
        step("done: ending JMeter");
        result.setProperty("status", "ok");
        writeResult();
        System.exit(0); // JMeter 5.6.3's File menu shows no Exit item under Xvfb
    }

    /** Right-clicks a tree node and follows Add > category > item in its popup menu. */
    private void addFromMenu(String node, String category, String item) throws InterruptedException {
        JTree tree = tree();
        int row = awaitRow(node);
        Rectangle bounds = Screen.onEventThread(() -> {
            Rectangle rectangle = tree.getRowBounds(row);
            java.awt.Point location = tree.getLocationOnScreen();
            return new Rectangle(location.x + rectangle.x, location.y + rectangle.y, rectangle.width,
                rectangle.height);
        });
        java.awt.Point point = new java.awt.Point(bounds.x + Math.min(40, bounds.width / 2),
            bounds.y + bounds.height / 2);
        screen.clickAt(point, InputEvent.BUTTON1_DOWN_MASK);
        screen.clickAt(point, InputEvent.BUTTON3_DOWN_MASK);
        screen.hover(menuItem("Add", JMenu.class));
        screen.hover(menuItem(category, JMenu.class));
        screen.click(menuItem(item, JMenuItem.class));
        screen.waitUntil("'" + item + "' added and selected", STEP, () -> {
            TreePath selected = tree.getSelectionPath();
            return selected != null && nodeName(selected.getLastPathComponent()).equals(item);
        });
        Thread.sleep(500);
    }

    private Component menuItem(String text, Class<? extends JMenuItem> type) throws InterruptedException {
        return screen.await("menu item '" + text + "'", STEP, component -> type.isInstance(component)
            && text.equals(((JMenuItem) component).getText()));
    }

    /** Clicks a menu of the menu bar, then one of its items. */
    private void menuBar(String menu, String item) throws InterruptedException {
        screen.click(screen.await("menu '" + menu + "'", STEP, component -> component instanceof JMenu m
            && menu.equals(m.getText()) && m.getParent() instanceof javax.swing.JMenuBar));
        screen.click(menuItem(item, JMenuItem.class));
    }

    /** In JMeter's file chooser: types the path into its file name field and presses Enter. */
    private void chooseFile(String path) throws InterruptedException {
        Component chooser = screen.await("the file chooser", STEP, JFileChooser.class::isInstance);
        Component name = Screen.find((JFileChooser) chooser, component -> component instanceof JTextComponent text
            && text.isEditable()).orElseThrow(() -> new IllegalStateException("no file name field in the chooser"));
        screen.replaceText(name, path);
        screen.chord(KeyEvent.VK_ENTER);
        screen.waitUntil("the file chooser closed", STEP, () -> !chooser.isShowing());
    }

    /** File > New; returns whether JMeter asked to save (then answers No). */
    private boolean newPlan() throws InterruptedException {
        menuBar("File", "New");
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < deadline) {
            var question = Screen.find(component -> component instanceof JOptionPane && inDialog(component));
            if (question.isPresent()) {
                screen.screenshot(question.get(), output.resolve("unexpected-save-question.png"));
                screen.click(Screen.find((JOptionPane) question.get(), component -> component instanceof AbstractButton
                    button && "No".equals(button.getText())).orElseThrow());
                return true;
            }
            Thread.sleep(100);
        }
        screen.waitUntil("an empty plan", STEP, () -> row("Pcap Replay Thread Group") < 0);
        return false;
    }

    private static boolean inDialog(Component component) {
        return javax.swing.SwingUtilities.getWindowAncestor(component) instanceof JDialog;
    }

    private void readThreadGroup(String prefix) throws InterruptedException {
        record(prefix + ".users", text(named("Thread Field")));
        record(prefix + ".rampUp", text(named("Ramp Up Field")));
        record(prefix + ".captureFiles", text(named("captureFiles")));
        record(prefix + ".serverPorts", text(named("serverPorts")));
        record(prefix + ".handOut", text(named("handOut")));
        record(prefix + ".mode", text(named("mode")));
        record(prefix + ".publishersEnabled", String.valueOf(Screen.onEventThread(named("publishers")::isEnabled)));
        record(prefix + ".virtualThreads", text(named("virtualThreads")));
    }

    private void readSampler(String prefix) throws InterruptedException {
        String[][] fields = {{"Target host:", "targetHost"}, {"Target port:", "targetPort"},
            {"Agent address:", "agentAddress"}, {"Agent token file:", "tokenFile"},
            {"Client addresses:", "clientAddresses"}, {"Transport:", "transport"},
            {"Speed (factor or %):", "speedFactor"}};
        for (String[] field : fields) {
            record(prefix + "." + field[1], text(editor(field[0])));
        }
    }

    private static String text(Component component) {
        return Screen.onEventThread(() -> {
            if (component instanceof JTextComponent field) {
                return field.getText();
            }
            if (component instanceof JCheckBox box) {
                return String.valueOf(box.isSelected());
            }
            if (component instanceof JComboBox<?> combo) {
                return String.valueOf(combo.getSelectedItem());
            }
            return "?" + component.getClass().getSimpleName();
        });
    }

    private Component named(String name) throws InterruptedException {
        return screen.await("the field named " + name, STEP, component -> name.equals(component.getName()));
    }

    /** The editor of a TestBean form field, found by its label. */
    private Component editor(String label) throws InterruptedException {
        JLabel found = (JLabel) screen.await("the field labelled " + label, STEP,
            component -> component instanceof JLabel text && label.equals(text.getText())
                && text.getLabelFor() != null);
        Component editor = Screen.onEventThread(found::getLabelFor);
        if (editor instanceof JComboBox<?> combo && combo.isEditable()) {
            return Screen.onEventThread(() -> combo.getEditor().getEditorComponent());
        }
        if (!(editor instanceof JTextComponent) && !(editor instanceof JComboBox)
                && editor instanceof Container panel) { // a file: a text field and Browse...
            return Screen.find(panel, JTextComponent.class::isInstance).orElse(editor);
        }
        return editor;
    }

    /** The showing form of a GUI class (by name: JMeter's classes are in JMeter's class loader). */
    private Component form(String className) throws InterruptedException {
        return screen.await("the form " + className, STEP, component -> component.getClass().getName()
            .equals(className));
    }

    private JTree tree() {
        return (JTree) Screen.find(frame, JTree.class::isInstance).orElseThrow();
    }

    private int awaitRow(String node) throws InterruptedException {
        screen.waitUntil("tree node " + node, STEP, () -> row(node) >= 0);
        return Screen.onEventThread(() -> row(node));
    }

    /** The first tree row showing the node name, -1 when none (expanding collapsed nodes as it looks). */
    private int row(String node) {
        return Screen.onEventThread(() -> {
            JTree tree = tree();
            for (int row = 0; row < tree.getRowCount(); row++) {
                if (nodeName(tree.getPathForRow(row).getLastPathComponent()).equals(node)) {
                    return row;
                }
                tree.expandRow(row);
            }
            return -1;
        });
    }

    /** The name a tree node shows (JMeterTreeNode.getName(), called by reflection: JMeter's class loader). */
    private static String nodeName(Object node) {
        try {
            return String.valueOf(node.getClass().getMethod("getName").invoke(node));
        } catch (ReflectiveOperationException e) {
            return String.valueOf(node);
        }
    }

    private void selectNode(String node) throws InterruptedException {
        JTree tree = tree();
        int row = awaitRow(node);
        Rectangle bounds = Screen.onEventThread(() -> {
            Rectangle rectangle = tree.getRowBounds(row);
            java.awt.Point location = tree.getLocationOnScreen();
            return new Rectangle(location.x + rectangle.x, location.y + rectangle.y, rectangle.width,
                rectangle.height);
        });
        screen.clickAt(new java.awt.Point(bounds.x + Math.min(40, bounds.width / 2), bounds.y + bounds.height / 2),
            InputEvent.BUTTON1_DOWN_MASK);
        screen.waitUntil("'" + node + "' selected", STEP, () -> {
            TreePath selected = tree.getSelectionPath();
            return selected != null && nodeName(selected.getLastPathComponent()).equals(node);
        });
        Thread.sleep(500);
    }

    private void record(String key, String value) {
        result.setProperty(key, value);
        log(key + " = " + value);
    }

    private void step(String what) {
        result.setProperty("lastStep", what);
        log("step: " + what);
        writeResult();
    }

    private void log(String line) {
        try {
            Files.writeString(output.resolve("driver.log"), Instant.now() + " " + line + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeResult() {
        try (OutputStream out = Files.newOutputStream(output.resolve("result.properties"))) {
            result.store(out, "GuiDriver");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
