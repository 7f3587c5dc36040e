package io.pcapreplay.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@LabTest
class LabHostTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void shouldHaveLinkAddressesWhenLabBuilt(Lab lab) {
        String addresses = lab.target().exec(TIMEOUT, "ip", "-o", "addr", "show").orThrow().stdout();

        assertThat(addresses).contains("198.19.1.2/24", "198.19.2.2/24", "2001:2:0:1::2/64", "2001:2:0:2::2/64")
                .doesNotContain("198.19.3.");
        assertThat(lab.target().interfaceTo(LabRole.CLIENT)).hasSizeLessThanOrEqualTo(15);
        assertThat(addresses).contains(lab.target().interfaceTo(LabRole.ASSISTANT));
    }

    @Test
    void shouldRouteFakeClientsViaAssistantWhenAskingTheTarget(Lab lab) {
        String route4 = lab.target().exec(TIMEOUT, "ip", "route", "get", "198.18.3.4").orThrow().stdout();
        String route6 = lab.target().exec(TIMEOUT, "ip", "-6", "route", "get", "2001:2:0:ff00::7").orThrow().stdout();

        assertThat(route4).contains("via 198.19.2.3", lab.target().interfaceTo(LabRole.ASSISTANT));
        assertThat(route6).contains("via 2001:2:0:2::3");
        assertThat(lab.fakeClientRange().contains(lab.fakeClientRange().host(0x0304))).isTrue();
    }

    @Test
    void shouldSetSysctlsWhenLabBuilt(Lab lab) {
        String target = lab.target().exec(TIMEOUT, "sh", "-c", "cat /proc/sys/net/ipv4/conf/*/rp_filter").orThrow()
                .stdout();
        String assistant = lab.assistant().exec(TIMEOUT, "cat", "/proc/sys/net/ipv4/ip_forward",
                "/proc/sys/net/ipv6/conf/all/forwarding").orThrow().stdout();

        assertThat(target.split("\\s+")).containsOnly("0");
        assertThat(assistant.split("\\s+")).containsExactly("0", "0");
    }

    @Test
    void shouldConnectFromClientToTargetWhenUsingNamespaceThreads(Lab lab) throws Exception {
        InetSocketAddress address = new InetSocketAddress(lab.target().ipv4To(LabRole.CLIENT), 0);
        try (ServerSocket server = lab.target().call(() -> new ServerSocket(address.getPort(), 10,
                address.getAddress()))) {
            String received = lab.client().call(() -> {
                try (Socket socket = new Socket(address.getAddress(), server.getLocalPort());
                        Socket accepted = server.accept()) {
                    OutputStream out = socket.getOutputStream();
                    out.write("hello".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    InputStream in = accepted.getInputStream();
                    return new String(in.readNBytes(5), StandardCharsets.US_ASCII) + " from "
                            + accepted.getInetAddress().getHostAddress();
                }
            });
            assertThat(received).isEqualTo("hello from 198.19.1.1");
        }
    }

    @Test
    void shouldBindLabAddressOnlyWhenCallingInTheNamespace(Lab lab) {
        InetSocketAddress address = new InetSocketAddress(lab.assistant().ipv6To(LabRole.TARGET), 0);

        int port = lab.assistant().call(() -> {
            try (ServerSocket server = new ServerSocket()) {
                server.bind(address);
                return server.getLocalPort();
            }
        });

        assertThat(port).isPositive();
        assertThatThrownBy(() -> {
            try (ServerSocket server = new ServerSocket()) {
                server.bind(address);
            }
        }).isInstanceOf(BindException.class);
    }

    @Test
    void shouldFailClearlyWhenCommandTimesOut(Lab lab) {
        assertThatThrownBy(() -> lab.client().exec(Duration.ofMillis(300), "sleep", "30"))
                .isInstanceOf(LabException.class).hasMessageContaining("still running after")
                .hasMessageContaining("sleep 30");
    }

    @Test
    void shouldStopWholeTreeWhenProcessStopped(Lab lab) {
        LabProcess process = lab.client().start("sh", "-c", "sleep 60 & sleep 60 & echo started; wait");
        process.awaitOutput("started", TIMEOUT);
        List<ProcessHandle> tree = process.process().toHandle().descendants().collect(Collectors.toList());

        process.stop();

        assertThat(tree).hasSizeGreaterThanOrEqualTo(2).as("ended (zombies waiting for init count as ended)")
                .noneMatch(Processes::running);
        assertThat(process.isAlive()).isFalse();
    }

    @Test
    void shouldReportExitCodeAndOutputWhenCommandEnds(Lab lab) {
        ExecResult result = lab.assistant().exec(TIMEOUT, "sh", "-c", "echo out; echo err >&2; exit 3");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThatThrownBy(result::orThrow).hasMessageContaining("exit code 3").hasMessageContaining("err");
    }
}
