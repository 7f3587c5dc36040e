package io.pcapreplay.libpcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibpcapLocatorTest {

    @Test
    void shouldPreferDevelopmentNameWhenSeveralLibrariesExist(@TempDir Path directory) throws IOException {
        Files.createFile(directory.resolve("libpcap.so.0.8"));
        Files.createFile(directory.resolve("libpcap.so"));

        assertThat(LibpcapLocator.locate(List.of(directory.toString())))
                .isEqualTo(directory.resolve("libpcap.so").toString());
    }

    @Test
    void shouldFindNewestRuntimeLibraryWhenOnlyVersionedOnesAreInstalled(@TempDir Path directory) throws IOException {
        Files.createFile(directory.resolve("libpcap.so.0.8"));
        Files.createFile(directory.resolve("libpcap.so.1.10.3"));

        assertThat(LibpcapLocator.locate(List.of(directory.resolve("missing").toString(), directory.toString())))
                .isEqualTo(directory.resolve("libpcap.so.1.10.3").toString());
    }

    @Test
    void shouldFindNothingWhenNoLibraryIsInstalled(@TempDir Path directory) {
        assertThat(LibpcapLocator.locate(List.of(directory.toString()))).isNull();
        assertThat(LibpcapLocator.notFoundMessage()).startsWith("libpcap not found: ")
                .contains("(expected: libpcap installed; run: apt-get install libpcap0.8");
    }

    @Test
    void shouldKeepPropertyWhenAlreadySet() {
        String before = System.getProperty(LibpcapLocator.LIBRARY_PROPERTY);
        try {
            System.setProperty(LibpcapLocator.LIBRARY_PROPERTY, "/opt/custom/libpcap.so");
            assertThat(LibpcapLocator.configure()).contains("/opt/custom/libpcap.so");
        } finally {
            if (before == null) {
                System.clearProperty(LibpcapLocator.LIBRARY_PROPERTY);
            } else {
                System.setProperty(LibpcapLocator.LIBRARY_PROPERTY, before);
            }
        }
    }
}
