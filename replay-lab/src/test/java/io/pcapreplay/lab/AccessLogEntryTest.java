package io.pcapreplay.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AccessLogEntryTest {

    @Test
    void shouldParseWhenLineHasIpv6Client() {
        AccessLogEntry entry = AccessLogEntry.parse("2001:2:0:ff00::5:40001 \"GET /1k.bin HTTP/1.1\" 200 78 1024 3 2");

        assertThat(entry).isEqualTo(new AccessLogEntry("2001:2:0:ff00::5", 40001, "GET /1k.bin HTTP/1.1", 200, 78,
                1024, 3, 2));
    }

    @Test
    void shouldRejectWhenLineHasAnotherFormat() {
        assertThatThrownBy(() -> AccessLogEntry.parse("127.0.0.1 - - [21/Nov/2026] \"GET / HTTP/1.1\" 200 612"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected");
    }
}
