package io.pcapreplay.jmeter;

import io.pcapreplay.pcap.CaptureException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.jmeter.engine.StandardJMeterEngine;
import org.apache.jmeter.samplers.Sampler;
import org.apache.jmeter.threads.JMeterContextService;
import org.apache.jmeter.threads.ListenerNotifier;
import org.apache.jmeter.threads.ThreadGroup;
import org.apache.jorphan.collections.ListedHashTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Pcap Replay Thread Group": a {@link ThreadGroup} (users, ramp-up, loops, duration) that reads capture files at
 * the start of the test and hands their sessions to its users. Thread per user: each user is a JMeter thread; one
 * loop iteration replays one whole session, the {@link PcapSessionSampler} being called once per exchange (this
 * group's {@link #next()} hands it back until the session is over).
 */
public class PcapReplayThreadGroup extends ThreadGroup {

    /** Capture files, separated by commas or semicolons. */
    public static final String CAPTURE_FILES = "PcapReplayThreadGroup.captureFiles";
    /** Recorded server ports, separated by commas; empty for any. */
    public static final String SERVER_PORTS = "PcapReplayThreadGroup.serverPorts";
    /** Optional BPF filter. */
    public static final String FILTER = "PcapReplayThreadGroup.filter";
    /** {@link HandOut} name. */
    public static final String HAND_OUT = "PcapReplayThreadGroup.handOut";
    /** Session starts per second, 0 = unlimited (in addition to the ramp-up). */
    public static final String START_RATE = "PcapReplayThreadGroup.startRate";

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PcapReplayThreadGroup.class);

    private transient volatile SessionSource sessionSource;
    private transient volatile String loadError;

    /** Loads the sessions, then starts the users. */
    @Override
    public void start(int groupNumber, ListenerNotifier notifier, ListedHashTree threadGroupTree,
            StandardJMeterEngine engine) {
        loadSessions();
        super.start(groupNumber, notifier, threadGroupTree, engine);
    }

    /** While the user's session has exchanges left, the same sampler again; else the next element. */
    @Override
    public Sampler next() {
        UserSession user = UserSession.find(JMeterContextService.getContext().getVariables());
        if (user != null && user.isActive() && user.sampler() != null) {
            return user.sampler();
        }
        return super.next();
    }

    /** Reads the capture files; on failure keeps the message for the samplers ({@link #loadError()}). */
    void loadSessions() {
        sessionSource = null;
        loadError = null;
        try {
            HandOut handOut = HandOut.parse(getHandOut());
            sessionSource = new SessionSource(SessionSource.read(files(getCaptureFiles()), ports(getServerPorts()),
                getFilter()), handOut, System.nanoTime());
            LOG.info("{}: {} session(s) from {}", getName(), sessionSource.sessions().size(), getCaptureFiles());
        } catch (CaptureException | IllegalArgumentException e) {
            loadError = getName() + ": " + e.getMessage();
            LOG.error("{}", loadError);
        }
    }

    /** Returns the sessions of this test run, or null when loading failed (see {@link #loadError()}). */
    public SessionSource sessionSource() {
        return sessionSource;
    }

    /** Returns why the captures could not be loaded, or null. */
    public String loadError() {
        return loadError;
    }

    static List<Path> files(String text) {
        List<Path> files = new ArrayList<>();
        for (String item : text.split("[,;]")) {
            if (!item.isBlank()) {
                files.add(Path.of(item.trim()));
            }
        }
        return files;
    }

    static List<Integer> ports(String text) {
        List<Integer> ports = new ArrayList<>();
        for (String item : text.split("[,;\\s]+")) {
            if (item.isBlank()) {
                continue;
            }
            int port;
            try {
                port = Integer.parseInt(item.trim());
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("recorded server port: '" + item.trim()
                    + "' (expected: 1..65535, several separated by commas, or empty for any)");
            }
            ports.add(port);
        }
        return ports;
    }

    public String getCaptureFiles() {
        return getPropertyAsString(CAPTURE_FILES);
    }

    public void setCaptureFiles(String value) {
        setProperty(CAPTURE_FILES, value);
    }

    public String getServerPorts() {
        return getPropertyAsString(SERVER_PORTS);
    }

    public void setServerPorts(String value) {
        setProperty(SERVER_PORTS, value);
    }

    public String getFilter() {
        return getPropertyAsString(FILTER);
    }

    public void setFilter(String value) {
        setProperty(FILTER, value);
    }

    public String getHandOut() {
        return getPropertyAsString(HAND_OUT, "round-robin");
    }

    public void setHandOut(String value) {
        setProperty(HAND_OUT, value);
    }

    public String getStartRate() {
        return getPropertyAsString(START_RATE, "0");
    }

    public void setStartRate(String value) {
        setProperty(START_RATE, value);
    }
}
