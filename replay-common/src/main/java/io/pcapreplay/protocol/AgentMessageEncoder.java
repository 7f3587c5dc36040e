package io.pcapreplay.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes {@link AgentMessage}s as frames (layout in {@link AgentProtocol}). Stateless and thread-safe. The
 * message records already enforce the protocol limits, so every frame written here is one the decoder accepts.
 */
public final class AgentMessageEncoder {

    /**
     * @param message any message
     * @return the frame's size in bytes, length prefix included
     */
    public int encodedLength(AgentMessage message) {
        return AgentProtocol.LENGTH_FIELD_BYTES + 1 + bodyLength(message);
    }

    /**
     * @param message any message
     * @return the frame as a new array
     */
    public byte[] encode(AgentMessage message) {
        ByteBuffer out = ByteBuffer.allocate(encodedLength(message));
        encode(message, out);
        return out.array();
    }

    /**
     * Writes one frame at the buffer's position and advances it.
     *
     * @param message any message
     * @param out a buffer with at least {@link #encodedLength(AgentMessage)} bytes remaining
     */
    public void encode(AgentMessage message, ByteBuffer out) {
        int body = bodyLength(message);
        out.putInt(1 + body);
        out.put(message.type().byteValue());
        switch (message.type()) {
            case HELLO -> {
                HelloMessage hello = (HelloMessage) message;
                out.putInt(AgentProtocol.MAGIC);
                out.putShort((short) hello.version());
                putText16(out, hello.token());
                putText8(out, hello.replayerName());
                out.putInt(hello.payloadCap());
            }
            case ACCEPT -> {
                AcceptMessage accept = (AcceptMessage) message;
                out.putShort((short) accept.version());
                putText8(out, accept.agentVersion());
                out.putInt((int) accept.snaplen());
                out.putInt((int) accept.maxRanges());
                out.putShort((short) accept.maxPacketsPerBatch());
                out.putInt((int) accept.heartbeatTimeoutMillis());
            }
            case REJECT -> {
                RejectMessage reject = (RejectMessage) message;
                out.put(reject.reason().byteValue());
                putText16(out, reject.text());
            }
            case REGISTER -> {
                RegisterMessage register = (RegisterMessage) message;
                putRanges(out, register.requestId(), register.ranges());
            }
            case UNREGISTER -> {
                UnregisterMessage unregister = (UnregisterMessage) message;
                putRanges(out, unregister.requestId(), unregister.ranges());
            }
            case ACK -> out.putInt((int) ((AckMessage) message).requestId());
            case HEARTBEAT -> {
                HeartbeatMessage heartbeat = (HeartbeatMessage) message;
                out.putLong(heartbeat.sentNanos());
                out.putLong(heartbeat.echoedNanos());
                out.putLong(heartbeat.receivedNanos());
                out.putLong(heartbeat.offsetNanos());
                out.putLong(heartbeat.uncertaintyNanos());
            }
            case CAPTURED -> putPackets(out, ((CapturedMessage) message).packets());
            case STATS -> {
                StatsMessage stats = (StatsMessage) message;
                out.putLong(stats.captured());
                out.putLong(stats.routed());
                out.putLong(stats.unrouted());
                out.putLong(stats.delivered());
                out.putLong(stats.dropped());
                out.putLong(stats.bytes());
                out.putLong(stats.kernelDrops());
            }
            case ERROR -> {
                ErrorMessage error = (ErrorMessage) message;
                out.putInt((int) error.requestId());
                out.put(error.code().byteValue());
                putText16(out, error.text());
            }
            case HOST_QUERY -> out.putInt((int) ((HostQueryMessage) message).requestId());
            case HOST_REPORT -> {
                HostReportMessage report = (HostReportMessage) message;
                out.putInt((int) report.requestId());
                out.put((byte) report.facts().size());
                report.facts().forEach((name, value) -> {
                    putText8(out, name);
                    putText16(out, value);
                });
            }
        }
    }

    private static int bodyLength(AgentMessage message) {
        return switch (message.type()) {
            case HELLO -> 4 + 2 + 2 + utf8(((HelloMessage) message).token()) + 1
                    + utf8(((HelloMessage) message).replayerName()) + 4;
            case ACCEPT -> 2 + 1 + utf8(((AcceptMessage) message).agentVersion()) + 4 + 4 + 2 + 4;
            case REJECT -> 1 + 2 + utf8(((RejectMessage) message).text());
            case REGISTER -> rangesLength(((RegisterMessage) message).ranges());
            case UNREGISTER -> rangesLength(((UnregisterMessage) message).ranges());
            case ACK -> 4;
            case HEARTBEAT -> 5 * 8;
            case CAPTURED -> packetsLength(((CapturedMessage) message).packets());
            case STATS -> 7 * 8;
            case ERROR -> 4 + 1 + 2 + utf8(((ErrorMessage) message).text());
            case HOST_QUERY -> 4;
            case HOST_REPORT -> 4 + 1 + ((HostReportMessage) message).pairsLength();
        };
    }

    private static int rangesLength(List<AddressRange> ranges) {
        int length = 4 + 2;
        for (AddressRange range : ranges) {
            length += range.wireLength();
        }
        return length;
    }

    private static int packetsLength(List<CapturedPacket> packets) {
        int length = 2;
        for (CapturedPacket packet : packets) {
            length += packet.wireLength();
        }
        return length;
    }

    private static void putRanges(ByteBuffer out, long requestId, List<AddressRange> ranges) {
        out.putInt((int) requestId);
        out.putShort((short) ranges.size());
        for (AddressRange range : ranges) {
            out.put((byte) (range.isIpv4() ? 4 : 6));
            out.put((byte) range.prefixLength());
            out.put(range.address());
        }
    }

    private static void putPackets(ByteBuffer out, List<CapturedPacket> packets) {
        out.putShort((short) packets.size());
        for (CapturedPacket packet : packets) {
            out.putLong(packet.timestampNanos());
            out.putInt(packet.originalLength());
            out.putInt(packet.data().length);
            out.put(packet.data());
        }
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void putText8(ByteBuffer out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.put((byte) bytes.length);
        out.put(bytes);
    }

    private static void putText16(ByteBuffer out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.putShort((short) bytes.length);
        out.put(bytes);
    }
}
