package io.pcapreplay.jmeter;

import io.pcapreplay.http.PathNormalizer;
import io.pcapreplay.pcap.Exchange;
import io.pcapreplay.pcap.RecordedSession;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The label and sampler data of a recorded exchange, made once and shared by every sample of it (every user
 * replaying the same recorded or rewritten session): a sample then costs no parsing of the request line and no
 * copying of the request and recorded response into a new string. Keyed by the exchange object (identity), the
 * server port (the label of a non-HTTP exchange), the label style, path rules and sampler name; bounded
 * ({@value #MAX_ENTRIES} entries, then emptied: sessions rewritten per user make new exchanges all the time).
 */
final class ExchangeTexts {

    /** What a sample shows of its recorded exchange. */
    record Texts(String label, String samplerData) {
    }

    private record Key(Exchange exchange, int serverPort, LabelStyle style, PathNormalizer paths,
                       String samplerName) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.exchange == exchange && key.serverPort == serverPort
                && key.style == style && key.paths == paths && key.samplerName.equals(samplerName);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(exchange) * 31 + samplerName.hashCode();
        }
    }

    static final int MAX_ENTRIES = 4_096;
    private static final Map<Key, Texts> CACHE = new ConcurrentHashMap<>();

    private ExchangeTexts() {
    }

    /** Returns the texts of an exchange, made on first use. */
    static Texts of(Exchange exchange, RecordedSession session, LabelStyle style, PathNormalizer paths,
            String samplerName) {
        Key key = new Key(exchange, session.server().port(), style, paths, samplerName);
        Texts texts = CACHE.get(key);
        if (texts == null) {
            if (CACHE.size() >= MAX_ENTRIES) {
                CACHE.clear();
            }
            texts = new Texts(ExchangeSamples.label(exchange, session, style, paths, samplerName),
                ExchangeSamples.samplerData(exchange));
            CACHE.put(key, texts);
        }
        return texts;
    }
}
