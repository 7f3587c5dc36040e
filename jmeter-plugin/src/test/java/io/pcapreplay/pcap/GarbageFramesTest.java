package io.pcapreplay.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.packet.IpTcpEncoder;
import io.pcapreplay.packet.TcpHeader;
import java.nio.file.Paths;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Mutated and cut frames never make the assembler throw: they are counted (bad input never crashes). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GarbageFramesTest {

    private static final int FRAMES = 3000;

    @ParameterizedTest
    @EnumSource(LinkType.class)
    void shouldCountEveryFrameWithoutThrowingWhenFramesAreMutated(LinkType linkType) {
        Random random = new Random(linkType.ordinal() * 7919L + 1);
        SessionAssembler assembler = new SessionAssembler(linkType, CaptureOptions.defaults()
            .withMaxBufferedBytes(4096));
        for (int index = 0; index < FRAMES; index++) {
            byte[] frame = frame(linkType, random);
            int mutations = random.nextInt(6);
            for (int mutation = 0; mutation < mutations; mutation++) {
                frame[random.nextInt(frame.length)] = (byte) random.nextInt(256);
            }
            int captured = random.nextInt(4) == 0 ? random.nextInt(frame.length + 1) : frame.length;
            int original = random.nextInt(8) == 0 ? frame.length + random.nextInt(100_000) : frame.length;
            assembler.frame(frame, captured, original, random.nextLong());
        }

        Capture capture = assembler.finish(Paths.get("garbage.pcap"), List.of());

        CaptureTotals totals = capture.totals();
        assertThat(totals.frames()).isEqualTo(FRAMES);
        assertThat(totals.nonIpFrames() + totals.nonTcpPackets() + totals.malformedFrames() + totals.tcpSegments())
            .isEqualTo(FRAMES);
        assertThat(totals.tcpSegments()).isPositive();
        for (RecordedSession session : capture.sessions()) {
            assertThat(session.exchanges().stream().mapToLong(Exchange::requestLength).sum())
                .isEqualTo(session.requestBytes());
        }
    }

    private static byte[] frame(LinkType linkType, Random random) {
        IpTcpEncoder encoder = new IpTcpEncoder().ports(40000 + random.nextInt(3), 80)
            .sequence(random.nextInt(3000)).acknowledgment(random.nextInt()).flags(random.nextInt(0x200));
        if (random.nextBoolean()) {
            encoder.ipv4(0xC612_0000 + random.nextInt(3), 0xC613_0001);
        } else {
            encoder.ipv6(0x2001_0002_0000_0000L, random.nextInt(3), 0x2001_0002_0000_0000L, 9);
        }
        if ((random.nextInt() & TcpHeader.SYN) != 0) {
            encoder.options().mss(1460).windowScale(random.nextInt(15)).timestamps(random.nextInt(), 0);
        }
        int payload = random.nextInt(300);
        int header = linkHeaderLength(linkType);
        byte[] frame = new byte[header + encoder.headerLength() + payload];
        encoder.encode(frame, header, new byte[payload], 0, payload);
        writeLinkHeader(linkType, frame, frame[header] >>> 4 == 6, header);
        return frame;
    }

    private static int linkHeaderLength(LinkType linkType) {
        switch (linkType) {
            case EN10MB:
                return 14;
            case LINUX_SLL:
                return 16;
            case LINUX_SLL2:
                return 20;
            case NULL:
            case LOOP:
                return 4;
            case NFLOG:
                return 8;
            default:
                return 0;
        }
    }

    private static void writeLinkHeader(LinkType linkType, byte[] frame, boolean ipv6, int header) {
        int etherType = ipv6 ? 0x86DD : 0x0800;
        if (linkType == LinkType.EN10MB || linkType == LinkType.LINUX_SLL) {
            frame[header - 2] = (byte) (etherType >>> 8);
            frame[header - 1] = (byte) etherType;
        } else if (linkType == LinkType.LINUX_SLL2) {
            frame[0] = (byte) (etherType >>> 8);
            frame[1] = (byte) etherType;
        } else if (linkType == LinkType.NULL || linkType == LinkType.LOOP) {
            frame[linkType == LinkType.LOOP ? 3 : 0] = (byte) (ipv6 ? 30 : 2);
        } else if (linkType == LinkType.NFLOG) {
            int length = frame.length - 4;
            frame[4] = (byte) length;
            frame[5] = (byte) (length >>> 8);
            frame[6] = 9;
        }
    }
}
