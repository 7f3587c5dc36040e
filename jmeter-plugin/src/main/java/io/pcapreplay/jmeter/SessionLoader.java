package io.pcapreplay.jmeter;

import io.pcapreplay.pcap.CaptureException;
import io.pcapreplay.pcap.CaptureOptions;
import io.pcapreplay.pcap.LiveOptions;
import io.pcapreplay.pcap.LiveSessionStream;
import io.pcapreplay.pcap.SessionStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.jmeter.util.JMeterUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the sessions of a {@link PcapReplayThreadGroup} from its settings when the test starts: its capture files as
 * a stream (read as users need them, see {@link SessionSource}) or its live interface, up to the first session. A
 * failure becomes the message its samplers report; server ports that select no session leave the group empty.
 */
final class SessionLoader {

    /** The group's log lines: same category as before the split. */
    private static final Logger LOG = LoggerFactory.getLogger(PcapReplayThreadGroup.class);

    /**
     * What loading found.
     *
     * @param source the sessions, or null
     * @param loadError why they could not be loaded (the group's name first), or null
     * @param onceUsers the users every session once needs ({@link CaptureCensus#users()}), 0 when not asked for
     * @param emptySelection whether the server ports select no session (nothing to replay, not a failure)
     */
    record Loaded(SessionSource source, String loadError, int onceUsers, boolean emptySelection) {
    }

    private SessionLoader() {
    }

    /**
     * Opens the group's sessions and reads up to the first one; a failure is reported ({@link SetupFailures}) and
     * returned, not thrown.
     *
     * @param group the thread group
     * @return what loading found
     */
    static Loaded load(PcapReplayThreadGroup group) {
        try {
            HandOut handOut = HandOut.parse(group.getHandOut());
            CaptureLimits limits = CaptureLimits.read(JMeterUtils::getProperty);
            CaptureOptions options = limits.options().withServerPorts(ports(group.getServerPorts()))
                .withFilter(group.getFilter());
            Duration causalMaxWait = Duration.ofSeconds(Math.max(1,
                JMeterUtils.getPropDefault(PcapReplayThreadGroup.CAUSAL_MAX_WAIT_PROPERTY, 60)));
            if (!group.getLiveInterface().isBlank()) {
                LiveOptions live = LiveSettings.options(group, options);
                SessionSource source = SessionSource.open(group.getName(), listener -> LiveSessionStream.open(live),
                    new LeftOutWarnings(group.getName()), handOut, System.nanoTime(), limits.randomWindow())
                    .causalMaxWait(causalMaxWait);
                LOG.info("{}: copying live sessions from {}: {}% of them, each replayed {} time(s){} ({})",
                    group.getName(), source.stream().source(), live.percent(), live.amplification(),
                    live.recording() == null ? "" : ", recorded to " + live.recording().file(1) + " ...",
                    options.describeLimits());
                return new Loaded(source, null, 0, false);
            }
            SessionStream.Opener opener = CaptureFiles.opener(files(group.getCaptureFiles()), options);
            SessionSource source = SessionSource.open(group.getName(), opener, new LeftOutWarnings(group.getName()),
                handOut, System.nanoTime(), limits.randomWindow());
            source.causalMaxWait(causalMaxWait);
            int onceUsers = 0;
            if (group.getEachSessionOnce()) {
                CaptureCensus census = CaptureCensus.of(opener);
                source.once();
                onceUsers = census.users();
                LOG.info("{}", census.describe(group.getName()));
            }
            LOG.info("{}: reading sessions from {} ({})", group.getName(), group.getCaptureFiles(),
                options.describeLimits());
            return new Loaded(source, null, onceUsers, false);
        } catch (NoSessionException e) {
            if (e.selectionExcludedAll()) {
                LOG.warn("{}: server port(s) '{}' select no session: {}; this group replays nothing", group.getName(),
                    group.getServerPorts(), e.getMessage());
                return new Loaded(null, null, 0, true);
            }
            SetupFailures.report(group.getName(), e.getMessage());
            return new Loaded(null, group.getName() + ": " + e.getMessage(), 0, false);
        } catch (CaptureException | IllegalArgumentException e) {
            SetupFailures.report(group.getName(), e.getMessage());
            return new Loaded(null, group.getName() + ": " + e.getMessage(), 0, false);
        }
    }

    /** The capture files named in the text: absolute, or relative to the plan's folder ({@link PlanFiles}). */
    static List<Path> files(String text) {
        List<Path> files = new ArrayList<>();
        for (String item : text.split("[,;]")) {
            if (!item.isBlank()) {
                files.add(PlanFiles.resolve(item));
            }
        }
        return files;
    }

    /** The recorded server ports named in the text (commas, semicolons or spaces between); empty for any. */
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
}
