package io.pcapreplay.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * The BPF programs libpcap compiles, run in Java, accept exactly the frames libpcap's own {@code
 * pcap_offline_filter} accepts: every frame of every public capture, for expressions that exercise loads (absolute,
 * indexed, the IP header length), arithmetic, jumps and the wire length.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BpfFilterTest {

    private static final List<String> EXPRESSIONS = List.of("tcp", "tcp port 80", "host 192.150.187.43",
        "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0", "ip6 and tcp", "vlan and tcp", "greater 200",
        "tcp and (tcp[12] >> 2) > 20", "ip[2:2] - ((ip[0] & 0xf) << 2) - ((tcp[12] & 0xf0) >> 2) > 100",
        "not arp and len % 3 = 1", "net 10.0.0.0/8 or net 198.18.0.0/15");

    @BeforeAll
    static void requireLibpcap() {
        TestCaptures.requireLibpcap();
    }

    @Test
    void shouldAcceptTheFramesLibpcapAcceptsWhenRunningItsProgram() throws Exception {
        long compared = 0;
        long accepted = 0;
        for (Path file : TestCaptures.allPublicCaptures()) {
            long[] counts = compare(file);
            compared += counts[0];
            accepted += counts[1];
        }

        assertThat(compared).as("frame/expression pairs").isGreaterThan(100_000);
        assertThat(accepted).as("some accepted, some not").isPositive().isLessThan(compared);
    }

    @Test
    void shouldRejectWhenALoadIsBeyondTheCapturedBytesOrADivisorIsZero() {
        BpfFilter load = new BpfFilter("ld [100]", new int[][] {{0x20, 0, 0, 100}, {0x06, 0, 0, 1}});
        BpfFilter divide = new BpfFilter("a / x", new int[][] {{0x01, 0, 0, 0}, {0x3c, 0, 0, 0}, {0x06, 0, 0, 1}});
        BpfFilter unknown = new BpfFilter("?", new int[][] {{0xff, 0, 0, 0}, {0x06, 0, 0, 1}});

        assertThat(load.matches(new byte[104], 0, 104, 104)).isTrue();
        assertThat(load.matches(new byte[104], 0, 103, 104)).isFalse();
        assertThat(load.matches(new byte[200], 100, 100, 100)).as("relative to the frame's offset").isFalse();
        assertThat(divide.matches(new byte[10], 0, 10, 10)).isFalse();
        assertThat(unknown.matches(new byte[10], 0, 10, 10)).isFalse();
    }

    @Test
    void shouldNameTheFileAndLibpcapsReasonWhenTheExpressionIsInvalid() {
        Path file = Path.of("capture.pcap");

        assertThatThrownBy(() -> BpfCompiler.compile("tcp port eighty", LinkType.EN10MB, file))
            .isInstanceOf(CaptureException.class)
            .hasMessageStartingWith("BPF filter 'tcp port eighty' for capture.pcap: ")
            .hasMessageContaining("(expected: a pcap-filter(7) expression");
    }

    /** Returns {frames compared, frames accepted}. */
    private static long[] compare(Path file) throws Exception {
        long[] counts = new long[2];
        List<BpfFilter> ours = new ArrayList<>();
        List<BpfProgram> theirs = new ArrayList<>();
        PcapHandle dead = null;
        try (CaptureFile capture = CaptureFile.open(file)) {
            LinkType linkType = capture.linkType();
            int dlt = linkType == LinkType.RAW_LINKTYPE || linkType == LinkType.RAW_OPENBSD ? 12 : linkType.dlt();
            dead = Pcaps.openDead(DataLinkType.getInstance(dlt), CaptureFile.MAX_CAPTURED_LENGTH);
            Inet4Address netmask = (Inet4Address) InetAddress.getByName("255.255.255.255");
            List<String> expressions = new ArrayList<>();
            for (String expression : EXPRESSIONS) {
                try {
                    ours.add(BpfCompiler.compile(expression, linkType, file));
                } catch (CaptureException e) {
                    PcapHandle handle = dead;
                    assertThatThrownBy(() -> handle.compileFilter(expression, BpfProgram.BpfCompileMode.OPTIMIZE,
                        netmask)).as("libpcap refuses it too: " + e.getMessage()).isNotNull();
                    continue;
                }
                theirs.add(dead.compileFilter(expression, BpfProgram.BpfCompileMode.OPTIMIZE, netmask));
                expressions.add(expression);
            }
            while (capture.next()) {
                if (capture.recordLinkType() != linkType) {
                    continue;
                }
                byte[] frame = Arrays.copyOfRange(capture.buffer(), capture.offset(),
                    capture.offset() + capture.capturedLength());
                for (int index = 0; index < ours.size(); index++) {
                    boolean expected = theirs.get(index).applyFilter(frame, capture.originalLength(), frame.length);
                    boolean actual = ours.get(index).matches(capture.buffer(), capture.offset(),
                        capture.capturedLength(), capture.originalLength());
                    assertThat(actual).as(file.getFileName() + " record " + capture.records() + ": "
                        + expressions.get(index)).isEqualTo(expected);
                    counts[0]++;
                    counts[1] += actual ? 1 : 0;
                }
            }
        } catch (CaptureException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        } finally {
            theirs.forEach(BpfProgram::free);
            if (dead != null) {
                dead.close();
            }
        }
        return counts;
    }
}
