package io.pcapreplay.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.protocol.HostReportMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFactsTest {

    @TempDir
    Path procSys;

    @Test
    void shouldReportForwardingPerDeviceAndTheCaptureWhenProcShowsThem() throws IOException {
        write("net/ipv4/ip_forward", "0\n");
        write("net/ipv6/conf/all/forwarding", "0\n");
        write("net/ipv4/conf/eth1/forwarding", "1\n");

        Map<String, String> facts = new HostFacts(procSys, List.of("eth1", "any"), "tcp and dst net 198.18.0.0/15")
                .read();

        assertThat(facts).containsExactly(
                Map.entry(HostReportMessage.IPV4_FORWARDING, "0"),
                Map.entry(HostReportMessage.IPV6_FORWARDING, "0"),
                Map.entry("net.ipv4.conf.eth1.forwarding", "1"),
                Map.entry(HostReportMessage.CAPTURE_DEVICES, "eth1,any"),
                Map.entry(HostReportMessage.CAPTURE_FILTER, "tcp and dst net 198.18.0.0/15"));
    }

    @Test
    void shouldReadTheSettingsAgainWhenAskedAgain() throws IOException {
        HostFacts hostFacts = new HostFacts(procSys, List.of("eth0"), "tcp");
        write("net/ipv4/ip_forward", "1");
        assertThat(hostFacts.read()).containsEntry(HostReportMessage.IPV4_FORWARDING, "1");

        write("net/ipv4/ip_forward", "0");

        assertThat(hostFacts.read()).containsEntry(HostReportMessage.IPV4_FORWARDING, "0")
                .doesNotContainKey("net.ipv4.conf.eth0.forwarding");
    }

    @Test
    void shouldStayWithinTheMessageLimitsWhenManyDevicesAreCaptured() {
        List<String> devices = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "veth" + i).toList();

        Map<String, String> facts = new HostFacts(Path.of("/proc/sys"), devices, "x".repeat(5000)).read();

        assertThat(new HostReportMessage(1, facts).facts()).hasSizeLessThanOrEqualTo(64);
    }

    private void write(String file, String content) throws IOException {
        Path path = procSys.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
    }
}
