package io.pcapreplay.jmeter;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The set-up failures of the current test run (no capture, no agent, no raw socket, bad settings): each reason is
 * logged once at ERROR in jmeter.log, however many users meet it; every user also writes it as a failed
 * SETUP_FAILED sample, so an error threshold on the results catches it. Reset when a test starts.
 */
final class SetupFailures {

    /** Distinct reasons remembered per run; past that each is logged (bounded memory, never silent). */
    static final int MAX_REASONS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(SetupFailures.class);
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    private SetupFailures() {
    }

    /**
     * @param element the element that could not set up (its name in the plan)
     * @param reason why, naming the setting or file
     * @return whether this call logged it (false: already logged in this run)
     */
    static boolean report(String element, String reason) {
        String text = String.valueOf(reason);
        if (REPORTED.size() >= MAX_REASONS || REPORTED.add(text)) {
            LOG.error("{}: set-up failed, nothing replayed: {}", element, text);
            return true;
        }
        return false;
    }

    /** Forgets the reasons of the previous run. */
    static void reset() {
        REPORTED.clear();
    }
}
