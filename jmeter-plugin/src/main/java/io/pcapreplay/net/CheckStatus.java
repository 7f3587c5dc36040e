package io.pcapreplay.net;

/** How a pre-flight check ended. */
public enum CheckStatus {
    /** The prerequisite holds. */
    OK,
    /** It holds with a limit or a risk worth knowing (the replay runs). */
    WARN,
    /** It does not hold: sessions will fail or the results will be wrong. */
    FAIL,
    /** Not checked: an earlier check failed, or it does not apply. */
    SKIP
}
