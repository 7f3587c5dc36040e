package io.pcapreplay.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapLibraryTest {

    @TempDir
    Path dir;

    @Test
    void shouldPreferUnversionedLibraryWhenDevPackageIsInstalled() throws IOException {
        Files.createFile(dir.resolve("libpcap.so.0.8"));
        Files.createFile(dir.resolve("libpcap.so"));

        assertThat(PcapLibrary.locate(List.of(dir.toString()))).isEqualTo(dir.resolve("libpcap.so").toString());
    }

    @Test
    void shouldFindVersionedLibraryWhenOnlyRuntimePackageIsInstalled() throws IOException {
        Files.createFile(dir.resolve("libpcap.so.0.8"));
        Files.createFile(dir.resolve("libpcap.so.1.10.3"));

        assertThat(PcapLibrary.locate(List.of(dir.resolve("missing").toString(), dir.toString())))
                .isEqualTo(dir.resolve("libpcap.so.1.10.3").toString());
    }

    @Test
    void shouldReturnNullWhenNoLibpcapExists() {
        assertThat(PcapLibrary.locate(List.of(dir.toString()))).isNull();
    }
}
