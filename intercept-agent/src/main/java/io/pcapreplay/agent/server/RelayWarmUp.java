package io.pcapreplay.agent.server;

import io.pcapreplay.agent.router.Router;
import io.pcapreplay.protocol.AckMessage;
import io.pcapreplay.protocol.AddressRange;
import io.pcapreplay.protocol.AgentMessage;
import io.pcapreplay.protocol.AgentMessageDecoder;
import io.pcapreplay.protocol.AgentMessageEncoder;
import io.pcapreplay.protocol.AgentProtocolException;
import io.pcapreplay.protocol.ErrorMessage;
import io.pcapreplay.protocol.HelloMessage;
import io.pcapreplay.protocol.RegisterMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Runs the relay path before the agent says it listens, so that the first test after a start is not relayed by code
 * the JIT has yet to compile. A replayer of its own connects over loopback (the real event loops, channel, encoder
 * and socket), registers {@link #RANGE} (TEST-NET-1, which no replayer replays from), and synthetic packets to that
 * range go through a dispatcher of its own, the router, the replayer's queue and CAPTURED batches to it; its reader
 * discards them. It ends when the JIT has compiled nothing for {@link #QUIET} after {@link #MIN_PACKETS} packets,
 * or at the limit. The agent's counters are not touched (the dispatcher counts in its own); its connection is logged
 * as any replayer's. An earlier try on an in-memory channel made the first test slower: the JIT compiled the path
 * for the in-memory channel's types, and recompiled it for the real channel during the test (docs/benchmarks.md).
 */
public final class RelayWarmUp {

    /** The warm-up replayer's addresses: TEST-NET-1 (RFC 5737), never a fake client range. */
    public static final String RANGE = "192.0.2.0/24";
    /** Packets per round: one capture batch. */
    static final int BATCH = 64;
    /** Packets relayed at least before the JIT's quiet counts (its profiles then call for C2). */
    static final long MIN_PACKETS = 200_000;
    /** How long the JIT must have compiled nothing for the warm-up to end early. */
    static final Duration QUIET = Duration.ofMillis(300);

    private static final int IP_OFFSET = 14;
    private static final int PAYLOAD = 80;
    private static final long QUEUED_BYTES_MAX = 1 << 20;
    private static final int CONNECT_MILLIS = 2_000;
    private static final String CLOSED = "closed before its ACK (as the agent does to a wrong token)";

    private RelayWarmUp() {
    }

    /**
     * What a warm-up did.
     *
     * @param packets synthetic packets relayed
     * @param elapsed how long it ran
     * @param quiet whether it ended because the JIT was quiet (false: the time was up, or it failed)
     * @param failure why it could not run, or null
     */
    public record Result(long packets, Duration elapsed, boolean quiet, String failure) {
    }

    /**
     * Relays synthetic packets to a replayer of its own until the JIT is quiet or {@code limit} is up; never throws.
     *
     * @param server where the agent listens (a wildcard address is reached over loopback)
     * @param token the replayers' shared secret
     * @param router the agent's router (the warm-up replayer's range is in it while it runs)
     * @param limit the longest it runs
     * @return what it did
     */
    public static Result run(InetSocketAddress server, String token, Router<ReplayerSession> router, Duration limit) {
        CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        LongSupplier compileMillis = compiler != null && compiler.isCompilationTimeMonitoringSupported()
                ? compiler::getTotalCompilationTime : () -> 0;
        return run(server, token, router, limit, compileMillis, System::nanoTime);
    }

    static Result run(InetSocketAddress server, String token, Router<ReplayerSession> router, Duration limit,
            LongSupplier compileMillis, LongSupplier clock) {
        long start = clock.getAsLong();
        InetAddress address = server.getAddress().isAnyLocalAddress() ? InetAddress.getLoopbackAddress()
                : server.getAddress();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, server.getPort()), CONNECT_MILLIS);
            socket.setSoTimeout(CONNECT_MILLIS);
            String refused = register(socket, token);
            if (refused != null) {
                return new Result(0, Duration.ofNanos(clock.getAsLong() - start), false, refused);
            }
            Thread reader = discarding(socket.getInputStream());
            byte[] frame = frame();
            ReplayerSession replayer = router.route(frame, IP_OFFSET, frame.length - IP_OFFSET);
            if (replayer == null) {
                return new Result(0, Duration.ofNanos(clock.getAsLong() - start), false,
                        "range " + RANGE + " not routed to the warm-up replayer after its ACK");
            }
            Result result = relay(frame, router, replayer, limit, compileMillis, clock, start);
            long drained = System.nanoTime() + CONNECT_MILLIS * 1_000_000L;
            while (replayer.queuedBytes() > 0 && System.nanoTime() < drained) {
                LockSupport.parkNanos(1_000_000);
            }
            socket.shutdownOutput(); // the agent closes its side on this end of stream; the reader sees it
            reader.join(CONNECT_MILLIS);
            return result;
        } catch (IOException | AgentProtocolException e) {
            return new Result(0, Duration.ofNanos(clock.getAsLong() - start), false, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(0, Duration.ofNanos(clock.getAsLong() - start), false, "interrupted");
        }
    }

    /** Sends HELLO and REGISTER; returns null once acknowledged, else why not. */
    private static String register(Socket socket, String token) throws IOException {
        AgentMessageEncoder encoder = new AgentMessageEncoder();
        OutputStream out = socket.getOutputStream();
        AgentMessageDecoder decoder = new AgentMessageDecoder();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4_096];
        try {
            out.write(encoder.encode(HelloMessage.of(token, "agent warm-up", -1)));
            out.write(encoder.encode(new RegisterMessage(1, List.of(AddressRange.parse(RANGE)))));
            out.flush();
        } catch (SocketException e) { // the agent closed on HELLO before REGISTER was written
            return CLOSED + ", " + e.getMessage();
        }
        while (true) {
            int count;
            try {
                count = in.read(buffer);
            } catch (SocketTimeoutException e) {
                return "no ACK within " + CONNECT_MILLIS + " ms";
            } catch (SocketException e) { // a reset: the agent closed with REGISTER still unread
                return CLOSED + ", " + e.getMessage();
            }
            if (count < 0) {
                return CLOSED;
            }
            for (AgentMessage message : decoder.feed(ByteBuffer.wrap(buffer, 0, count))) {
                if (message instanceof AckMessage) {
                    return null;
                }
                if (message instanceof ErrorMessage error) {
                    return "refused: " + error.code() + ", " + error.text();
                }
            }
        }
    }

    private static Result relay(byte[] frame, Router<ReplayerSession> router, ReplayerSession replayer,
            Duration limit, LongSupplier compileMillis, LongSupplier clock, long start) {
        PacketDispatcher dispatcher = new PacketDispatcher(router, new AgentCounters());
        int ipLength = frame.length - IP_OFFSET;
        long packets = 0;
        long lastCompile = compileMillis.getAsLong();
        long lastChange = start;
        long now = start;
        while (now - start < limit.toNanos()) {
            long captured = AgentTime.nowNanos(); // a capture timestamp's clock: the relay delay is real
            for (int i = 0; i < BATCH; i++) {
                frame[IP_OFFSET + 19] = (byte) packets; // another client address and port each time
                frame[IP_OFFSET + 23] = (byte) (packets >>> 8);
                dispatcher.accept(captured, frame, IP_OFFSET, ipLength, ipLength);
                packets++;
            }
            dispatcher.endOfBatch();
            while (replayer.queuedBytes() > QUEUED_BYTES_MAX && clock.getAsLong() - start < limit.toNanos()) {
                LockSupport.parkNanos(50_000); // the socket drains: no drops, as a capture batch would not
            }
            now = clock.getAsLong();
            long compiled = compileMillis.getAsLong();
            if (compiled != lastCompile) {
                lastCompile = compiled;
                lastChange = now;
            } else if (packets >= MIN_PACKETS && now - lastChange >= QUIET.toNanos()) {
                return new Result(packets, Duration.ofNanos(now - start), true, null);
            }
        }
        return new Result(packets, Duration.ofNanos(now - start), false, null);
    }

    private static Thread discarding(InputStream in) {
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[1 << 16];
            try {
                while (in.read(buffer) >= 0) {
                    // relayed packets: discarded
                }
            } catch (IOException e) {
                // closed: the warm-up is over
            }
        }, "warm-up-reader");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /** An Ethernet frame with an IPv4 TCP segment (ACK, 80 bytes) from 192.0.2.254:80 to 192.0.2.1. */
    private static byte[] frame() {
        byte[] frame = new byte[IP_OFFSET + 20 + 20 + PAYLOAD];
        frame[12] = 0x08; // IPv4
        int ip = IP_OFFSET;
        int ipLength = frame.length - IP_OFFSET;
        frame[ip] = 0x45;
        frame[ip + 2] = (byte) (ipLength >>> 8);
        frame[ip + 3] = (byte) ipLength;
        frame[ip + 8] = 64; // TTL
        frame[ip + 9] = 6; // TCP
        byte[] source = {(byte) 192, 0, 2, (byte) 254};
        byte[] destination = {(byte) 192, 0, 2, 1};
        System.arraycopy(source, 0, frame, ip + 12, 4);
        System.arraycopy(destination, 0, frame, ip + 16, 4);
        int tcp = ip + 20;
        frame[tcp + 1] = 80; // source port 80
        frame[tcp + 2] = (byte) 0xc0; // destination port 49152 and up
        frame[tcp + 12] = 0x50; // data offset: 5 words
        frame[tcp + 13] = 0x10; // ACK
        return frame;
    }
}
