package io.pcapreplay.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PcapngReaderTest {

    @Test
    void shouldConvertTimestampUnitsWhenResolutionIsDecimalOrBinary() {
        assertThat(PcapngReader.nanos(1_500_000L, 6)).isEqualTo(1_500_000_000L);
        assertThat(PcapngReader.nanos(7L, 9)).isEqualTo(7L);
        assertThat(PcapngReader.nanos(12_345L, 12)).isEqualTo(12L);
        assertThat(PcapngReader.nanos(3L << 20 | 1L << 19, 0x80 | 20)).isEqualTo(3_500_000_000L);
    }

    @Test
    void shouldGiveEachFrameTheLinkTypeOfItsInterfaceWhenInterfacesDiffer() {
        List<Integer> linkTypes = new ArrayList<>();
        List<Long> timestamps = new ArrayList<>();

        String error = PcapngReader.read(TestCaptures.publicCapture("gopacket__pcapgo_tests_be_test202.pcapng"),
            (linkType, frame, originalLength, timestampNanos) -> {
                linkTypes.add(linkType);
                timestamps.add(timestampNanos);
            });

        assertThat(error).isNull();
        assertThat(linkTypes).hasSize(8).contains(0, 1);
        assertThat(timestamps).allSatisfy(timestamp -> assertThat(timestamp).isNotNegative());
    }

    @Test
    void shouldRecognizePcapngByItsMagicWhenAskedAboutAFile() {
        assertThat(PcapngReader.isPcapng(TestCaptures.publicCapture("zeek__ldap_modify-request.pcapng"))).isTrue();
        assertThat(PcapngReader.isPcapng(TestCaptures.publicCapture("zeek__http_get.pcap"))).isFalse();
        assertThat(PcapngReader.isPcapng(TestCaptures.fixture("empty.pcap"))).isFalse();
    }
}
