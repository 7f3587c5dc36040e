package io.pcapreplay.jmeter;

import io.pcapreplay.net.ReplayRuntime;
import io.pcapreplay.net.ReplayRuntimeException;
import java.util.function.Consumer;
import org.apache.jmeter.testbeans.TestBeanHelper;
import org.apache.jorphan.collections.ListedHashTree;
import org.apache.jorphan.collections.SearchByClass;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hand-outs at recorded offsets: opens the replay runtime of a thread group's first {@link PcapSessionSampler} (raw
 * socket, agent connection, clock estimate) before any user starts, so that the offsets count from the replay's
 * start, not from when the first user opened the runtime. A failure here is left to the users (each reports it as a
 * SETUP_FAILED sample, as without this).
 */
final class EarlyRuntime {

    /** The group's log lines: same category as before the split. */
    private static final Logger LOG = LoggerFactory.getLogger(PcapReplayThreadGroup.class);

    private EarlyRuntime() {
    }

    /**
     * Opens the runtime of the first sampler in the group's tree, if any, and publishes its clock estimate.
     *
     * @param group the group's name, for log lines
     * @param startRate the group's session start rate
     * @param threadGroupTree the group's tree
     * @param keep receives the runtime once acquired (the group releases it when the test starts again)
     */
    static void open(String group, String startRate, ListedHashTree threadGroupTree, Consumer<ReplayRuntime> keep) {
        SearchByClass<PcapSessionSampler> search = new SearchByClass<>(PcapSessionSampler.class);
        threadGroupTree.traverse(search);
        for (PcapSessionSampler sampler : search.getSearchResults()) {
            try {
                PcapSessionSampler copy = (PcapSessionSampler) sampler.clone();
                TestBeanHelper.prepare(copy);
                ReplayRuntime runtime = ReplayRuntime.acquire(SamplerSettings.parse(copy, startRate));
                keep.accept(runtime);
                ClockProperties.publish(runtime);
                LOG.info("{}: replay runtime opened before the first session (recorded start offsets count from "
                    + "now)", group);
            } catch (ReplayRuntimeException | RuntimeException e) {
                LOG.debug("{}: runtime not opened before the users: {}", group, e.getMessage());
            }
            break;
        }
    }
}
