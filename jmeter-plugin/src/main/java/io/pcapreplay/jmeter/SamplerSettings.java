package io.pcapreplay.jmeter;

import io.pcapreplay.net.ReplaySettings;
import io.pcapreplay.net.TargetMap;
import io.pcapreplay.net.TransportSpec;
import java.time.Duration;

/** Parses the sampler's text fields (after JMeter evaluated their functions) into {@link ReplaySettings}. */
final class SamplerSettings {

    private SamplerSettings() {
    }

    /**
     * @param sampler the sampler's fields
     * @param startRate the thread group's session start rate
     * @return the settings
     * @throws IllegalArgumentException naming the field, the value and the rule
     */
    static ReplaySettings parse(PcapSessionSampler sampler, String startRate) {
        TransportSpec transport = TransportSpec.parse(sampler.getTransport());
        String tokenFile = text(sampler.getTokenFile());
        return new ReplaySettings(text(sampler.getTargetHost()),
            (int) number("target port", sampler.getTargetPort(), 0, 65535),
            text(sampler.getAgentAddress()),
            tokenFile.isEmpty() ? null : PlanFiles.resolve(tokenFile),
            text(sampler.getClientAddresses()),
            speed(sampler.getSpeedFactor()),
            millis("connect timeout", sampler.getConnectTimeout()),
            millis("response timeout", sampler.getResponseTimeout()),
            millis("idle timeout", sampler.getIdleTimeout()),
            sampler.isComet(),
            (int) number("response bytes to keep", sampler.getResponseBytes(), 0, 16 << 20),
            decimal("session start rate", startRate), transport,
            TargetMap.parse(sampler.getTargetMap()));
    }

    private static String text(String value) {
        return value == null ? "" : value.trim();
    }

    static long number(String what, String value, long min, long max) {
        long parsed;
        try {
            parsed = Long.parseLong(text(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + value + "' (expected: a whole number from " + min
                + " to " + max + ")", e);
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(what + ": " + parsed + " (expected: from " + min + " to " + max + ")");
        }
        return parsed;
    }

    static double decimal(String what, String value) {
        String trimmed = text(value);
        if (trimmed.isEmpty()) {
            return 0;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(trimmed);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + value + "' (expected: a number >= 0)", e);
        }
        if (!(parsed >= 0) || Double.isInfinite(parsed)) {
            throw new IllegalArgumentException(what + ": " + value + " (expected: a number >= 0)");
        }
        return parsed;
    }

    /**
     * Parses the speed: a factor ({@code 2} = twice as fast) or a percentage as goreplay spells it ({@code 200%});
     * 0 = no think time.
     *
     * @param value the text
     * @return the factor
     */
    static double speed(String value) {
        String trimmed = text(value);
        if (trimmed.endsWith("%")) {
            return decimal("speed (percent of the recorded speed)", trimmed.substring(0, trimmed.length() - 1))
                / 100;
        }
        return decimal("speed factor", trimmed);
    }

    private static Duration millis(String what, String value) {
        return Duration.ofMillis(number(what + " (ms)", value, 1, 86_400_000L));
    }
}
