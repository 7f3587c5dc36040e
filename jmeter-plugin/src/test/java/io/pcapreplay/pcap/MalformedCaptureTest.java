package io.pcapreplay.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pcapreplay.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Every malformed field is refused with the file, the record or block, and the field named, never a negative
 * duration or an internal error. Each test reads the reproducer named after it in
 * src/test/resources/captures/malformed (made by make-fixtures.py, see the README there), through the reader and
 * through {@code inspect} (exit status 2, one message, no stack trace).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MalformedCaptureTest {

    @Test
    void shouldNameRecordAndFieldWhenMicrosecondsReachOneSecond(TestInfo test) {
        Path file = reproducer(test, ".pcap");

        assertRefused(file, "capture file " + file + ", record 1 (byte 24): ts_usec = 1000000 (expected: 0 to 999999;");
    }

    @Test
    void shouldExplainMagicWhenNanosecondFileHasMicrosecondMagic(TestInfo test) {
        Path file = reproducer(test, ".pcap");

        assertRefused(file, "record 1 (byte 24): ts_usec = 732560000 (expected: 0 to 999999; a nanosecond capture "
            + "with a microsecond magic number? the magic of a nanosecond pcap is a1b23c4d)");
    }

    @Test
    void shouldRefuseCapturedLengthBeyondTheLargestSnapshot(TestInfo test) {
        Path file = reproducer(test, ".pcap");

        assertRefused(file, "record 1 (byte 24): incl_len (captured length) = 2147483647 (expected: at most 262144");
    }

    @Test
    void shouldRefuseUnknownPcapVersion(TestInfo test) {
        Path file = reproducer(test, ".pcap");

        assertRefused(file, "capture file " + file + ", file header: version = 1.0 (expected: 2.x");
    }

    @Test
    void shouldNameInterfaceOptionWhenResolutionZeroOverflows(TestInfo test) {
        Path file = reproducer(test, ".pcapng");

        assertRefused(file, "block 3 (byte 60, Enhanced Packet): timestamp = 1300000000000000 units of 10^-0 s "
            + "(expected: a time from 1970 to 2262; check if_tsresol and if_tsoffset of interface 0)");
    }

    @Test
    void shouldNameInterfaceOptionWhenBinaryResolutionZeroOverflows(TestInfo test) {
        Path file = reproducer(test, ".pcapng");

        assertRefused(file, "timestamp = 1300000000000000 units of 2^-0 s (expected: a time from 1970 to 2262");
    }

    @Test
    void shouldRefuseResolutionBeyondTenToMinusEighteen(TestInfo test) {
        Path file = reproducer(test, ".pcapng");

        assertRefused(file, "block 2 (byte 28, Interface Description of interface 0): if_tsresol = 0x13 (expected: "
            + "10^-0 to 10^-18 s");
    }

    @Test
    void shouldNameOptionWhenItsLengthRunsPastTheBlock(TestInfo test) {
        Path file = reproducer(test, ".pcapng");

        assertRefused(file, "block 2 (byte 28, Interface Description of interface 0): length of option 2 = 200 "
            + "(expected: within the block, at most 4 bytes)");
    }

    @Test
    void shouldRefuseBlockWhoseTrailingLengthDiffers(TestInfo test) {
        Path file = reproducer(test, ".pcapng");

        assertRefused(file, "block 3 (byte 52, Enhanced Packet): block total length at its end = 116 (expected: "
            + "the length at its start, 112)");
    }

    @Test
    void shouldRefusePacketOfAnUndescribedInterface(TestInfo test) {
        Path file = reproducer(test, ".pcapng");

        assertRefused(file, "(byte 52, Enhanced Packet): interface ID = 5 (expected: 0 to 0, an interface described "
            + "before it)");
    }

    @Test
    void shouldRefuseCapturedLengthBeyondTheBlock(TestInfo test) {
        Path file = reproducer(test, ".pcapng");

        assertRefused(file, "(byte 52, Enhanced Packet): captured packet length = 400 (expected: at most the block's "
            + "data, 80 bytes)");
    }

    private static Path reproducer(TestInfo test, String extension) {
        return TestCaptures.fixture("malformed/" + test.getTestMethod().orElseThrow().getName() + extension);
    }

    private static void assertRefused(Path file, String message) {
        assertThatThrownBy(() -> new CaptureReader().read(file)).isInstanceOf(CaptureException.class)
            .hasMessageContaining(file.toString()).hasMessageContaining(message);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Main.run(new String[] {"inspect", file.toString()}, new PrintStream(out, true,
            StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        String errors = err.toString(StandardCharsets.UTF_8);
        assertThat(status).as(errors).isEqualTo(Main.BAD_INPUT);
        assertThat(errors.strip()).contains(message).doesNotContain("\n").doesNotContain("Exception")
            .doesNotContain("internal error");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
