package io.pcapreplay.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapLibraryTest {

    @Test
    void shouldPreferDevelopmentNameWhenSeveralLibrariesExist(@TempDir Path directory) throws IOException {
        Files.createFile(directory.resolve("libpcap.so.0.8"));
        Files.createFile(directory.resolve("libpcap.so"));

        assertThat(PcapLibrary.find(List.of(directory.toString()))).isEqualTo(directory.resolve("libpcap.so"));
    }

    @Test
    void shouldFindRuntimeLibraryWhenOnlyItIsInstalled(@TempDir Path directory) throws IOException {
        Files.createFile(directory.resolve("libpcap.so.0.8"));

        assertThat(PcapLibrary.find(List.of("/nonexistent", directory.toString())))
            .isEqualTo(directory.resolve("libpcap.so.0.8"));
    }

    @Test
    void shouldFindNothingWhenNoLibraryIsInstalled(@TempDir Path directory) {
        assertThat(PcapLibrary.find(List.of(directory.toString()))).isNull();
    }

    @Test
    void shouldKeepPropertyWhenAlreadySet() throws CaptureException {
        String before = System.getProperty(PcapLibrary.LIBRARY_PROPERTY);
        try {
            System.setProperty(PcapLibrary.LIBRARY_PROPERTY, "/opt/custom/libpcap.so");
            assertThat(PcapLibrary.configure()).isEqualTo("/opt/custom/libpcap.so");
        } finally {
            if (before == null) {
                System.clearProperty(PcapLibrary.LIBRARY_PROPERTY);
            } else {
                System.setProperty(PcapLibrary.LIBRARY_PROPERTY, before);
            }
        }
    }
}
