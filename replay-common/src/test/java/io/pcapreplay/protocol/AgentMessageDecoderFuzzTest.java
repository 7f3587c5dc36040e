package io.pcapreplay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bounded fuzzing: whatever the bytes, the decoder only ever throws {@link AgentProtocolException}. */
class AgentMessageDecoderFuzzTest {

    private static final int ROUNDS = 20_000;

    @Test
    @Timeout(60)
    void shouldOnlyThrowProtocolExceptionWhenBytesAreRandom() {
        Random random = new Random(42);
        int decoded = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            if (bytes.length >= 5) {
                ByteBuffer.wrap(bytes).putInt(random.nextInt(bytes.length + 4));
                bytes[4] = randomType(random);
            }
            decoded += feedExpectingOnlyProtocolErrors(bytes, random);
        }
        assertThat(decoded).as("some random frames happen to be valid").isGreaterThanOrEqualTo(0);
    }

    @Test
    @Timeout(60)
    void shouldOnlyThrowProtocolExceptionWhenValidFramesAreMutated() {
        Random random = new Random(7);
        AgentMessageEncoder encoder = new AgentMessageEncoder();
        List<AgentMessage> samples = Samples.all();
        int decoded = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] frame = encoder.encode(samples.get(random.nextInt(samples.size())));
            int mutations = 1 + random.nextInt(4);
            for (int i = 0; i < mutations; i++) {
                frame[random.nextInt(frame.length)] = (byte) random.nextInt(256);
            }
            decoded += feedExpectingOnlyProtocolErrors(frame, random);
        }
        assertThat(decoded).as("mutations in payload bytes still decode").isPositive();
    }

    private static int feedExpectingOnlyProtocolErrors(byte[] bytes, Random random) {
        AgentMessageDecoder decoder = new AgentMessageDecoder();
        int count = 0;
        try {
            int offset = 0;
            while (offset < bytes.length) {
                int chunk = 1 + random.nextInt(bytes.length - offset);
                count += decoder.feed(ByteBuffer.wrap(bytes, offset, chunk)).size();
                offset += chunk;
            }
        } catch (AgentProtocolException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
        return count;
    }

    private static byte randomType(Random random) {
        MessageType[] types = MessageType.values();
        return random.nextInt(10) == 0 ? (byte) random.nextInt(256) : types[random.nextInt(types.length)].byteValue();
    }
}
