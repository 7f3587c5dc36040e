package io.pcapreplay.tcp;

import static io.pcapreplay.tcp.EngineHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.packet.IpTcpEncoder;
import io.pcapreplay.packet.IpTcpView;
import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.packet.TcpSequence;
import io.pcapreplay.pcap.Exchange;
import io.pcapreplay.pcap.RecordedSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Response capture buffers are sized on demand ({@link ResponseCapture}): nothing per connection until response
 * bytes arrive, the recorded length first, grown when the server sends more, handed to the result and dropped by the
 * connection when the exchange ends. Measured on the heap with the default cap (64 KiB), not timed.
 */
class EngineResponseCaptureTest {

    private static final int CAP = 65_536;
    private static final int SEGMENT = 1_400;

    /** Answers from the packet alone: SYN -> SYN-ACK, a request -> the configured response in segments. */
    private static final class StatelessPeer implements PacketSender {
        private final IpTcpView view = new IpTcpView();
        private final IpTcpEncoder encoder = new IpTcpEncoder();
        private final byte[] out = new byte[2_048];
        private final byte[] response;
        ReplayEngine engine;

        StatelessPeer(byte[] response) {
            this.response = response;
        }

        @Override
        public void send(byte[] packet, int offset, int length) {
            view.wrap(packet, offset, length);
            int flags = view.flags();
            encoder.ipv4(view.destinationV4(), view.sourceV4()).ports(view.destinationPort(), view.sourcePort());
            encoder.options().clear();
            if ((flags & TcpHeader.SYN) != 0) {
                encoder.options().mss(SEGMENT);
                reply(TcpHeader.SYN | TcpHeader.ACK, 1_000, TcpSequence.add(view.sequence(), 1), 0, 0);
            } else if (view.payloadLength() > 0) {
                int acknowledgment = TcpSequence.add(view.sequence(), view.payloadLength());
                for (int sent = 0; sent < response.length; sent += SEGMENT) {
                    reply(TcpHeader.ACK | TcpHeader.PSH, TcpSequence.add(view.acknowledgment(), sent), acknowledgment,
                        sent, Math.min(SEGMENT, response.length - sent));
                }
            }
        }

        private void reply(int flags, int sequence, int acknowledgment, int from, int payloadLength) {
            encoder.sequence(sequence).acknowledgment(acknowledgment).flags(flags).window(65_535);
            int length = encoder.encode(out, 0, response, from, payloadLength);
            engine.deliver(out, 0, length);
        }
    }

    /** Says every response is {@code length} bytes long (as an HTTP Content-Length would). */
    private record FixedFraming(int length) implements ResponseFraming {
        @Override
        public int frame(Exchange exchange, byte[] response, int received) {
            return length;
        }

        @Override
        public int chunkedEnd(byte[] response, int received) {
            return -1;
        }
    }

    @Test
    @Timeout(120)
    void shouldHoldNoResponseBufferWhenACometSessionIsIdleAfterItsExchange() {
        byte[] response = text("event: hello\n\n");
        Sessions sessions = new Sessions(response, response.length);

        sessions.open(1_000); // warm-up: tables, queue slots
        long before = usedHeap();
        sessions.open(20_000);
        long after = usedHeap();

        assertThat(sessions.okResults.get()).isEqualTo(21_000);
        assertThat(sessions.keptBytes).as("each result keeps the whole response").allMatch(kept ->
            kept == response.length);
        assertThat(sessions.engine.stats().openSessions()).as("held").isEqualTo(21_000);
        long perSession = (after - before) / 20_000;
        System.out.println("heap per idle comet session with a 64 KiB capture cap: " + perSession + " bytes");
        assertThat(perSession).as("no capture buffer (a 64 KiB one each before)").isLessThan(1_024);
        sessions.engine.stop(Duration.ofSeconds(10));
    }

    @Test
    @Timeout(120)
    void shouldGrowTheBufferWhenTheResponseIsLongerThanRecordedAndFreeItAfterTheExchange() {
        byte[] response = EngineHarness.filled(50_000, 7); // recorded: 14 bytes; the server sends 50,000
        Sessions sessions = new Sessions(response, 14);
        sessions.engine.responseFraming(new FixedFraming(response.length));

        sessions.open(2_000); // warm-up: the inbound queue's slots grow to the burst of segments
        assertThat(sessions.firstResponse).as("grown past the recorded length, all bytes kept")
            .isEqualTo(response);
        long before = usedHeap();
        sessions.open(2_000);
        long after = usedHeap();

        assertThat(sessions.okResults.get()).isEqualTo(4_000);
        assertThat(sessions.keptBytes).allMatch(kept -> kept == response.length);
        long perSession = (after - before) / 2_000;
        System.out.println("heap per comet session held after a 50,000-byte response: " + perSession + " bytes");
        assertThat(perSession).as("the 50,000-byte buffer went to the result, not kept").isLessThan(2_048);
        sessions.engine.stop(Duration.ofSeconds(10));
    }

    @Test
    void shouldSizeTheFirstBufferByTheRecordedLengthAndHandItOverWhenFull() {
        byte[] first = ResponseCapture.ensure(null, 0, 100, CAP, 3_000);
        assertThat(first).hasSize(3_000);
        assertThat(ResponseCapture.ensure(first, 100, 3_000, CAP, 3_000)).isSameAs(first);
        byte[] grown = ResponseCapture.ensure(first, 3_000, 3_001, CAP, 3_000);
        assertThat(grown).hasSize(6_000);
        assertThat(ResponseCapture.ensure(null, 0, 10, CAP, 1 << 20)).as("never past the cap").hasSize(CAP);
        assertThat(ResponseCapture.ensure(null, 0, 10, CAP, 0)).hasSize(ResponseCapture.MINIMUM_BYTES);
        assertThat(ResponseCapture.take(first, 3_000)).isSameAs(first);
        assertThat(ResponseCapture.take(grown, 3_001)).hasSize(3_001);
        assertThat(ResponseCapture.take(grown, 10_000)).as("more received than kept").hasSize(6_000);
        assertThat(ResponseCapture.take(null, 10)).isEmpty();
    }

    /** Comet sessions against the stateless peer on a manual engine with the default capture cap. */
    private static final class Sessions {
        final ReplayEngine engine;
        final AtomicLong okResults = new AtomicLong();
        final List<Integer> keptBytes = new ArrayList<>();
        final EngineHarness.ManualClock clock = new EngineHarness.ManualClock();
        final RecordedSession session;
        byte[] firstResponse;

        Sessions(byte[] response, int recordedLength) {
            session = EngineHarness.builder().exchange(text("GET /events HTTP/1.1\r\n\r\n"),
                Arrays.copyOf(response, recordedLength), 0).build();
            StatelessPeer peer = new StatelessPeer(response);
            engine = ReplayEngine.manual(EngineConfig.builder(EngineHarness.pool()).comet(true).pacing(0, 1_000)
                .adaptiveStarts(false) // the same bursts in the warm-up and the measured round: queue slots grown once
                .responseCaptureBytes(CAP).inboundQueueCapacity(1 << 16).randomSeed(1).build(), peer, clock);
            peer.engine = engine;
        }

        void open(int count) {
            ExchangeListener listener = result -> {
                if (result.ok()) {
                    okResults.incrementAndGet();
                }
                byte[] kept = result.response();
                keptBytes.add(kept.length);
                if (firstResponse == null) {
                    firstResponse = kept;
                }
            };
            EngineHarness.openSessions(engine, clock, session, listener, count);
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
}
