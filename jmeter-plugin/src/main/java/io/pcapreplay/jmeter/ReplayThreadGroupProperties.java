package io.pcapreplay.jmeter;

import java.util.List;

/**
 * The replay settings the {@link PcapReplayThreadGroup} saves in addition to JMeter's thread group (users, ramp-up,
 * loops, duration): property names, defaults and accessors, for the group, its form and the saved plans. Public:
 * plans and the GUI name these properties.
 */
public abstract class ReplayThreadGroupProperties extends VirtualUserThreadGroup {

    /** Capture files, separated by commas or semicolons. */
    public static final String CAPTURE_FILES = "PcapReplayThreadGroup.captureFiles";
    /** Recorded server ports, separated by commas; empty for any. */
    public static final String SERVER_PORTS = "PcapReplayThreadGroup.serverPorts";
    /** Optional BPF filter. */
    public static final String FILTER = "PcapReplayThreadGroup.filter";
    /** Live interface to copy sessions from (instead of the capture files); empty for files. */
    public static final String LIVE_INTERFACE = "PcapReplayThreadGroup.liveInterface";
    /** Live: percentage of the sessions copied (stable hash of the 4-tuple). */
    public static final String LIVE_PERCENT = "PcapReplayThreadGroup.livePercent";
    /** Live: replays of each copied session. */
    public static final String LIVE_AMPLIFICATION = "PcapReplayThreadGroup.liveAmplification";
    /** Live: prefix of the pcapng files recorded, empty for none. */
    public static final String LIVE_RECORD = "PcapReplayThreadGroup.liveRecord";
    /** Live: size, time and file-count limits of the recording (see {@code LiveRecording.parse}). */
    public static final String LIVE_RECORD_LIMITS = "PcapReplayThreadGroup.liveRecordLimits";
    /** {@link HandOut} name. */
    public static final String HAND_OUT = "PcapReplayThreadGroup.handOut";
    /** Session starts per second, 0 = unlimited (in addition to the ramp-up). */
    public static final String START_RATE = "PcapReplayThreadGroup.startRate";
    /** {@link UserMode} name. */
    public static final String MODE = "PcapReplayThreadGroup.mode";
    /** Thread per user: virtual threads when the JVM has them (Java 21+), default true. */
    public static final String VIRTUAL_THREADS = "PcapReplayThreadGroup.virtualThreads";
    /** Publishing JMeter threads in engine-driven mode. */
    public static final String PUBLISHERS = "PcapReplayThreadGroup.publishers";
    /** Every session once: users and loops follow from the capture (boolean, default false). */
    public static final String EACH_SESSION_ONCE = "PcapReplayThreadGroup.eachSessionOnce";
    /** Default {@link #LIVE_PERCENT}: every session. */
    public static final String DEFAULT_LIVE_PERCENT = "100";
    /** Default {@link #LIVE_AMPLIFICATION}: one replay per session. */
    public static final String DEFAULT_LIVE_AMPLIFICATION = "1";
    /** Default {@link #HAND_OUT}. */
    public static final String DEFAULT_HAND_OUT = "round-robin";
    /** Default {@link #START_RATE}: no limit. */
    public static final String DEFAULT_START_RATE = "0";
    /** Default {@link #MODE}. */
    public static final String DEFAULT_MODE = "thread-per-user";
    /** Default {@link #PUBLISHERS}. */
    public static final String DEFAULT_PUBLISHERS = "2";
    /** The replay settings this group adds to JMeter's thread group, in form order. */
    public static final List<String> REPLAY_PROPERTIES = List.of(CAPTURE_FILES, SERVER_PORTS, FILTER, LIVE_INTERFACE,
        LIVE_PERCENT, LIVE_AMPLIFICATION, LIVE_RECORD, LIVE_RECORD_LIMITS, HAND_OUT, START_RATE, MODE, PUBLISHERS,
        VIRTUAL_THREADS, EACH_SESSION_ONCE);

    private static final long serialVersionUID = 1L;

    /** Writes every replay setting with its default: what a group added from the menu starts with. */
    void assignReplayDefaults() {
        setProperty(CAPTURE_FILES, "");
        setProperty(SERVER_PORTS, "");
        setProperty(FILTER, "");
        setProperty(LIVE_INTERFACE, "");
        setProperty(LIVE_PERCENT, DEFAULT_LIVE_PERCENT);
        setProperty(LIVE_AMPLIFICATION, DEFAULT_LIVE_AMPLIFICATION);
        setProperty(LIVE_RECORD, "");
        setProperty(LIVE_RECORD_LIMITS, "");
        setProperty(HAND_OUT, DEFAULT_HAND_OUT);
        setProperty(START_RATE, DEFAULT_START_RATE);
        setProperty(MODE, DEFAULT_MODE);
        setProperty(PUBLISHERS, DEFAULT_PUBLISHERS);
        setProperty(VIRTUAL_THREADS, "true");
        setProperty(EACH_SESSION_ONCE, false);
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

    public String getLiveInterface() {
        return getPropertyAsString(LIVE_INTERFACE).trim();
    }

    public void setLiveInterface(String value) {
        setProperty(LIVE_INTERFACE, value);
    }

    public String getLivePercent() {
        return getPropertyAsString(LIVE_PERCENT, DEFAULT_LIVE_PERCENT);
    }

    public void setLivePercent(String value) {
        setProperty(LIVE_PERCENT, value);
    }

    public String getLiveAmplification() {
        return getPropertyAsString(LIVE_AMPLIFICATION, DEFAULT_LIVE_AMPLIFICATION);
    }

    public void setLiveAmplification(String value) {
        setProperty(LIVE_AMPLIFICATION, value);
    }

    public String getLiveRecord() {
        return getPropertyAsString(LIVE_RECORD);
    }

    public void setLiveRecord(String value) {
        setProperty(LIVE_RECORD, value);
    }

    public String getLiveRecordLimits() {
        return getPropertyAsString(LIVE_RECORD_LIMITS);
    }

    public void setLiveRecordLimits(String value) {
        setProperty(LIVE_RECORD_LIMITS, value);
    }

    public String getHandOut() {
        return getPropertyAsString(HAND_OUT, DEFAULT_HAND_OUT);
    }

    public void setHandOut(String value) {
        setProperty(HAND_OUT, value);
    }

    public String getMode() {
        return getPropertyAsString(MODE, DEFAULT_MODE);
    }

    public void setMode(String value) {
        setProperty(MODE, value);
    }

    public String getPublishers() {
        return getPropertyAsString(PUBLISHERS, DEFAULT_PUBLISHERS);
    }

    public void setPublishers(String value) {
        setProperty(PUBLISHERS, value);
    }

    public boolean getVirtualThreads() {
        return getPropertyAsBoolean(VIRTUAL_THREADS, true);
    }

    public void setVirtualThreads(boolean value) {
        setProperty(VIRTUAL_THREADS, value);
    }

    public boolean getEachSessionOnce() {
        return getPropertyAsBoolean(EACH_SESSION_ONCE, false);
    }

    public void setEachSessionOnce(boolean value) {
        setProperty(EACH_SESSION_ONCE, value);
    }

    public String getStartRate() {
        return getPropertyAsString(START_RATE, DEFAULT_START_RATE);
    }

    public void setStartRate(String value) {
        setProperty(START_RATE, value);
    }
}
