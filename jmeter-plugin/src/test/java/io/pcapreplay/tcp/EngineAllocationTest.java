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
 * The hot path allocates nothing per packet: a 2 MB request's ~1,400 segments and their ACKs are measured on the
 * (manual) loop's thread. Measured: 9,280 bytes in all, the same for 8 MB (5,763 segments): per exchange, not per
 * packet.
 */
class EngineAllocationTest {

    private static final int REQUEST_BYTES = 2 << 20;

    /** ACKs every data segment at once; answers the whole request with a short response; keeps nothing. */
    private static final class AckingPeer implements PacketSender {
        private final IpTcpView view = new IpTcpView();
        private final IpTcpEncoder encoder = new IpTcpEncoder();
        private final byte[] out = new byte[2_048];
        private final byte[] response = text("done");
        ReplayEngine engine;
        int receivedForSession;
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
                int answer = receivedForSession == REQUEST_BYTES ? response.length : 0;
                reply(TcpHeader.ACK, view.acknowledgment(), TcpSequence.add(view.sequence(), view.payloadLength()),
                    answer);
            }
        }

        private void reply(int flags, int sequence, int acknowledgment, int payloadLength) {
            encoder.sequence(sequence).acknowledgment(acknowledgment).flags(flags).window(65_535);
            int length = encoder.encode(out, 0, response, 0, payloadLength);
            engine.deliver(out, 0, length, 0);
        }
    }

    @Test
    void shouldNotAllocatePerPacketWhenTransferring() {
        RecordedSession session = EngineHarness.builder().exchange(new byte[REQUEST_BYTES], text("done"), 0).build();
        AckingPeer peer = new AckingPeer();
        EngineHarness.ManualClock clock = new EngineHarness.ManualClock();
        ReplayEngine engine = ReplayEngine.manual(EngineConfig.builder(EngineHarness.pool()).comet(true).build(),
            peer, clock);
        peer.engine = engine;
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] okResults = {0};
        ExchangeListener listener = result -> okResults[0] += result.ok() ? 1 : 0;

        engine.startSession(session, listener); // warm-up: slots of the inbound queue, JIT
        runUntil(engine, clock, () -> okResults[0] == 1);
        engine.startSession(session, listener);
        engine.runOnce(clock.now); // the start: Connection, handle, SYN
        long packetsBefore = peer.packets;
        long before = threads.getCurrentThreadAllocatedBytes();
        runUntil(engine, clock, () -> okResults[0] == 2);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        long packets = peer.packets - packetsBefore;

        assertThat(okResults[0]).isEqualTo(2);
        assertThat(packets).isGreaterThan(1_400);
        System.out.println("allocated " + allocated + " bytes for " + packets + " packets sent (and as many received)");
        assertThat(allocated).as("bytes allocated for %d packets (one result included)", packets)
            .isLessThan(16_384);
    }

    private static void runUntil(ReplayEngine engine, EngineHarness.ManualClock clock,
                                 java.util.function.BooleanSupplier done) {
        for (int round = 0; round < 100_000 && !done.getAsBoolean(); round++) {
            engine.runOnce(clock.now);
            clock.now += MS;
        }
    }
}
