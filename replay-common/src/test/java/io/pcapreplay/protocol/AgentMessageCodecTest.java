package io.pcapreplay.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AgentMessageCodecTest {

    private final AgentMessageEncoder encoder = new AgentMessageEncoder();

    static List<AgentMessage> samples() {
        return Samples.all();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void shouldRoundTripWhenMessageIsValid(AgentMessage message) {
        byte[] frame = encoder.encode(message);

        assertThat(frame).hasSize(encoder.encodedLength(message));
        assertThat(new AgentMessageDecoder().feed(frame)).containsExactly(message);
        assertThat(new AgentMessageDecoder().decodeFrame(ByteBuffer.wrap(frame))).isEqualTo(message);
    }

    @Test
    void shouldCarryKernelDropsAfterTheSixCountersWhenStatsIsEncoded() {
        byte[] frame = encoder.encode(new StatsMessage(1, 2, 3, 4, 5, 6, 7_000_000_000L));

        ByteBuffer in = ByteBuffer.wrap(frame);
        assertThat(in.getInt()).isEqualTo(1 + 7 * 8);
        assertThat(in.get()).isEqualTo((byte) 0x21);
        in.position(in.position() + 6 * 8);
        assertThat(in.getLong()).isEqualTo(7_000_000_000L);
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void shouldRefuseStatsOfVersionOneWhenKernelDropsAreMissing() {
        ByteBuffer versionOne = ByteBuffer.allocate(5 + 6 * 8).putInt(1 + 6 * 8).put((byte) 0x21);

        assertThatThrownBy(() -> new AgentMessageDecoder().feed(versionOne.array()))
                .hasMessageContaining("STATS frame: truncated body of 48 bytes");
    }

    @Test
    void shouldDecodeAllMessagesWhenFedOneByteAtATime() {
        byte[] stream = concat(samples());
        AgentMessageDecoder decoder = new AgentMessageDecoder();
        List<AgentMessage> decoded = new ArrayList<>();

        for (byte value : stream) {
            decoded.addAll(decoder.feed(new byte[] {value}));
        }

        assertThat(decoded).containsExactlyElementsOf(samples());
        assertThat(decoder.pendingBytes()).isZero();
    }

    @Test
    void shouldDecodeAllMessagesWhenStreamIsSplitAtEveryPosition() {
        byte[] stream = concat(samples());
        for (int split = 0; split <= stream.length; split++) {
            AgentMessageDecoder decoder = new AgentMessageDecoder();
            List<AgentMessage> decoded = new ArrayList<>(decoder.feed(Arrays.copyOfRange(stream, 0, split)));
            decoded.addAll(decoder.feed(Arrays.copyOfRange(stream, split, stream.length)));

            assertThat(decoded).as("split at %d", split).containsExactlyElementsOf(samples());
        }
    }

    @Test
    void shouldDecodeMergedFramesWhenFedInOneBuffer() {
        assertThat(new AgentMessageDecoder().feed(concat(samples()))).containsExactlyElementsOf(samples());
    }

    @ParameterizedTest
    @MethodSource("samples")
    void shouldWaitForMoreBytesWhenFrameIsIncomplete(AgentMessage message) {
        byte[] frame = encoder.encode(message);
        for (int length = 0; length < frame.length; length++) {
            AgentMessageDecoder decoder = new AgentMessageDecoder();

            assertThat(decoder.feed(Arrays.copyOf(frame, length))).isEmpty();
            assertThat(decoder.pendingBytes()).isEqualTo(length);
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void shouldRejectEveryTruncatedBodyWhenLengthPrefixIsAdjusted(AgentMessage message) {
        byte[] frame = encoder.encode(message);
        for (int length = 5; length < frame.length; length++) {
            byte[] truncated = Arrays.copyOf(frame, length);
            ByteBuffer.wrap(truncated).putInt(length - 4);

            assertThatThrownBy(() -> new AgentMessageDecoder().feed(truncated))
                    .as("truncated to %d of %d bytes", length, frame.length)
                    .isInstanceOf(AgentProtocolException.class)
                    .hasMessageContaining(message.type().toString());
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void shouldRejectTrailingBytesWhenBodyIsLongerThanItsFields(AgentMessage message) {
        byte[] frame = Arrays.copyOf(encoder.encode(message), encoder.encodedLength(message) + 1);
        ByteBuffer.wrap(frame).putInt(frame.length - 4);

        assertThatThrownBy(() -> new AgentMessageDecoder().feed(frame))
                .isInstanceOf(AgentProtocolException.class)
                .hasMessageContaining("1 trailing bytes (expected: 0)");
    }

    @Test
    void shouldRejectFrameLengthWhenZeroOrOverLimit() {
        assertThatThrownBy(() -> new AgentMessageDecoder().feed(new byte[] {0, 0, 0, 0}))
                .isInstanceOf(AgentProtocolException.class)
                .hasMessageStartingWith("frame length: 0 (expected: 1..1048576");
        assertThatThrownBy(() -> new AgentMessageDecoder().feed(new byte[] {0, 0x10, 0, 1}))
                .isInstanceOf(AgentProtocolException.class)
                .hasMessageStartingWith("frame length: 1048577 (expected");
        assertThatThrownBy(() -> new AgentMessageDecoder().feed(new byte[] {(byte) 0xFF, -1, -1, -1}))
                .isInstanceOf(AgentProtocolException.class)
                .hasMessageStartingWith("frame length: 4294967295 (expected");
        assertThatThrownBy(() -> new AgentMessageDecoder(64).feed(new byte[] {0, 0, 0, 65}))
                .isInstanceOf(AgentProtocolException.class)
                .hasMessageStartingWith("frame length: 65 (expected: 1..64");
    }

    @Test
    void shouldRejectHttpRequestWhenPeerIsNoReplayer() {
        assertThatThrownBy(() -> new AgentMessageDecoder().feed("GET / HTTP/1.1\r\n".getBytes()))
                .isInstanceOf(AgentProtocolException.class)
                .hasMessageContaining("is the peer a pcap-replay agent or replayer");
    }

    @Test
    void shouldRejectUnknownTypeWhenTypeByteIsUnassigned() {
        for (int type : new int[] {0x00, 0x04, 0x7F, 0xFF}) {
            assertThatThrownBy(() -> new AgentMessageDecoder().feed(new byte[] {0, 0, 0, 1, (byte) type}))
                    .isInstanceOf(AgentProtocolException.class)
                    .hasMessageStartingWith(String.format("message type: 0x%02x (expected: one of", type));
        }
    }

    @Test
    void shouldRejectHelloWhenMagicIsWrong() {
        byte[] frame = encoder.encode(HelloMessage.of("t", "n", -1));
        frame[5] = 'X';

        assertThatThrownBy(() -> new AgentMessageDecoder().feed(frame))
                .isInstanceOf(AgentProtocolException.class)
                .hasMessageContaining("HELLO magic: 0x58524147 (expected: 0x50524147");
    }

    @Test
    void shouldKeepVersionWhenHelloHasAnUnsupportedVersion() {
        HelloMessage hello = new HelloMessage(99, "t", "n", -1);

        assertThat(new AgentMessageDecoder().feed(encoder.encode(hello))).containsExactly(hello);
    }

    @Test
    void shouldRejectBadFieldsWhenBodyBreaksALimit() {
        assertBodyRejected(MessageType.HELLO, body(0x50524147, (short) 1, (short) 257), "auth token length: 257");
        assertBodyRejected(MessageType.HELLO, body(0x50524147, (short) 1, (short) 0, (byte) 0, -2),
                "payload cap: -2 (expected: -1..65535)");
        assertBodyRejected(MessageType.REGISTER, body(1, (short) 0), "range count: 0 (expected: 1..1024)");
        assertBodyRejected(MessageType.REGISTER, body(1, (short) 1025), "range count: 1025 (expected: 1..1024)");
        assertBodyRejected(MessageType.REGISTER, body(1, (short) 1000, 0),
                "range count: 1000 (expected: at most 0");
        assertBodyRejected(MessageType.REGISTER, body(1, (short) 1, (byte) 5, (byte) 8, 0),
                "range 0 family: 5 (expected: 4 or 6)");
        assertBodyRejected(MessageType.REGISTER, body(1, (short) 1, (byte) 4, (byte) 33, 0),
                "range prefix length: 33 (expected: 0..32)");
        assertBodyRejected(MessageType.REGISTER, body(1, (short) 1, (byte) 4, (byte) 15, 0xC6130000),
                "range 198.19.0.0/15: host bits set (expected: a network address, e.g. 198.18.0.0/15)");
        assertBodyRejected(MessageType.CAPTURED, body((short) 1025), "packet count: 1025 (expected: 1..1024)");
        assertBodyRejected(MessageType.CAPTURED, body((short) 2, 0L, 0, 0), "packet count: 2 (expected: at most 1");
        assertBodyRejected(MessageType.CAPTURED, body((short) 1, 0L, 100, 65_536),
                "packet 0 length: 65536 (expected: 0..65535)");
        assertBodyRejected(MessageType.CAPTURED, body((short) 1, 0L, 10, 20),
                "packet 0 original IP length: 10 (expected: 20..262144)");
        assertBodyRejected(MessageType.CAPTURED, body((short) 1, 0L, 100, 40),
                "packet 0: 40 bytes (expected: at most 0");
        assertBodyRejected(MessageType.REJECT, body((byte) 2, (short) 2, (short) 0xC328),
                "reject text: not valid UTF-8");
        assertBodyRejected(MessageType.ERROR, body(1, (byte) 2, (short) 1025), "error text length: 1025");
        assertBodyRejected(MessageType.HEARTBEAT, body(1L, 2L, 3L, 4L, -2L),
                "heartbeat uncertainty: -2 (expected: -1..");
    }

    @Test
    void shouldRejectVersionOneHeartbeatWhenItCarriesOnlyMilliseconds() {
        byte[] frame = frame(MessageType.HEARTBEAT, body(1_700_000_000_000L));

        assertThatThrownBy(() -> new AgentMessageDecoder().feed(frame))
                .isInstanceOf(AgentProtocolException.class)
                .hasMessageStartingWith("HEARTBEAT frame: truncated body of 8 bytes");
    }

    @Test
    void shouldCarryAllFiveClockFieldsWhenAgentAnswersAProbe() {
        HeartbeatMessage probe = HeartbeatMessage.probe(11, -3_000, 40);
        HeartbeatMessage answer = HeartbeatMessage.answer(probe, 1_000_000_000_000_000_020L,
                1_000_000_000_000_000_030L);

        assertThat(encoder.encode(answer)).hasSize(4 + 1 + 40);
        assertThat(new AgentMessageDecoder().feed(encoder.encode(answer))).singleElement()
                .isEqualTo(new HeartbeatMessage(1_000_000_000_000_000_030L, 11, 1_000_000_000_000_000_020L,
                        HeartbeatMessage.UNKNOWN_OFFSET, -1));
        assertThat(probe.hasOffset()).isTrue();
        assertThat(answer.hasOffset()).isFalse();
    }

    @Test
    void shouldRejectHostReportWhenPairsBreakALimit() {
        assertBodyRejected(MessageType.HOST_REPORT, body(1, (byte) 65), "host fact count: 65 (expected: 0..64)");
        assertBodyRejected(MessageType.HOST_REPORT, body(1, (byte) 1, (byte) 0, (short) 0),
                "host fact name: empty");
        assertBodyRejected(MessageType.HOST_REPORT, body(1, (byte) 2, (byte) 1, (byte) 'a', (short) 0, (byte) 1,
                (byte) 'a', (short) 0), "host fact a: twice (expected: each name once)");
        assertBodyRejected(MessageType.HOST_REPORT, body(1, (byte) 1, (byte) 1, (byte) 'a', (short) 1025),
                "host fact a length: 1025 (expected: 0..1024)");
    }

    @Test
    void shouldKeepTheAgentsOrderWhenHostReportRoundTrips() {
        Map<String, String> facts = new LinkedHashMap<>();
        for (int i = AgentProtocol.MAX_HOST_FACTS; i > 0; i--) {
            facts.put("fact-" + i, "v".repeat(i * 16));
        }
        HostReportMessage report = new HostReportMessage(3, facts);

        HostReportMessage decoded = (HostReportMessage) new AgentMessageDecoder().feed(encoder.encode(report)).get(0);

        assertThat(decoded.facts().keySet()).containsExactlyElementsOf(facts.keySet());
        assertThat(decoded).isEqualTo(report);
        assertThatThrownBy(() -> new HostReportMessage(1, Map.of("x".repeat(65), "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host fact name: 65 UTF-8 bytes");
    }

    @Test
    void shouldMapUnknownErrorCodeWhenPeerIsNewer() {
        byte[] frame = frame(MessageType.ERROR, body(3, (byte) 200, (short) 0));

        assertThat(new AgentMessageDecoder().feed(frame))
                .containsExactly(new ErrorMessage(3, ErrorCode.UNKNOWN, ""));
    }

    @Test
    void shouldStayFailedWhenAFrameWasMalformed() {
        AgentMessageDecoder decoder = new AgentMessageDecoder();
        assertThatThrownBy(() -> decoder.feed(new byte[] {0, 0, 0, 1, 0})).isInstanceOf(AgentProtocolException.class);

        assertThatThrownBy(() -> decoder.feed(encoder.encode(new AckMessage(1))))
                .isInstanceOf(AgentProtocolException.class)
                .hasMessageStartingWith("decoder already failed: message type: 0x00");
    }

    @Test
    void shouldDecodeLargestBatchWhenItFillsTheFrameLimit() {
        List<CapturedPacket> packets = new ArrayList<>();
        int frameBytes = CapturedMessage.OVERHEAD;
        while (CapturedMessage.fits(packets.size(), frameBytes, 65_535)) {
            packets.add(new CapturedPacket(packets.size(), 65_535, new byte[65_535]));
            frameBytes += CapturedMessage.packetWireLength(65_535);
        }
        CapturedMessage message = new CapturedMessage(packets);
        byte[] frame = encoder.encode(message);
        AgentMessageDecoder decoder = new AgentMessageDecoder();
        List<AgentMessage> decoded = new ArrayList<>();

        for (int offset = 0; offset < frame.length; offset += 1000) {
            decoded.addAll(decoder.feed(ByteBuffer.wrap(frame, offset, Math.min(1000, frame.length - offset))));
        }

        assertThat(frame.length).isLessThanOrEqualTo(AgentProtocol.MAX_FRAME_LENGTH + 4);
        assertThat(decoded).containsExactly(message);
    }

    private static void assertBodyRejected(MessageType type, byte[] body, String expectedMessagePart) {
        assertThatThrownBy(() -> new AgentMessageDecoder().feed(frame(type, body)))
                .isInstanceOf(AgentProtocolException.class)
                .hasMessageContaining(expectedMessagePart);
    }

    static byte[] frame(MessageType type, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).putInt(1 + body.length).put(type.byteValue()).put(body).array();
    }

    static byte[] body(Object... fields) {
        ByteBuffer out = ByteBuffer.allocate(256);
        for (Object field : fields) {
            if (field instanceof Byte value) {
                out.put(value);
            } else if (field instanceof Short value) {
                out.putShort(value);
            } else if (field instanceof Integer value) {
                out.putInt(value);
            } else {
                out.putLong((Long) field);
            }
        }
        return Arrays.copyOf(out.array(), out.position());
    }

    private byte[] concat(List<AgentMessage> messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (AgentMessage message : messages) {
            out.writeBytes(encoder.encode(message));
        }
        return out.toByteArray();
    }
}
