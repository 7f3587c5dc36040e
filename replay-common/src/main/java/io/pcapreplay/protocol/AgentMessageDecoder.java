package io.pcapreplay.protocol;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns bytes into {@link AgentMessage}s (frame layout in {@link AgentProtocol}). Incremental: bytes may be fed
 * split or merged in any way; complete messages come out in order. It never allocates more than the frame length
 * limit: the length prefix is checked before any body byte is buffered, and every count and length inside a body is
 * checked against the bytes the frame really has.
 *
 * <p>A malformed frame throws {@link AgentProtocolException}; the decoder is then failed and throws on every
 * further call (the connection must be closed). Not thread-safe: one decoder per connection.
 */
public final class AgentMessageDecoder {

    private static final int INITIAL_BUFFER = 4096;

    private final int maxFrameLength;
    private byte[] pending = new byte[INITIAL_BUFFER];
    private int pendingSize;
    private String failure;

    /** A decoder accepting frames up to {@link AgentProtocol#MAX_FRAME_LENGTH}. */
    public AgentMessageDecoder() {
        this(AgentProtocol.MAX_FRAME_LENGTH);
    }

    /**
     * @param maxFrameLength the largest frame accepted (type byte plus body), 1 to
     *                       {@link AgentProtocol#MAX_FRAME_LENGTH}; the agent uses a small one for replayer input
     */
    public AgentMessageDecoder(int maxFrameLength) {
        Limits.range("max frame length", maxFrameLength, 1, AgentProtocol.MAX_FRAME_LENGTH);
        this.maxFrameLength = maxFrameLength;
    }

    /** @return the largest frame this decoder accepts */
    public int maxFrameLength() {
        return maxFrameLength;
    }

    /**
     * @param input bytes read from the connection; all are consumed
     * @return the messages completed by these bytes, possibly none
     * @throws AgentProtocolException on a malformed frame
     */
    public List<AgentMessage> feed(ByteBuffer input) {
        List<AgentMessage> messages = new ArrayList<>();
        feed(input, messages::add);
        return messages;
    }

    /**
     * @param bytes bytes read from the connection; all are consumed
     * @return the messages completed by these bytes, possibly none
     * @throws AgentProtocolException on a malformed frame
     */
    public List<AgentMessage> feed(byte[] bytes) {
        return feed(ByteBuffer.wrap(bytes));
    }

    /**
     * @param input bytes read from the connection; all are consumed
     * @param sink receives each completed message, in order, before the next frame is decoded
     * @throws AgentProtocolException on a malformed frame (messages before it have been delivered)
     */
    public void feed(ByteBuffer input, Consumer<AgentMessage> sink) {
        if (failure != null) {
            throw new AgentProtocolException("decoder already failed: " + failure
                    + " (expected: close the connection)");
        }
        try {
            while (input.hasRemaining()) {
                if (pendingSize == 0 && input.remaining() >= AgentProtocol.LENGTH_FIELD_BYTES) {
                    int frameSize = AgentProtocol.LENGTH_FIELD_BYTES
                            + checkFrameLength(input.getInt(input.position()));
                    if (input.remaining() >= frameSize) {
                        ByteBuffer frame = input.slice().limit(frameSize);
                        input.position(input.position() + frameSize);
                        sink.accept(decodeFrame(frame));
                        continue;
                    }
                }
                bufferPartial(input, sink);
            }
        } catch (AgentProtocolException e) {
            failure = e.getMessage();
            throw e;
        }
    }

    private void bufferPartial(ByteBuffer input, Consumer<AgentMessage> sink) {
        if (pendingSize < AgentProtocol.LENGTH_FIELD_BYTES) {
            take(input, AgentProtocol.LENGTH_FIELD_BYTES - pendingSize);
            if (pendingSize < AgentProtocol.LENGTH_FIELD_BYTES) {
                return;
            }
        }
        int frameSize = AgentProtocol.LENGTH_FIELD_BYTES
                + checkFrameLength(ByteBuffer.wrap(pending, 0, AgentProtocol.LENGTH_FIELD_BYTES).getInt());
        if (pending.length < frameSize) {
            long wanted = Math.max((long) pending.length * 2, (long) pendingSize + input.remaining());
            pending = Arrays.copyOf(pending, (int) Math.min(frameSize, wanted));
        }
        take(input, frameSize - pendingSize);
        if (pendingSize == frameSize) {
            pendingSize = 0;
            AgentMessage message = decodeFrame(ByteBuffer.wrap(pending, 0, frameSize));
            if (pending.length > INITIAL_BUFFER * 16) {
                pending = new byte[INITIAL_BUFFER];
            }
            sink.accept(message);
        }
    }

