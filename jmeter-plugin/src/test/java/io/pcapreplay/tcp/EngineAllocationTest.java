package io.pcapreplay.tcp;

import static io.pcapreplay.tcp.EngineHarness.MS;
import static io.pcapreplay.tcp.EngineHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.packet.IpTcpEncoder;
import io.pcapreplay.packet.IpTcpView;
import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.packet.TcpSequence;
import io.pcapreplay.pcap.RecordedSession;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The hot path allocates nothing per packet: on the (manual) loop's thread, a 1 MB request and a 4 MB request (about
 * 720 and 2,880 segments, as many ACKs back) allocate the same: what is allocated is per exchange (the result), not
 * per packet. Measured: 104 bytes for either on JDK 17; 104 and 1,248 bytes on JDK 25.
 */
class EngineAllocationTest {


    /** ACKs every data segment at once; answers the whole request with a short response; keeps nothing. */
    private static final class AckingPeer implements PacketSender {
        private final IpTcpView view = new IpTcpView();
        private final IpTcpEncoder encoder = new IpTcpEncoder();
        private final byte[] out = new byte[2_048];
        private final byte[] response = text("done");
        ReplayEngine engine;
        int receivedForSession;
        int requestBytes;
        long packets;

        @Override
        public void send(byte[] packet, int offset, int length) {
            packets++;
            view.wrap(packet, offset, length);
            int flags = view.flags();
            encoder.ipv4(view.destinationV4(), view.sourceV4()).ports(view.destinationPort(), view.sourcePort());
            encoder.options().clear();
            if ((flags & TcpHeader.SYN) != 0) {
                receivedForSession = 0;
                encoder.options().mss(1_460);
                reply(TcpHeader.SYN | TcpHeader.ACK, 1_000, TcpSequence.add(view.sequence(), 1), 0);
            } else if (view.payloadLength() > 0) {
                receivedForSession += view.payloadLength();
                int answer = receivedForSession == requestBytes ? response.length : 0;
                reply(TcpHeader.ACK, view.acknowledgment(), TcpSequence.add(view.sequence(), view.payloadLength()),
                    answer);
            }
        }

        private void reply(int flags, int sequence, int acknowledgment, int payloadLength) {
            encoder.sequence(sequence).acknowledgment(acknowledgment).flags(flags).window(65_535);
            int length = encoder.encode(out, 0, response, 0, payloadLength);
            engine.deliver(out, 0, length);
        }
    }

    @Test
    void shouldNotAllocatePerPacketWhenTransferring() {
        AckingPeer peer = new AckingPeer();
        EngineHarness.ManualClock clock = new EngineHarness.ManualClock();
        ReplayEngine engine = ReplayEngine.manual(EngineConfig.builder(EngineHarness.pool()).comet(true).build(),
            peer, clock);
        peer.engine = engine;
        long[] warmUp = transfer(engine, peer, clock, 2 << 20); // slots of the inbound queue, JIT
        long[] small = transfer(engine, peer, clock, 1 << 20);
        long[] large = transfer(engine, peer, clock, 4 << 20);

        assertThat(warmUp[1]).isGreaterThan(1_400);
        long extraPackets = large[1] - small[1];
        long extraBytes = large[0] - small[0];
        System.out.println("allocated " + small[0] + " bytes for " + small[1] + " packets sent, " + large[0]
            + " for " + large[1]);
        assertThat(extraPackets).isGreaterThan(2_000);
        assertThat(extraBytes).as("bytes allocated for %d more packets", extraPackets)
            .isLessThan(extraPackets * 2); // one object per packet would be 16 bytes or more each
    }

    /** Replays one exchange with a request of this size; returns {bytes allocated, packets sent}. */
    private static long[] transfer(ReplayEngine engine, AckingPeer peer, EngineHarness.ManualClock clock,
                                   int requestBytes) {
        RecordedSession session = EngineHarness.builder().exchange(new byte[requestBytes], text("done"), 0).build();
        peer.requestBytes = requestBytes;
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] okResults = {0};
        engine.startSession(session, result -> okResults[0] += result.ok() ? 1 : 0);
        engine.runOnce(clock.now); // the start: Connection, handle, SYN
        long packetsBefore = peer.packets;
        long before = threads.getCurrentThreadAllocatedBytes();
        runUntil(engine, clock, () -> okResults[0] == 1);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(okResults[0]).isEqualTo(1);
        return new long[] {allocated, peer.packets - packetsBefore};
    }

    private static void runUntil(ReplayEngine engine, EngineHarness.ManualClock clock,
                                 java.util.function.BooleanSupplier done) {
        for (int round = 0; round < 100_000 && !done.getAsBoolean(); round++) {
            engine.runOnce(clock.now);
            clock.now += MS;
        }
    }
}
