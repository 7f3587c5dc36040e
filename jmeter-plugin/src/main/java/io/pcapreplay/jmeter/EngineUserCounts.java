package io.pcapreplay.jmeter;

import org.apache.jmeter.processor.PostProcessor;
import org.apache.jmeter.samplers.SampleResult;
import org.apache.jmeter.testelement.AbstractTestElement;
import org.apache.jmeter.threads.JMeterContext;
import org.apache.jmeter.threads.JMeterContextService;

/**
 * Added by an engine-driven {@link PcapReplayThreadGroup} to its own tree: after JMeter filled in the thread counts
 * of a published sample (the publishing threads), puts the active engine users there instead, so the JTL's
 * grpThreads/allThreads columns show users.
 */
public class EngineUserCounts extends AbstractTestElement implements PostProcessor {

    private static final long serialVersionUID = 1L;

    @Override
    public void process() {
        JMeterContext context = JMeterContextService.getContext();
        SampleResult sample = context.getPreviousResult();
        if (sample == null || !(context.getThreadGroup() instanceof PcapReplayThreadGroup group)) {
            return;
        }
        EngineUsers users = group.runningEngineUsers();
        if (users == null) {
            return;
        }
        int active = users.activeUsers();
        int publishers = group.numberOfActiveThreads();
        sample.setGroupThreads(active);
        sample.setAllThreads(Math.max(active, JMeterContextService.getNumberOfThreads() - publishers + active));
    }
}
