package io.pcapreplay.loop;

import io.pcapreplay.lab.Lab;
import io.pcapreplay.lab.LabException;
import io.pcapreplay.lab.LabRole;
import io.pcapreplay.net.AgentClient;
import io.pcapreplay.net.AgentClientConfig;
import io.pcapreplay.net.AgentClientException;
import io.pcapreplay.net.AgentClock;
import io.pcapreplay.net.AgentLink;
import io.pcapreplay.net.AgentListener;
import io.pcapreplay.net.EngineFeed;
import io.pcapreplay.net.RawIpSocket;
import io.pcapreplay.net.RawSocketException;
import io.pcapreplay.pcap.RecordedSession;
import io.pcapreplay.protocol.AddressRange;
import io.pcapreplay.protocol.CapturedPacket;
import io.pcapreplay.tcp.AddressAllocation;
import io.pcapreplay.tcp.ClientAddressPool;
import io.pcapreplay.tcp.EngineConfig;
import io.pcapreplay.tcp.EngineStats;
import io.pcapreplay.tcp.ExchangeListener;
import io.pcapreplay.tcp.ExchangeResult;
import io.pcapreplay.tcp.Outcome;
import io.pcapreplay.tcp.PacketSender;
import io.pcapreplay.tcp.ReplayEngine;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The replayer side of the lab, as a test fixture: a {@link ReplayEngine} sending through a raw socket opened in the
 * client namespace, fed by an {@link AgentClient} connected to a {@link LabAgent} and registered for the engine's
 * client pool, its packets timed by the agent clock. {@link #start(List, int)} replays sessions at once;
 * {@link Batch#await(Duration)} collects every result and end. Optionally every so many packets are lost each way
 * in test code ({@code lossEvery}).
 */
final class EngineLab implements AutoCloseable {

    private static final AtomicInteger REPLAYERS = new AtomicInteger();
    private final RawIpSocket socket;
    private final ReplayEngine engine;
    private final AgentClient client;
    private final AgentLink link;

    private EngineLab(RawIpSocket socket, ReplayEngine engine, AgentClient client, AgentLink link) {
        this.socket = socket;
        this.engine = engine;
        this.client = client;
        this.link = link;
    }

    /**
     * A config replaying to the target's address on the client link, from the pool, at the given port.
     *
     * @param lab the lab
     * @param poolSpec fake clients, e.g. "198.18.7.1-198.18.7.254" or "2001:2:0:ff00::100/120"
     * @param port the target port
     * @return a builder to refine
     */
    static EngineConfig.Builder config(Lab lab, String poolSpec, int port) {
        ClientAddressPool pool = ClientAddressPool.parse(poolSpec, List.of(), AddressAllocation.IP_FIRST, 1);
        InetAddress target = pool.ipv6() ? lab.target().ipv6To(LabRole.CLIENT) : lab.target().ipv4To(LabRole.CLIENT);
        return EngineConfig.builder(pool).target(target, port);
    }

    /**
     * Opens the raw socket, starts the engine and connects it to the agent.
     *
     * @param lab the lab
     * @param agent the running agent
     * @param config the engine's config
     * @param lossEvery lose every so many packets each way in test code (0: none)
     * @return the running fixture; close it
     * @throws Exception when a part cannot start (what started is closed again)
     */
    static EngineLab start(Lab lab, LabAgent agent, EngineConfig config, int lossEvery) throws Exception {
        return start(lab, agent, config, lossEvery, AgentClock.system());
    }

    /**
     * As {@link #start(Lab, LabAgent, EngineConfig, int)} with a given agent clock (e.g. another uncertainty limit).
     *
     * @param lab the lab
     * @param agent the running agent
     * @param config the engine's config
     * @param lossEvery lose every so many packets each way in test code (0: none)
     * @param clock maps the agent's capture timestamps onto the engine's clock (the engine's wire clock)
     * @return the running fixture; close it
     * @throws Exception when a part cannot start (what started is closed again)
     */
    static EngineLab start(Lab lab, LabAgent agent, EngineConfig config, int lossEvery, AgentClock clock)
            throws Exception {
        RawIpSocket.Family family = config.clientAddresses().has(true) ? RawIpSocket.Family.IPV6
            : RawIpSocket.Family.IPV4;
        RawIpSocket socket = lab.client().call(() -> RawIpSocket.open(family));
        ReplayEngine engine = null;
        try {
            socket.sendBufferSize(8 << 20);
            engine = ReplayEngine.start(config, sender(socket, lossEvery), clock);
            ReplayEngine fed = engine;
            AgentClient client = lab.client().call(() -> AgentClient.connect(AgentClientConfig.of(agent.address(),
                LabAgent.TOKEN, "engine-lab-" + REPLAYERS.incrementAndGet()), feed(fed, lossEvery), clock));
            client.register(config.clientAddresses().cidrs().stream().map(AddressRange::parse).toList());
            clock.awaitBurst(Duration.ofSeconds(3));
            return new EngineLab(socket, engine, client, null);
        } catch (Exception | Error e) {
            if (engine != null) {
                engine.close();
            }
            socket.close();
            throw e;
        }
    }

    /**
     * As {@link #start(Lab, LabAgent, EngineConfig, int)}, the agent reached through an {@link AgentLink} as the
     * JMeter plugin does: it reconnects (from the client namespace) when the agent goes away and comes back.
     *
     * @param lab the lab
     * @param agent the running agent
     * @param config the engine's config
     * @return the running fixture; close it
     * @throws Exception when a part cannot start (what started is closed again)
     */
    static EngineLab startLinked(Lab lab, LabAgent agent, EngineConfig config) throws Exception {
        RawIpSocket.Family family = config.clientAddresses().has(true) ? RawIpSocket.Family.IPV6
            : RawIpSocket.Family.IPV4;
        RawIpSocket socket = lab.client().call(() -> RawIpSocket.open(family));
        ReplayEngine engine = null;
        try {
            socket.sendBufferSize(8 << 20);
            AgentClock clock = AgentClock.system();
            engine = ReplayEngine.start(config, sender(socket, 0), clock);
            AgentLink link = AgentLink.open(AgentClientConfig.of(agent.address(), LabAgent.TOKEN,
                "engine-lab-" + REPLAYERS.incrementAndGet()), inClientNamespace(lab),
                config.clientAddresses().cidrs().stream().map(AddressRange::parse).toList(), clock,
                new EngineFeed(engine, clock), engine);
            return new EngineLab(socket, engine, null, link);
        } catch (Exception | Error e) {
            if (engine != null) {
                engine.close();
            }
            socket.close();
            throw e;
        }
    }

    /** Opens each agent connection on the client namespace's thread, so that its socket lives there. */
    private static AgentLink.Connector inClientNamespace(Lab lab) {
        return (config, listener, clock) -> {
            try {
                return lab.client().call(() -> AgentClient.connect(config, listener, clock));
            } catch (LabException e) {
                if (e.getCause() instanceof AgentClientException cause) {
                    throw cause;
                }
                throw e;
            }
        };
    }

    ReplayEngine engine() {
        return engine;
    }

    /** @return the link to the agent ({@link #startLinked} only, else null) */
    AgentLink link() {
        return link;
    }

    /** @return the agent clock: offset estimate and capture time mapping */
    AgentClock clock() {
        return link != null ? link.clock() : client.clock();
    }

    /**
     * Starts {@code copies} times every session, all at once.
     *
     * @param sessions the recordings
     * @param copies users per recording
     * @return the running batch
     */
    Batch start(List<RecordedSession> sessions, int copies) {
        Batch batch = new Batch(sessions.size() * copies);
        for (int copy = 0; copy < copies; copy++) {
            for (RecordedSession session : sessions) {
                batch.expectedExchanges.addAndGet(session.exchangeCount());
                long id = engine.startSession(session, batch).id();
                batch.exchangesPerSession.put(id, session.exchangeCount());
            }
        }
        return batch;
    }

    @Override
    public void close() {
        try {
            if (link != null) {
                link.close();
            } else {
                client.close();
            }
        } finally {
            try {
                engine.close();
            } finally {
                socket.close();
            }
        }
    }

    /** Sessions started together; collects their results and ends on the engine's loop. */
    final class Batch implements ExchangeListener {
        private final int sessions;
        private final AtomicInteger expectedExchanges = new AtomicInteger();
        private final ConcurrentLinkedQueue<ExchangeResult> results = new ConcurrentLinkedQueue<>();
        private final Map<Long, String> ends = new ConcurrentHashMap<>();
        private final Map<Long, Integer> exchangesPerSession = new ConcurrentHashMap<>();
        private final CountDownLatch ended;

        private Batch(int sessions) {
            this.sessions = sessions;
            this.ended = new CountDownLatch(sessions);
        }

        @Override
        public void onResult(ExchangeResult result) {
            results.add(result);
        }

        @Override
        public void onSessionEnd(long sessionId, String reason) {
            ends.put(sessionId, reason);
            ended.countDown();
        }

        /** Sessions that ended so far. */
        int endedSessions() {
            return sessions - (int) ended.getCount();
        }

        /** Results so far. */
        int resultCount() {
            return results.size();
        }

        /**
         * Waits until every session ended, at most the timeout.
         *
         * @param timeout the longest wait
         * @return what happened (also when not every session ended: see {@link Run#finished()})
         * @throws InterruptedException when interrupted
         */
        Run await(Duration timeout) throws InterruptedException {
            boolean finished = ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<ExchangeResult> sorted = new ArrayList<>(results);
            sorted.sort(Comparator.comparingLong(ExchangeResult::sessionId)
                .thenComparingInt(ExchangeResult::exchangeIndex));
            return new Run(sessions, expectedExchanges.get(), finished, sorted, Map.copyOf(ends),
                Map.copyOf(exchangesPerSession), engine.stats());
        }
    }

    /**
     * What a batch gave.
     *
     * @param sessions sessions started
     * @param expectedExchanges recorded exchanges of those sessions
     * @param finished every session ended in time
     * @param results every result, by session and exchange
     * @param ends each session's end reason
     * @param exchangesPerSession each session's recorded exchange count
     * @param stats the engine's counters at the end
     */
    record Run(int sessions, int expectedExchanges, boolean finished, List<ExchangeResult> results,
               Map<Long, String> ends, Map<Long, Integer> exchangesPerSession, EngineStats stats) {

        /** Results per outcome. */
        Map<Outcome, Integer> outcomes() {
            Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
            for (ExchangeResult result : results) {
                counts.merge(result.outcome(), 1, Integer::sum);
            }
            return counts;
        }

        /** Sessions whose every recorded exchange has a result, all OK. */
        long completedSessions() {
            Map<Long, Integer> okPerSession = new HashMap<>();
            for (ExchangeResult result : results) {
                okPerSession.merge(result.sessionId(), result.ok() ? 1 : -1_000_000, Integer::sum);
            }
            return exchangesPerSession.entrySet().stream()
                .filter(entry -> entry.getValue().equals(okPerSession.get(entry.getKey()))).count();
        }

        @Override
        public String toString() {
            return sessions + " sessions, " + results.size() + "/" + expectedExchanges + " results " + outcomes()
                + (finished ? "" : " (NOT all ended)") + "; " + stats;
        }
    }

    private static PacketSender sender(RawIpSocket socket, int lossEvery) {
        AtomicInteger count = new AtomicInteger();
        return (packet, offset, length) -> {
            if (lossEvery > 0 && count.incrementAndGet() % lossEvery == 0) {
                return;
            }
            try {
                socket.send(packet, offset, length);
            } catch (RawSocketException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static AgentListener feed(ReplayEngine engine, int lossEvery) {
        AtomicInteger count = new AtomicInteger();
        return new AgentListener() {
            @Override
            public void onPackets(List<CapturedPacket> packets) {
                for (CapturedPacket packet : packets) {
                    if (lossEvery > 0 && count.incrementAndGet() % lossEvery == 0) {
                        continue;
                    }
                    engine.deliver(packet.data(), 0, packet.data().length, packet.timestampNanos());
                }
            }

            @Override
            public void onClosed(String reason) {
                engine.agentLost(reason);
            }
        };
    }
}
