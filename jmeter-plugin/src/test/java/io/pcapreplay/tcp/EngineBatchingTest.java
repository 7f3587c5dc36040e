package io.pcapreplay.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.pcapreplay.packet.TcpHeader;
import io.pcapreplay.pcap.RecordedSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A sender that takes batches (sendmmsg): the engine gathers its untimed segments and sends them with the next timed
 * one or at the end of the round, without changing what each connection sends or in which order.
 */
class EngineBatchingTest {

    @Test
    void shouldSendTheHandshakeAckAndTheRequestInOneCallInWireOrderWhenTheSenderTakesBatches() {
        EngineHarness harness = batching(EngineHarness.twoExchanges(), config -> config.initialSequence(1_000));

        harness.start();
        harness.run(50);

        List<SimulatedServer.Seen> seen = harness.server.seen;
        assertThat(seen.get(0).flags()).isEqualTo(TcpHeader.SYN);
        assertThat(seen.get(1).flags()).as("the handshake's ACK, bare, before the request").isEqualTo(TcpHeader.ACK);
        assertThat(seen.get(1).payload()).isEmpty();
        assertThat(seen.get(2).payload()).isEqualTo(EngineHarness.text("GET /a HTTP/1.1\r\n\r\n"));
        assertThat(harness.server.batchSizes.get(0)).as("the ACK and the request in one call").isEqualTo(2);
        assertThat(harness.results).extracting(ExchangeResult::outcome).containsExactly(Outcome.OK, Outcome.OK);
    }

    @Test
    void shouldSendEveryConnectionTheSamePacketsInFewerCallsWhenTheSenderTakesBatches() {
        RecordedSession session = EngineHarness.twoExchanges();
        EngineHarness single = new EngineHarness(session, config -> { });
        EngineHarness batching = batching(session, config -> { });

        EngineHarness.openSessions(single.engine, single.clock, session, single.listener, 40);
        EngineHarness.openSessions(batching.engine, batching.clock, session, batching.listener, 40);

        assertThat(batching.results).hasSize(80).allMatch(result -> result.outcome() == Outcome.OK);
        assertThat(perConnection(batching.server.seen)).isEqualTo(perConnection(single.server.seen));
        int packets = batching.server.seen.size();
        int batched = batching.server.batchSizes.stream().mapToInt(Integer::intValue).sum();
        int calls = packets - batched + batching.server.batchSizes.size();
        assertThat(calls).as("system calls for %d packets", packets).isLessThan(packets * 3 / 4)
            .isEqualTo(batching.engine.stats().sendCalls());
        assertThat(single.engine.stats().sendCalls()).isEqualTo(single.server.seen.size());
        assertThat(batching.engine.stats().sendErrors()).isZero();
    }

    private static EngineHarness batching(RecordedSession session, Consumer<EngineConfig.Builder> configure) {
        return new EngineHarness(session, ClientAddresses.of(EngineHarness.pool()), configure, WireClock.ENGINE, true);
    }

    /** Each connection's segments in order: flags, relative sequence and payload length. */
    private static Map<String, List<String>> perConnection(List<SimulatedServer.Seen> seen) {
        Map<String, List<String>> connections = new LinkedHashMap<>();
        Map<String, Integer> initial = new LinkedHashMap<>();
        for (SimulatedServer.Seen packet : seen) {
            String key = packet.clientAddress() + ":" + packet.clientPort();
            int first = initial.computeIfAbsent(key, ignored -> packet.sequence());
            connections.computeIfAbsent(key, ignored -> new ArrayList<>()).add(packet.flags() + "/"
                + (packet.sequence() - first) + "/" + packet.payload().length);
        }
        return connections;
    }
}
