package io.pcapreplay.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void shouldEscapeLineBreaksAndControlsWhenPeerNameTriesToForgeALogLine() {
        String forged = "engine\n2026-01-01T00:00:00Z INFO replayer 'admin' connected\r\u001b[2J";

        String quoted = LogText.quote(forged);

        assertThat(quoted).doesNotContain("\n", "\r", "\u001b")
                .isEqualTo("'engine\\n2026-01-01T00:00:00Z INFO replayer \\'admin\\' connected\\r\\u001b[2J'");
    }

    @Test
    void shouldEscapeBidiOverridesAndLoneSurrogatesButKeepOtherText() {
        assertThat(LogText.quote("a\u202Eb\uD800c\u0085")).isEqualTo("'a\\u202eb\\ud800c\\u0085'");
        assertThat(LogText.quote("moteur-é-\uD83D\uDE80")).isEqualTo("'moteur-é-\uD83D\uDE80'");
        assertThat(LogText.quote(null)).isEqualTo("null");
    }
}