    private void take(ByteBuffer input, int wanted) {
        int count = Math.min(wanted, input.remaining());
        if (pendingSize + count > pending.length) {
            pending = Arrays.copyOf(pending, pendingSize + count);
        }
        input.get(pending, pendingSize, count);
        pendingSize += count;
    }

    /** @return bytes of an incomplete frame held back until more input arrives */
    public int pendingBytes() {
        return pendingSize;
    }

    /**
     * Checks a frame's length prefix.
     *
     * @param length the 32-bit length prefix as read
     * @return the length, when it is within 1 and this decoder's limit
     * @throws AgentProtocolException otherwise
     */
    public int checkFrameLength(int length) {
        if (length < 1 || length > maxFrameLength) {
            throw new AgentProtocolException("frame length: " + Integer.toUnsignedString(length) + " (expected: 1.."
                    + maxFrameLength + "; is the peer a pcap-replay agent or replayer of the same version?)");
        }
        return length;
    }

    /**
     * Decodes exactly one complete frame.
     *
     * @param frame the frame from its length prefix to its last body byte, nothing more
     * @return the message
     * @throws AgentProtocolException when the frame is malformed
     */
    public AgentMessage decodeFrame(ByteBuffer frame) {
        ByteBuffer in = frame.slice();
        if (in.remaining() < AgentProtocol.LENGTH_FIELD_BYTES + 1) {
            throw new AgentProtocolException("frame: " + in.remaining() + " bytes (expected: at least 5)");
        }
        int length = checkFrameLength(in.getInt());
        if (length != in.remaining()) {
            throw new AgentProtocolException("frame length: " + length + " (expected: " + in.remaining()
                    + ", the bytes given)");
        }
        MessageType type = MessageType.valueOf(in.get());
        AgentMessage message;
        try {
            message = decodeBody(type, in);
        } catch (BufferUnderflowException e) {
            throw new AgentProtocolException(type + " frame: truncated body of " + (length - 1)
                    + " bytes (expected: all fields of a " + type + ")", e);
        } catch (AgentProtocolException e) {
            throw new AgentProtocolException(type + " frame: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new AgentProtocolException(type + " frame: " + e.getMessage(), e);
        }
        if (in.hasRemaining()) {
            throw new AgentProtocolException(type + " frame: " + in.remaining() + " trailing bytes (expected: 0)");
        }
        return message;
    }

    private static AgentMessage decodeBody(MessageType type, ByteBuffer in) {
        return switch (type) {
            case HELLO -> decodeHello(in);
            case ACCEPT -> new AcceptMessage(in.getShort() & 0xFFFF, text8(in, "agent version"), uint32(in),
                    uint32(in), in.getShort() & 0xFFFF, uint32(in));
            case REJECT -> new RejectMessage(ErrorCode.valueOf(in.get()), text16(in, "reject text",
                    AgentProtocol.MAX_TEXT_BYTES));
            case REGISTER -> new RegisterMessage(uint32(in), ranges(in));
            case UNREGISTER -> new UnregisterMessage(uint32(in), ranges(in));
            case ACK -> new AckMessage(uint32(in));
            case HEARTBEAT -> new HeartbeatMessage(in.getLong(), in.getLong(), in.getLong(), in.getLong(),
                    in.getLong());
            case CAPTURED -> new CapturedMessage(packets(in));
            case STATS -> new StatsMessage(in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong(),
                    in.getLong(), in.getLong());
            case ERROR -> new ErrorMessage(uint32(in), ErrorCode.valueOf(in.get()), text16(in, "error text",
                    AgentProtocol.MAX_TEXT_BYTES));
            case HOST_QUERY -> new HostQueryMessage(uint32(in));
            case HOST_REPORT -> decodeHostReport(in);
        };
    }

    private static HostReportMessage decodeHostReport(ByteBuffer in) {
        long requestId = uint32(in);
        int count = in.get() & 0xFF;
        Limits.range("host fact count", count, 0, AgentProtocol.MAX_HOST_FACTS);
        Map<String, String> facts = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = text8(in, "host fact " + i + " name");
            String value = text16(in, "host fact " + name, AgentProtocol.MAX_TEXT_BYTES);
            if (facts.put(name, value) != null) {
                throw new AgentProtocolException("host fact " + name + ": twice (expected: each name once)");
            }
        }
        return new HostReportMessage(requestId, facts);
    }

