package io.pcapreplay.jmeter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.jmeter.control.LoopController;
import org.apache.jmeter.testelement.TestElement;
import org.apache.jmeter.testelement.property.PropertyIterator;
import org.apache.jmeter.threads.AbstractThreadGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The copy of the group each thread-per-user user runs as its loop ({@code userCopy}): the loop controller cloned
 * as JMeter clones it, what the group's {@code next()} reads, and none of the replay settings (read from the group
 * itself), so that hundreds of thousands of users do not each carry every setting.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UserCopyTest {

    @Test
    void shouldKeepTheLoopAndEverySessionOnceButNotTheReplaySettingsWhenAUserStarts() {
        PcapReplayThreadGroup group = new PcapReplayThreadGroup();
        group.assignReplayDefaults();
        group.setName("users");
        group.setCaptureFiles("first.pcap,second.pcap");
        group.setFilter("tcp port 80");
        group.setEachSessionOnce(true);
        group.setNumThreads(100_000);
        LoopController loop = new LoopController();
        loop.setLoops(3);
        group.setSamplerController(loop);
        group.setRunningVersion(true);

        VirtualUserThreadGroup copy = group.userCopy();

        assertThat(copy).isInstanceOf(PcapReplayThreadGroup.class).isNotSameAs(group);
        assertThat(names(copy)).containsExactlyInAnyOrder(TestElement.NAME, AbstractThreadGroup.MAIN_CONTROLLER,
            PcapReplayThreadGroup.EACH_SESSION_ONCE);
        assertThat(copy.getName()).isEqualTo("users");
        assertThat(((PcapReplayThreadGroup) copy).getEachSessionOnce()).isTrue();
        assertThat(((PcapReplayThreadGroup) copy).getCaptureFiles()).as("read from the group itself").isEmpty();
        assertThat(copy.getSamplerController()).as("each user counts its own loops").isNotSameAs(loop)
            .isInstanceOf(LoopController.class);
        assertThat(((LoopController) copy.getSamplerController()).getLoops()).isEqualTo(3);
        assertThat(copy.isRunningVersion()).isTrue();
        assertThat(group.getCaptureFiles()).as("the group keeps its settings").isEqualTo("first.pcap,second.pcap");
    }

    private static List<String> names(TestElement element) {
        List<String> names = new ArrayList<>();
        PropertyIterator properties = element.propertyIterator();
        while (properties.hasNext()) {
            names.add(properties.next().getName());
        }
        return names;
    }
}
