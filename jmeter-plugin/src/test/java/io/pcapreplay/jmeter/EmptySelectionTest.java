package io.pcapreplay.jmeter;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.pcap.TestCaptures;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Server ports that select none of a capture's sessions make the group replay nothing, with a warning (as 0 users
 * do), so a plan with a group per port still runs when one port is absent from today's capture; a capture with no
 * session at all stays a set-up failure. The capture: truncated-and-whole.pcap (sessions to port 80 only).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EmptySelectionTest {

    @Test
    void shouldStartNoUserAndReportNoFailureWhenTheServerPortsSelectNoSession() {
        PcapReplayThreadGroup group = new PcapReplayThreadGroup();
        group.setName("port 8080");
        group.setCaptureFiles(TestCaptures.fixture("truncated-and-whole.pcap").toString());
        group.setServerPorts("8080");
        group.setNumThreads(5);

        group.loadSessions();

        assertThat(group.loadError()).as("not a set-up failure").isNull();
        assertThat(group.sessionSource()).isNull();
        assertThat(group.getNumThreads()).as("no user started").isZero();
    }

    @Test
    void shouldStartTheUsersAgainWhenTheSelectionMatchesOnTheNextRun() {
        PcapReplayThreadGroup group = new PcapReplayThreadGroup();
        group.setName("port 80");
        group.setCaptureFiles(TestCaptures.fixture("truncated-and-whole.pcap").toString());
        group.setServerPorts("8080");
        group.setNumThreads(5);
        group.loadSessions();

        group.setServerPorts("80");
        group.loadSessions();

        try {
            assertThat(group.loadError()).isNull();
            assertThat(group.getNumThreads()).isEqualTo(5);
        } finally {
            group.sessionSource().close();
        }
    }

    @Test
    void shouldStayASetUpFailureWhenTheCaptureHoldsNoSessionAtAll() {
        PcapReplayThreadGroup group = new PcapReplayThreadGroup();
        group.setName("empty");
        Path file = TestCaptures.fixture("no-tcp.pcap");
        group.setCaptureFiles(file.toString());
        group.setServerPorts("80");
        group.setNumThreads(3);

        group.loadSessions();

        assertThat(group.loadError()).startsWith("empty: TCP sessions in " + file);
        assertThat(group.getNumThreads()).as("its users start and report the failure").isEqualTo(3);
    }
}
