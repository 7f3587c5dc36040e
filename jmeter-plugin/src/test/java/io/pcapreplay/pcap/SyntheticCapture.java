package io.pcapreplay.pcap;

import io.pcapreplay.packet.IpTcpEncoder;
import io.pcapreplay.packet.TcpHeader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Generates large captures for tests of bounded memory and for benchmarks (never committed: written to target/):
 * Ethernet/IPv4 TCP sessions from 10.x.y.z to 10.0.0.1:80, a set number open at once (their packets interleaved),
 * each a handshake, request/response exchanges (segments of 1448 bytes, a client ACK every second response
 * segment) and a FIN close; or SYN-only connections that never close.
 */
public final class SyntheticCapture {

    private static final int SEGMENT = 1448;
    private static final int SERVER_IP = 0x0A00_0001;
    private static final byte[] PAYLOAD = payload();

    private int sessions = 1000;
    private int concurrent = 100;
    private int exchanges = 1;
    private int requestBytes = 200;
    private long responseBytes = 1000;
    private boolean synOnly;
    private long packetGapNanos = 10_000;

    /** What was written. */
    public record Result(long sessions, long packets, long bytes) {
    }

    public SyntheticCapture sessions(int value) {
        sessions = value;
        return this;
    }

    public SyntheticCapture concurrent(int value) {
        concurrent = value;
        return this;
    }

    public SyntheticCapture exchanges(int value) {
        exchanges = value;
        return this;
    }

    public SyntheticCapture requestBytes(int value) {
        requestBytes = value;
        return this;
    }

    public SyntheticCapture responseBytes(long value) {
        responseBytes = value;
        return this;
    }

    /** Makes every connection a lone SYN (a scan): connections without payload that never close. */
    public SyntheticCapture synOnly(boolean value) {
        synOnly = value;
        return this;
    }

    public SyntheticCapture packetGapNanos(long value) {
        packetGapNanos = value;
        return this;
    }

    /**
     * Writes the capture.
     *
     * @param file where (replaced)
     * @return what was written
     * @throws IOException when writing fails
     */
    public Result write(Path file) throws IOException {
        IpTcpEncoder encoder = new IpTcpEncoder();
        byte[] frame = new byte[14 + 60 + 60 + SEGMENT];
        frame[12] = 0x08;
        Generated[] open = new Generated[Math.max(1, Math.min(concurrent, sessions))];
        int started = 0;
        long time = 1_700_000_000_000_000_000L;
        try (PcapWriter writer = new PcapWriter(file, LinkType.EN10MB, false)) {
            for (int slot = 0; slot < open.length; slot++) {
                open[slot] = new Generated(started++);
            }
            int active = open.length;
            int slot = 0;
            while (active > 0) {
                Generated session = open[slot];
                if (session != null) {
                    int length = session.next(encoder, frame);
                    writer.write(time, frame, 0, length, length);
                    time += packetGapNanos;
                    if (session.done) {
                        open[slot] = started < sessions ? new Generated(started++) : null;
                        active -= open[slot] == null ? 1 : 0;
                    }
                }
                slot = slot + 1 == open.length ? 0 : slot + 1;
            }
            return new Result(started, writer.records(), writer.bytes());
        }
    }

    private static byte[] payload() {
        byte[] text = "GET /synthetic HTTP/1.1\r\nHost: 10.0.0.1\r\n\r\nHTTP/1.1 200 OK\r\n0123456789abcdef"
            .getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[SEGMENT];
        for (int index = 0; index < bytes.length; index++) {
            bytes[index] = text[index % text.length];
        }
        return bytes;
    }

    /** One session's packets, in order. */
    private final class Generated {

        private final int clientIp;
        private final int clientPort;
        private int clientSequence = 1000;
        private int serverSequence = 500_000;
        private int step;
        private int exchange;
        private long sent;
        private int sinceAck;
        private boolean done;

        Generated(int index) {
            clientIp = 0x0A00_0000 | (1 + index / 50_000) << 16 | index % 50_000 / 250 << 8 | 1 + index % 250;
            clientPort = 1024 + index % 60_000;
        }

        /** Writes the next packet into the frame: returns its length. */
        int next(IpTcpEncoder encoder, byte[] frame) {
            switch (step) {
                case 0:
                    step = synOnly ? -1 : 1;
                    done = synOnly;
                    return client(encoder, frame, TcpHeader.SYN, 0, true);
                case 1:
                    step = 2;
                    return server(encoder, frame, TcpHeader.SYN | TcpHeader.ACK, 0, true);
                case 2:
                    step = 3;
                    return client(encoder, frame, TcpHeader.ACK, 0, false);
                case 3:
                    return request(encoder, frame);
                case 4:
                    return response(encoder, frame);
                case 5:
                    step = 6;
                    return client(encoder, frame, TcpHeader.FIN | TcpHeader.ACK, 0, true);
                case 6:
                    step = 7;
                    return server(encoder, frame, TcpHeader.FIN | TcpHeader.ACK, 0, true);
                default:
                    done = true;
                    return client(encoder, frame, TcpHeader.ACK, 0, false);
            }
        }

        private int request(IpTcpEncoder encoder, byte[] frame) {
            int length = (int) Math.min(SEGMENT, requestBytes - sent);
            sent += length;
            if (sent >= requestBytes) {
                sent = 0;
                step = 4;
            }
            return client(encoder, frame, TcpHeader.ACK | TcpHeader.PSH, length, false);
        }

        private int response(IpTcpEncoder encoder, byte[] frame) {
            if (sinceAck == 2) {
                sinceAck = 0;
                return client(encoder, frame, TcpHeader.ACK, 0, false);
            }
            int length = (int) Math.min(SEGMENT, responseBytes - sent);
            sent += length;
            sinceAck++;
            if (sent >= responseBytes) {
                sent = 0;
                sinceAck = 0;
                step = ++exchange < exchanges ? 3 : 5;
            }
            return server(encoder, frame, TcpHeader.ACK | TcpHeader.PSH, length, false);
        }

        private int client(IpTcpEncoder encoder, byte[] frame, int flags, int length, boolean consumesOne) {
            encoder.ipv4(clientIp, SERVER_IP).ports(clientPort, 80).sequence(clientSequence)
                .acknowledgment(serverSequence).flags(flags);
            clientSequence += length + (consumesOne ? 1 : 0);
            return encode(encoder, frame, length);
        }

        private int server(IpTcpEncoder encoder, byte[] frame, int flags, int length, boolean consumesOne) {
            encoder.ipv4(SERVER_IP, clientIp).ports(80, clientPort).sequence(serverSequence)
                .acknowledgment(clientSequence).flags(flags);
            serverSequence += length + (consumesOne ? 1 : 0);
            return encode(encoder, frame, length);
        }

        private int encode(IpTcpEncoder encoder, byte[] frame, int length) {
            return 14 + encoder.encode(frame, 14, PAYLOAD, 0, length);
        }
    }
}
