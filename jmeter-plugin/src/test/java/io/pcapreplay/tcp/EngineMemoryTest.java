package io.pcapreplay.tcp;

import static io.pcapreplay.tcp.EngineHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.packet.IpTcpEncoder;
import io.pcapreplay.packet.IpTcpView;
import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.packet.TcpSequence;
import io.pcapreplay.pcap.RecordedSession;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Measures the engine's heap per open session: 100,000 idle comet sessions against a stateless simulated peer
 * (it keeps nothing per connection, so the heap growth is the engine's: the Connection, its handle, its table
 * slot). Object-layout estimate with compressed oops: Connection ~ 12 header + 20 timer links/deadline + 16 refs
 * + 27 ints + 7 longs + 4 booleans ~ 220 bytes, SessionHandle ~ 40, table slot 12 to 24 bytes (load 0.375 to
 * 0.75) ~ 300 bytes in all.
 */
class EngineMemoryTest {

    private static final int SESSIONS = 100_000;
    private static final int WARM_UP = 2_000;

    /** Answers from the packet alone: SYN -> SYN-ACK, request -> response; nothing kept per connection. */
    private static final class StatelessPeer implements PacketSender {
        private final IpTcpView view = new IpTcpView();
        private final IpTcpEncoder encoder = new IpTcpEncoder();
        private final byte[] out = new byte[2_048];
        private final byte[] response = text("event: hello\n\n");
        ReplayEngine engine;

        @Override
        public void send(byte[] packet, int offset, int length) {
            view.wrap(packet, offset, length);
            int flags = view.flags();
            encoder.ipv4(view.destinationV4(), view.sourceV4()).ports(view.destinationPort(), view.sourcePort());
            encoder.options().clear();
            if ((flags & TcpHeader.SYN) != 0) {
                encoder.options().mss(1_460);
                reply(TcpHeader.SYN | TcpHeader.ACK, 1_000, TcpSequence.add(view.sequence(), 1), 0);
            } else if (view.payloadLength() > 0) {
                reply(TcpHeader.ACK | TcpHeader.PSH, view.acknowledgment(),
                    TcpSequence.add(view.sequence(), view.payloadLength()), response.length);
            }
        }

        private void reply(int flags, int sequence, int acknowledgment, int payloadLength) {
            encoder.sequence(sequence).acknowledgment(acknowledgment).flags(flags).window(65_535);
            int length = encoder.encode(out, 0, response, 0, payloadLength);
            engine.deliver(out, 0, length);
        }
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            System.gc();
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }

    @Test
    @Timeout(120)
    void shouldKeepEachIdleCometSessionUnder512Bytes() {
        RecordedSession session = EngineHarness.builder().exchange(text("GET /events HTTP/1.1\r\n\r\n"),
            text("event: hello\n\n"), 0).build();
        StatelessPeer peer = new StatelessPeer();
        EngineHarness.ManualClock clock = new EngineHarness.ManualClock();
        EngineConfig config = EngineConfig.builder(EngineHarness.pool()).comet(true).pacing(0, 1_000)
            .inboundQueueCapacity(4_096).randomSeed(1).build();
        ReplayEngine engine = ReplayEngine.manual(config, peer, clock);
        peer.engine = engine;
        AtomicLong okResults = new AtomicLong();
        ExchangeListener listener = result -> {
            if (result.ok()) {
                okResults.incrementAndGet();
            }
        };
        EngineHarness.openSessions(engine, clock, session, listener, WARM_UP);
        long before = usedHeap();
        EngineHarness.openSessions(engine, clock, session, listener, SESSIONS);
        long after = usedHeap();

        assertThat(okResults.get()).isEqualTo(WARM_UP + SESSIONS);
        assertThat(engine.stats().openSessions()).isEqualTo(WARM_UP + SESSIONS);
        assertThat(engine.stats().inboundDrops()).isZero();
        long perSession = (after - before) / SESSIONS;
        System.out.println("engine heap per idle comet session: " + perSession + " bytes");
        assertThat(perSession).isLessThan(512);
        engine.stop(java.time.Duration.ofSeconds(10));
        assertThat(engine.stats().openSessions()).isZero();
    }
}