    private static HelloMessage decodeHello(ByteBuffer in) {
        int magic = in.getInt();
        if (magic != AgentProtocol.MAGIC) {
            throw new AgentProtocolException(String.format("HELLO magic: 0x%08x (expected: 0x%08x \"PRAG\"; "
                    + "is the peer a pcap-replay replayer?)", magic, AgentProtocol.MAGIC));
        }
        int version = in.getShort() & 0xFFFF;
        String token = text16(in, "auth token", AgentProtocol.MAX_TOKEN_BYTES);
        String name = text8(in, "replayer name");
        return new HelloMessage(version, token, name, in.getInt());
    }

    private static List<AddressRange> ranges(ByteBuffer in) {
        int count = in.getShort() & 0xFFFF;
        Limits.range("range count", count, 1, AgentProtocol.MAX_RANGES);
        if (count * 6L > in.remaining()) {
            throw new AgentProtocolException("range count: " + count + " (expected: at most " + in.remaining() / 6
                    + ", what the frame's " + in.remaining() + " remaining bytes can hold)");
        }
        List<AddressRange> ranges = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int family = in.get();
            if (family != 4 && family != 6) {
                throw new AgentProtocolException("range " + i + " family: " + family + " (expected: 4 or 6)");
            }
            int prefix = in.get() & 0xFF;
            byte[] address = bytes(in, family == 4 ? 4 : 16, "range address");
            ranges.add(new AddressRange(address, prefix));
        }
        return ranges;
    }

    private static List<CapturedPacket> packets(ByteBuffer in) {
        int count = in.getShort() & 0xFFFF;
        Limits.range("packet count", count, 1, AgentProtocol.MAX_PACKETS_PER_BATCH);
        if (count * 16L > in.remaining()) {
            throw new AgentProtocolException("packet count: " + count + " (expected: at most " + in.remaining() / 16
                    + ", what the frame's " + in.remaining() + " remaining bytes can hold)");
        }
        List<CapturedPacket> packets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long timestamp = in.getLong();
            long original = uint32(in);
            long carried = uint32(in);
            Limits.range("packet " + i + " length", carried, 0, AgentProtocol.MAX_PACKET_BYTES);
            Limits.range("packet " + i + " original IP length", original, carried, AgentProtocol.MAX_ORIGINAL_LENGTH);
            packets.add(new CapturedPacket(timestamp, (int) original, bytes(in, (int) carried, "packet " + i)));
        }
        return packets;
    }

    private static long uint32(ByteBuffer in) {
        return in.getInt() & 0xFFFF_FFFFL;
    }

    private static byte[] bytes(ByteBuffer in, int length, String what) {
        if (length > in.remaining()) {
            throw new AgentProtocolException(what + ": " + length + " bytes (expected: at most " + in.remaining()
                    + ", the bytes left in the frame)");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private static String text8(ByteBuffer in, String what) {
        return utf8(bytes(in, in.get() & 0xFF, what), what, AgentProtocol.MAX_NAME_BYTES);
    }

    private static String text16(ByteBuffer in, String what, int maxBytes) {
        int length = in.getShort() & 0xFFFF;
        Limits.range(what + " length", length, 0, maxBytes);
        return utf8(bytes(in, length, what), what, maxBytes);
    }

    private static String utf8(byte[] bytes, String what, int maxBytes) {
        Limits.range(what + " length", bytes.length, 0, maxBytes);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new AgentProtocolException(what + ": not valid UTF-8 (expected: UTF-8 text)", e);
        }
    }
}
