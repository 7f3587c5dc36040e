package io.pcapreplay.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pcapng reader: timestamp units, per-interface link types, the format told by its magic number. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PcapngFileTest {

    @Test
    void shouldConvertTimestampUnitsWhenResolutionIsDecimalOrBinary() {
        assertThat(new PcapngInterface(1, 0, 6, 0).nanos(1_500_000L)).isEqualTo(1_500_000_000L);
        assertThat(new PcapngInterface(1, 0, 9, 0).nanos(7L)).isEqualTo(7L);
        assertThat(new PcapngInterface(1, 0, 12, 0).nanos(12_345L)).isEqualTo(12L);
        assertThat(new PcapngInterface(1, 0, 0x80 | 20, 0).nanos(3L << 20 | 1L << 19)).isEqualTo(3_500_000_000L);
        assertThat(new PcapngInterface(1, 0, 0x80 | 63, 0).nanos(1L << 62)).isEqualTo(500_000_000L);
        assertThat(new PcapngInterface(1, 0, 6, 10).nanos(1_000_000L)).isEqualTo(11_000_000_000L);
    }

    @Test
    void shouldRefuseTimestampsOutsideNanosecondRangeWhenResolutionMakesThemHuge() {
        long microseconds = 1_600_000_000_000_000L;

        assertThat(new PcapngInterface(1, 0, 0, 0).nanos(microseconds)).as("unit 1 s").isNegative();
        assertThat(new PcapngInterface(1, 0, 0x80, 0).nanos(microseconds)).as("unit 2^0 s").isNegative();
        assertThat(new PcapngInterface(1, 0, 6, -2_000_000_000L).nanos(microseconds)).as("before 1970")
            .isNegative();
        assertThat(new PcapngInterface(1, 0, 9, 0).nanos(-1L)).as("2^64 - 1 ns").isNegative();
        assertThat(PcapngInterface.isValidResolution(0x12)).isTrue();
        assertThat(PcapngInterface.isValidResolution(0x13)).isFalse();
        assertThat(PcapngInterface.isValidResolution(0xBF)).isTrue();
        assertThat(PcapngInterface.isValidResolution(0xC0)).isFalse();
    }

    @Test
    void shouldGiveEachFrameTheLinkTypeOfItsInterfaceWhenInterfacesDiffer() throws CaptureException {
        List<Integer> linkTypes = new ArrayList<>();
        List<Long> timestamps = new ArrayList<>();

        try (CaptureFile file = CaptureFile.open(TestCaptures.publicCapture(
                "gopacket__pcapgo_tests_be_test202.pcapng"))) {
            while (file.next()) {
                linkTypes.add(file.recordDlt());
                timestamps.add(file.timestampNanos());
            }
            assertThat(file.truncatedEnd()).isNull();
        }

        assertThat(linkTypes).hasSize(8).contains(0, 1);
        assertThat(timestamps).allSatisfy(timestamp -> assertThat(timestamp).isNotNegative());
    }

    @Test
    void shouldTellTheFormatByItsMagicNumberWhenOpeningAFile() throws CaptureException {
        try (CaptureFile pcapng = CaptureFile.open(TestCaptures.publicCapture("zeek__ldap_modify-request.pcapng"));
             CaptureFile pcap = CaptureFile.open(TestCaptures.publicCapture("zeek__http_get.pcap"))) {
            assertThat(pcapng).isInstanceOf(PcapngFile.class);
            assertThat(pcap).isInstanceOf(PcapFile.class);
        }
    }
}
